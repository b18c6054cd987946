"""A recording read as a cluster: a `kubectl cluster-info dump` tree or recorded kubectl outputs.

`diagnose`, `preview`, `serve` and `replay` open one here (`--from-dump`, `--from-outputs`,
`--at`), one way: redacted unless `--show-secrets`, judged at the moment it was made (`--at`,
else the time it shows; the wall clock only for outputs that show no date at all). Served
(`serve --from-*`, `replay`), the bot's clusters are only that recording (`RecordedClusters`),
whatever a page or an alert names; every answer says what it was read from (`recorded_name`:
"a recording made 2024-05-14 08:29 UTC (examples/dump), not a live cluster", bot/wiring/
recording.py) and remediation stops at its dry run (bot/wiring/hub.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from bot.cluster.directory import ClusterDirectory
from bot.cluster.reader import ClusterReader
from bot.cluster.redacting import RedactedReader
from bot.errors import BadInput
from bot.settings import Settings

Source = Literal["dump", "outputs"]
UNSAFE = re.compile(r"[\s`*_~<>&]")
"""What a button's target may not carry in its cluster's name (bot/remediation/targets.py)."""


@dataclass(frozen=True)
class Recording:
    """Where a recording is (`--from-dump DIR` or `--from-outputs PATH`) and, `at` (`--at`), when
    it was made, as the person says (None: the time it shows)."""

    source: Source
    path: str
    at: datetime | None = None

    @property
    def flag(self) -> str:
        return f"--from-{self.source}"

    def open(
        self, *, shown: bool = False, now: datetime | None = None, served: bool = False
    ) -> ClusterReader:
        """The recording's reader (BadInput when it is not one); `served`: named as a button's
        target may name a cluster (its path, each character chat markup would read replaced)."""
        inner = self._dump() if self.source == "dump" else self._outputs(now)
        name = UNSAFE.sub("-", self.path) if served else None
        return RedactedReader(inner, shown=shown, name=name)

    def _dump(self) -> ClusterReader:
        if not Path(self.path).is_dir():
            raise BadInput(f"--from-dump: {self.path!r} is not a directory")
        try:
            from bot.cluster.dump import DumpReader
        except ImportError:
            raise BadInput("--from-dump is not available in this installation") from None
        return DumpReader(Path(self.path), at=self.at)

    def _outputs(self, now: datetime | None) -> ClusterReader:
        from bot.cluster.outputs import OutputsReader
        from bot.cluster.outputs.ages import Clock

        return OutputsReader(Path(self.path), clock=Clock(self.at, fallback=now))


def recorded_name(reader: ClusterReader) -> str:
    """What every answer read from a recording says it was read from: what it is, and of when."""
    as_of = getattr(reader, "as_of", None)
    when = as_of() if callable(as_of) else None
    made = f" made {when.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if when is not None else ""
    return f"a recording{made} ({reader.cluster_name}), not a live cluster"


def recording_of(
    *, from_dump: str | None, from_outputs: str | None, at: datetime | None
) -> Recording | None:
    """The recording the flags name (None: none); BadInput for both, or for `--at` alone."""
    if from_dump is not None and from_outputs is not None:
        raise BadInput("--from-dump and --from-outputs cannot be used together")
    if from_dump is not None:
        return Recording("dump", from_dump, at)
    if from_outputs is not None:
        return Recording("outputs", from_outputs, at)
    if at is not None:
        raise BadInput(
            "--at is when a recording was made: give it with --from-outputs or --from-dump "
            "(a live cluster is judged now)"
        )
    return None


def served_recording(settings: Settings) -> ClusterReader | None:
    """The recording the bot serves instead of any cluster (KUBEMEDIC_FROM_DUMP or
    KUBEMEDIC_FROM_OUTPUTS, at KUBEMEDIC_RECORDED_AT: `serve --from-*`), opened; None: none."""
    recording = recording_of(
        from_dump=settings.from_dump, from_outputs=settings.from_outputs, at=settings.recorded_at
    )
    return recording.open(now=settings.clock(), served=True) if recording is not None else None


class RecordedClusters(ClusterDirectory):
    """The bot's clusters while it serves a recording: that recording, whatever context or
    cluster a request, an alert or a page names (a replayed page names the recorded cluster)."""

    def __init__(self, settings: Settings, reader: ClusterReader) -> None:
        super().__init__(settings, connector=lambda _settings, _context: reader)
        self.recorded = reader
        self.described = recorded_name(reader)
        """What every answer says it is read from."""

    def reader(self, context: str | None) -> ClusterReader:
        return self.recorded

    def reader_named(self, cluster_name: str) -> ClusterReader:
        return self.recorded
