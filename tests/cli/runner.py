"""Run the installed `kubemedic` console script as a user would, in a subprocess."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(sys.executable).parent / "kubemedic"
INDEX_CACHE = Path(tempfile.mkdtemp(prefix="kubemedic-test-index-"))
"""One catalog index cache for every command this test process runs (unless a test sets its
own): a test that gives the command a fresh HOME would otherwise pay a catalog build (about a
second of CPU) on each call. tests/cli/test_cli_startup.py tests the cache itself."""
atexit.register(shutil.rmtree, INDEX_CACHE, True)


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def kubemedic(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
              timeout: float = 60, cwd: Path | None = None) -> Result:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("KUBEMEDIC_", "SLACK_", "XDG_DATA_HOME"))}
    environment["KUBEMEDIC_CACHE_DIR"] = str(INDEX_CACHE)
    environment.update(env or {})
    completed = subprocess.run(
        [*command, *args], input=stdin if stdin is not None else b"", capture_output=True,
        env=environment, timeout=timeout, check=False, cwd=cwd,
    )
    return Result(completed.returncode, completed.stdout.decode(), completed.stderr.decode())


def kubemedic_at_terminal(*args: str, typed: bytes, timeout: float = 60) -> Result:
    """Run with standard input on a terminal (a pty) where `typed` is typed, as a user would;
    stdout and stderr are captured as usual."""
    import pty
    import select
    import time

    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KUBEMEDIC_", "SLACK_"))}
    environment["KUBEMEDIC_CACHE_DIR"] = str(INDEX_CACHE)
    controller, terminal = pty.openpty()
    process = subprocess.Popen([*command, *args], stdin=terminal, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment)
    os.close(terminal)
    try:
        hint = b""
        deadline = time.monotonic() + timeout
        while process.stderr is not None and b"\n" not in hint and time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], 0.5)
            if ready:
                hint += os.read(process.stderr.fileno(), 4096)  # the hint comes before any typing
        os.write(controller, typed)
        stdout, stderr = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
    return Result(process.returncode, stdout.decode(), (hint + stderr).decode())
