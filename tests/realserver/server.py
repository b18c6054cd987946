"""The kube-apiserver started by .ci/kube-apiserver.sh: where it is, and how to restart it."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.waiting import PATIENCE

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "kube-apiserver.sh"
KUBECONFIG_ENV = "KUBEMEDIC_TEST_KUBECONFIG"
STATE_ENV = "KUBEMEDIC_TEST_KUBE_APISERVER_DIR"
START_HINT = f'eval "$(bash {SCRIPT.relative_to(ROOT)})"'


@dataclass(frozen=True)
class RealServer:
    """A running kube-apiserver: its admin kubeconfig, state directory and version."""

    kubeconfig: Path
    state: Path

    @classmethod
    def from_env(cls) -> RealServer | None:
        path = os.environ.get(KUBECONFIG_ENV, "")
        if not path or not Path(path).is_file():
            return None
        state = Path(os.environ.get(STATE_ENV) or Path(path).parent)
        return cls(Path(path), state)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{(self.state / 'apiserver-port').read_text().strip()}"

    @property
    def version(self) -> str:
        return (self.state / "version").read_text().strip()

    @property
    def ca_data(self) -> str:
        return base64.b64encode((self.state / "serving.crt").read_bytes()).decode()

    @property
    def serving_cert(self) -> tuple[Path, Path]:
        """The serving cert and key; the API server trusts them for kubelets too."""
        return self.state / "serving.crt", self.state / "serving.key"

    @property
    def audit_log(self) -> Path:
        return self.state / "audit.log"

    def token_kubeconfig(self, path: Path, token: str, *, context: str = "realserver") -> Path:
        """A kubeconfig that authenticates with `token` (e.g. a service account's)."""
        doc = {
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": context,
            "clusters": [
                {
                    "name": context,
                    "cluster": {"server": self.url, "certificate-authority-data": self.ca_data},
                }
            ],
            "users": [{"name": context, "user": {"token": token}}],
            "contexts": [{"name": context, "context": {"cluster": context, "user": context}}],
        }
        path.write_text(yaml.safe_dump(doc))
        path.chmod(0o600)
        return path

    def restart(self, *, timeout: float = 120.0) -> float:
        """Restart kube-apiserver (etcd and its data stay); seconds until it was ready again."""
        started = time.monotonic()
        env = {**os.environ, "KUBEMEDIC_KAPI_DIR": str(self.state)}
        done = subprocess.run(
            ["bash", str(SCRIPT), "restart"],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return time.monotonic() - started


@dataclass
class AuditLog:
    """The API server's audit log of service-account requests (see the script's policy)."""

    path: Path

    def mark(self) -> int:
        """The current end of the log: pass it to `events` to see only what follows."""
        return self.path.stat().st_size if self.path.exists() else 0

    def events(self, since: int = 0) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as handle:
            handle.seek(since)
            data = handle.read()
        lines = data.decode("utf-8", "replace").splitlines()
        return [json.loads(line) for line in lines if line.strip().startswith("{")]

    def wait_for(
        self,
        predicate: Callable[[list[dict[str, Any]]], bool],
        *,
        since: int = 0,
        timeout: float = PATIENCE,
    ) -> list[dict[str, Any]]:
        """The events since `since`, once `predicate` holds for them (they are written
        just after the response, so a test may look a moment too early)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.events(since)
            if predicate(found) or time.monotonic() > deadline:
                return found
            time.sleep(0.05)
