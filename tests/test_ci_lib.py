"""The .ci scripts' shared helpers (.ci/lib.sh): a run killed before its trap must not stop
the next one, and a PID the kernel has handed to another process is never ours."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[1] / ".ci" / "lib.sh"


def lib(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a bash snippet with .ci/lib.sh sourced."""
    return subprocess.run(
        ["bash", "-c", f'SCRIPT=test; . "{LIB}"; {script}'],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def start_time(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()[19]


def test_a_recorded_pid_is_alive_and_stopped_only_while_it_is_the_same_process(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    ours = tmp_path / "ours.pid"
    lib(f"remember_pid {ours} {sleeper.pid}", tmp_path)
    assert ours.read_text().split() == [str(sleeper.pid), start_time(sleeper.pid)]
    reused = tmp_path / "reused.pid"
    reused.write_text(f"{sleeper.pid} 1\n")  # the same PID, started at another time
    assert lib(f"alive {ours}", tmp_path).returncode == 0
    assert lib(f"alive {reused}", tmp_path).returncode == 1
    lib(f"stop_pid {reused} 1", tmp_path)
    assert sleeper.poll() is None, "stop_pid killed a process that only shares the PID"
    assert not reused.exists()
    lib(f"stop_pid {ours} 1", tmp_path)
    assert sleeper.wait(timeout=10) is not None


def test_a_bare_pid_file_as_other_programs_write_it_is_still_read(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    bare = tmp_path / "shim.pid"
    bare.write_text(str(sleeper.pid))
    assert lib(f"alive {bare}", tmp_path).returncode == 0


def state_dir(root: Path, name: str, pid: int, since: str) -> Path:
    folder = root / f"state-{name}"
    folder.mkdir()
    (folder / "server.pid").write_text(f"{pid} {since}\n")
    return folder


def stop_stub(tmp_path: Path) -> Path:
    stub = tmp_path / "stub.sh"
    stub.write_text(
        f'[ "$1" = stop ] && echo "$STATE_DIR" >>{tmp_path}/stopped && rm -rf "$STATE_DIR"\n'
    )
    return stub


def test_a_state_left_by_a_killed_run_is_stopped_and_ours_is_left_alone(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    killed = state_dir(tmp_path, "killed", dead.pid, "1")
    ours = state_dir(tmp_path, "ours", dead.pid, "1")
    result = lib(
        f'reclaim_stale {ours} "{tmp_path}/state-*" {stop_stub(tmp_path)} STATE_DIR', tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "stopped").read_text().split() == [str(killed)]
    assert f"stopping what a killed run left in {killed}" in result.stderr
    assert not killed.exists() and ours.exists()


def test_a_state_whose_processes_still_run_stops_the_start_with_the_command_to_stop_it(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    running = state_dir(tmp_path, "running", sleeper.pid, start_time(sleeper.pid))
    ours = tmp_path / "state-ours"
    stub = stop_stub(tmp_path)
    result = lib(f'reclaim_stale {ours} "{tmp_path}/state-*" {stub} STATE_DIR', tmp_path)
    assert result.returncode == 1
    assert (
        f"{running} belongs to a run in progress; stop it first: STATE_DIR={running} bash {stub} stop"
        in result.stderr
    )
    assert running.exists() and sleeper.poll() is None


def test_a_live_state_is_left_alone_when_servers_may_coexist(
    tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    running = state_dir(tmp_path, "running", sleeper.pid, start_time(sleeper.pid))
    ours = tmp_path / "state-ours"
    result = lib(
        f'reclaim_stale {ours} "{tmp_path}/state-*" {stop_stub(tmp_path)} STATE_DIR live-ok',
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert running.exists() and sleeper.poll() is None and not (tmp_path / "stopped").exists()
