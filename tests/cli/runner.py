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
              timeout: float = 60) -> Result:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KUBEMEDIC_", "SLACK_"))}
    environment.update(env or {})
    completed = subprocess.run(
        [*command, *args], input=stdin if stdin is not None else b"", capture_output=True,
        env=environment, timeout=timeout, check=False,
    )
    return Result(completed.returncode, completed.stdout.decode(), completed.stderr.decode())
