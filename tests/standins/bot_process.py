"""`kubemedic serve --http` as a real child process, for multi-replica tests and benches."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.waiting import PATIENCE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    """One replica: started with `env` (added to a clean copy of os.environ), logs in `log_path`."""

    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        *,
        port: int | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        """`args`: more of `serve`'s options (`--hub`)."""
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = env
        environment = {**os.environ, **env}
        environment.pop("SLACK_APP_TOKEN", None)
        command = [sys.executable, "-m", "bot", "serve", "--http", "--port", str(self.port), *args]
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=self._log
        )

    def wait_ready(self, timeout: float = PATIENCE) -> Self:
        """Block until /readyz answers 200 (the database is reachable)."""
        deadline = time.monotonic() + timeout
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"replica exited with {self.process.returncode}:\n{self.log()}"
                )
            try:
                with opener.open(f"{self.url}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise AssertionError(f"replica not ready after {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: what an OOM kill or a lost node does; nothing runs after it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait, as Kubernetes does on a rollout."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
        return self.process.returncode

    def log(self) -> str:
        """What the replica logged so far (also after it stopped)."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
