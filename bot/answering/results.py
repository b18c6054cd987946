"""Typed results of the use cases, rendered by each transport in its own way."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intents.facts.model import NodeFacts, PodFacts
from responses.diagnosis import Diagnosis
from responses.redaction import Redacted


@dataclass(frozen=True)
class DiagnoseResult:
    """A finished diagnosis, ready to publish."""

    diagnosis: Diagnosis
    fingerprint: str
    """Recognises the same problem seen again (same cluster, object and catalog id, or paste)."""
    facts: PodFacts | NodeFacts | None = None
    """What the diagnosis was made from (remediation planners read it)."""
    source: str = "cluster"
    context: str | None = None
    """The kubeconfig context the diagnosis read (None: the default one)."""
    text: Redacted | None = None
    """The pasted text (redacted where it arrived), for a paste."""
    offers: tuple[RemoteOffer, ...] = ()
    """The remediation buttons a fleet agent's facts support (a hub has no facts of its own)."""


@dataclass(frozen=True)
class RemoteOffer:
    """A button a fleet agent offered: kind and target as it sent them, checked again by the hub."""

    kind: str
    target: Mapping[str, Any]
    catalog_id: str


def digest(*parts: str | None) -> str:
    """A short stable fingerprint of `parts`."""
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Posted:
    """The answer was posted (or an earlier reply updated) here."""

    channel: str
    ts: str | None
    diagnosis_id: str | None
    repeated: int = 1


@dataclass(frozen=True)
class Quiet:
    """Nothing is said: a pasted message without a confident match, or over the channel budget."""

    reason: str


@dataclass(frozen=True)
class Unsure:
    """An explicit ask without a confident match: the closest matches, told only to the asker."""

    diagnosis: Diagnosis


@dataclass(frozen=True)
class Refused:
    """An expected failure (bad name, unknown pod, cluster unreadable): one line to the asker."""

    reason: str
    costly: bool = False
    """A text too costly to read: told even where a paste is otherwise answered only when sure."""


@dataclass(frozen=True)
class Failed:
    """An unexpected failure, logged with its traceback: the asker gets an apology."""


@dataclass(frozen=True)
class NotPosted:
    """The diagnosis is ready but the chat refused it (`error`, e.g. not_in_channel)."""

    diagnosis: Diagnosis
    error: str


Answer = Posted | Quiet | Unsure | Refused | Failed | NotPosted
"""What became of a diagnose request."""
