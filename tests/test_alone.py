"""An `alone` test waits for the test the other worker is running, and the other worker starts
no test until it is done (tests/alone.py), with the same lock files two workers of a run share."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from tests import alone
from tests.waiting import PATIENCE

ROOT = Path(__file__).resolve().parents[1]
OTHER_WORKER = """
import sys, time
from pathlib import Path
from types import SimpleNamespace
from tests import alone

folder = Path(sys.argv[1])
worker = SimpleNamespace(workerinput={})
with alone.turn(worker, alone=False):  # a test running
    (folder / "running").touch()
    while not (folder / "finish").exists():
        time.sleep(0.02)
with alone.turn(worker, alone=False):  # the next test
    (folder / "next started").touch()
"""


def test_an_alone_test_runs_between_the_other_workers_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(alone.FOLDER_ENV, str(tmp_path))
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_WORKER, str(tmp_path)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), alone.FOLDER_ENV: str(tmp_path)},
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while not (tmp_path / "running").exists():
            assert time.monotonic() < deadline and other.poll() is None, "the other worker's test"
            time.sleep(0.02)
        timed_started, timed_done = threading.Event(), threading.Event()

        def timed_test() -> None:
            with alone.turn(cast(pytest.Config, SimpleNamespace(workerinput={})), alone=True):
                timed_started.set()
                timed_done.wait(30)

        thread = threading.Thread(target=timed_test)
        thread.start()
        assert not timed_started.wait(0.5)  # it waits for the running test...
        (tmp_path / "finish").touch()
        assert timed_started.wait(30)  # ...and runs once it is done,
        time.sleep(0.5)
        assert not (tmp_path / "next started").exists()  # while the other worker starts none
        timed_done.set()
        thread.join(30)
        assert other.wait(30) == 0 and (tmp_path / "next started").exists()
    finally:
        other.kill()
        other.wait()


def test_outside_a_worker_nothing_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(alone.FOLDER_ENV, str(tmp_path))
    outside = cast(pytest.Config, SimpleNamespace())
    with alone.turn(outside, alone=True), alone.turn(outside, alone=True):
        pass  # two exclusive turns at once: not locked
    assert list(tmp_path.iterdir()) == []
