"""Flux's Kustomizations, HelmReleases and sources: the Ready and Stalled conditions whose reasons
(HealthCheckFailed, InstallFailed, BuildFailed, ArtifactFailed...) say why a reconciliation fails."""

from __future__ import annotations

from intents.facts.custom_status import row_of, status_kind

KIND = status_kind(row_of("flux"), 142)
