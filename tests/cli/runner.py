"""Run the installed `kubemedic` console script as a user would, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(sys.executable).parent / "kubemedic"


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
