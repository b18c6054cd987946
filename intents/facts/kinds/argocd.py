"""Argo CD Applications: their sync and health status, the operation's phase and the conditions
(ComparisonError, SyncError...) that say why an application is OutOfSync, Degraded or failing."""

from __future__ import annotations

from intents.facts.custom_status import row_of, status_kind

KIND = status_kind(row_of("argocd"), 141)
