"""The ranked suspects of a snapshot: the first half of what the walk returns, which most of
these tests compare."""

from __future__ import annotations

from collections.abc import Sequence

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.snapshot import Snapshot
from bot.diagnosis.suspects.walk import walked
from responses.diagnosis import PodRow, Suspect


def suspects_of(
    snapshot: Snapshot, rows: Sequence[PodRow], *, judge: Judge, symptom: str
) -> tuple[Suspect, ...]:
    """The ranked suspects of the snapshot (CPU only)."""
    return walked(snapshot, rows, judge=judge, symptom=symptom)[0]
