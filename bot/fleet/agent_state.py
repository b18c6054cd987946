"""What a running agent knows of itself, and the status file its liveness probe reads.

`kubemedic agent --alive` passes while the agent's loop touched its status file lately, hub or no
hub: restarting an agent would not bring a lost hub back, so the probe does not depend on it.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.fleet.wire import Answer


@dataclass
class AgentState:
    """What the agent knows of itself: for the status file, `doctor` and tests."""

    cluster: str | None = None
    """The cluster the hub knows it as (from the welcome)."""
    connected: bool = False
    connections: int = 0
    answered: int = 0
    attempt: int = 0
    """Dials since the last welcome: the back-off's step."""
    waits: list[float] = field(default_factory=list)
    """The waits before each dial again, in seconds (the last 20)."""
    outbox: list[Answer] = field(default_factory=list)
    """Answers whose connection closed before they were sent."""

    def touch(self, status_file: Path) -> None:
        state = f"connected {self.cluster}" if self.connected else "dialling"
        with contextlib.suppress(OSError):
            status_file.write_text(f"{state}\n")


def alive(status_file: Path, *, within: float) -> bool:
    """The liveness probe's check: the status file was touched within `within` seconds."""
    try:
        return time.time() - status_file.stat().st_mtime <= within
    except OSError:
        return False
