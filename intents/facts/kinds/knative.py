"""Knative Serving's Services, Revisions, Configurations and Routes: the conditions that say why a
revision never became ready (an image it cannot resolve, a container that exits, a progress
deadline)."""

from __future__ import annotations

from intents.facts.custom_status import row_of, status_kind

KIND = status_kind(row_of("knative"), 140)
