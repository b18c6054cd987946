"""The fleet tier's own PostgreSQL server: one of its tests restarts it mid-ask.

Started by `.ci/postgres.sh` on a free port with a data directory of its own
(KUBEMEDIC_PG_PORT, KUBEMEDIC_PG_DATA), so the restart never touches the server the other
tiers share on 55432; stopped (and its data removed) when the tier ends.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

from tests.standins.bot_process import free_port

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "postgres.sh"
EXPORT = "export KUBEMEDIC_TEST_POSTGRES_URL="


def installed() -> bool:
    """PostgreSQL's server programs are here (the script would otherwise try to install them)."""
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"))


class OwnPostgres:
    """A PostgreSQL server of the tier's own (see the module docstring)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.data = Path(f"/tmp/kubemedic-pg-fleettier-{self.port}")
        self.env = {
            **os.environ,
            "KUBEMEDIC_PG_PORT": str(self.port),
            "KUBEMEDIC_PG_DATA": str(self.data),
        }

    def _run(self, verb: str) -> str:
        done = subprocess.run(
            ["bash", str(SCRIPT), verb],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f".ci/postgres.sh {verb} failed: {done.stderr[-2000:]}")
        return done.stdout

    def start(self) -> str:
        """Start it; the URL of its test database."""
        [line] = [line for line in self._run("start").splitlines() if line.startswith(EXPORT)]
        return line.removeprefix(EXPORT)

    def restart(self) -> None:
        """A fast shutdown and a start on the same data: about a second without a database."""
        self._run("restart")

    def stop(self) -> None:
        self._run("stop")
