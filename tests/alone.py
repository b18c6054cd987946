"""Under -n, a test that times itself against a wall-clock bound runs while the other worker waits.

tests/browser ranks every keystroke in under 100 ms of a real chromium's time; beside it, the
other worker may be starting a fleet of hub and agent processes or a storm, which take the
core chromium needs (a keystroke measured 56 ms in a run alone took over 100 ms beside a fleet
starting). So under -n every test holds a shared turn from its setup to its teardown, and a
test marked `alone` takes the exclusive turn for its call: the other worker finishes the test
it is in and starts no other until the timed one is done. Without -n nothing is locked.

The turns are two lock files (flock) in a folder the controller makes for the run: a gate an
exclusive taker closes first, so that the other worker cannot slip in a new test while it waits
for the room to empty.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

MARKER = (
    "alone: measures wall-clock time against a bound; under -n it runs while the other "
    "worker starts no test (tests/alone.py)"
)
FOLDER_ENV = "KUBEMEDIC_TEST_TURNS"
"""Where the run's lock files are: set by the controller, inherited by its workers."""

_opened: dict[str, int] = {}


def start(config: pytest.Config) -> None:
    """In the controller of a -n run: the folder of the run's turns (removed at its end)."""
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        return
    folder = tempfile.mkdtemp(prefix="kubemedic-turns-")
    os.environ[FOLDER_ENV] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def _lock(name: str) -> int | None:
    folder = os.environ.get(FOLDER_ENV)
    if folder is None:
        return None
    path = str(Path(folder) / name)
    if path not in _opened:
        _opened[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    return _opened[path]


@contextmanager
def turn(config: pytest.Config, *, alone: bool) -> Iterator[None]:
    """A shared turn, or with `alone` the exclusive one; nothing outside an xdist worker."""
    gate, room = (_lock("gate"), _lock("room")) if hasattr(config, "workerinput") else (None, None)
    if gate is None or room is None:
        yield
        return
    if alone:
        fcntl.flock(gate, fcntl.LOCK_EX)
        fcntl.flock(room, fcntl.LOCK_EX)
    else:
        fcntl.flock(gate, fcntl.LOCK_SH)
        fcntl.flock(room, fcntl.LOCK_SH)
        fcntl.flock(gate, fcntl.LOCK_UN)
    try:
        yield
    finally:
        fcntl.flock(room, fcntl.LOCK_UN)
        if alone:
            fcntl.flock(gate, fcntl.LOCK_UN)
