"""Issue 24 (LOW): a kubeconfig exec credential plugin's stderr (which may hold a token) is
never passed through: not to the terminal the CLI runs in, not into an error line or a log.
The plugin still works: its ExecCredential token is what the API server is asked with."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.cli.runner import SCRIPT, kubemedic
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, start_in_thread
from tests.waiting import PATIENCE

LEAK = "Pl4ntedExecStderrToken"
GRANTED = "plugin-issued-token-7f3a"


def _plugin(folder: Path, *, exit_code: int) -> Path:
    script = folder / "fake-auth-plugin"
    answer = (
        '{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential", '
        f'"status": {{"token": "{GRANTED}"}}}}'
    )
    script.write_text(
        f"#!/bin/sh\necho 'debug: refreshed token {LEAK}' >&2\n"
        + (f"echo '{answer}'\n" if exit_code == 0 else "")
        + f"exit {exit_code}\n"
    )
    script.chmod(0o755)
    return script


def _kubeconfig(folder: Path, server: str, plugin: Path) -> Path:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "lab",
        "clusters": [{"name": "lab", "cluster": {"server": server}}],
        "contexts": [{"name": "lab", "context": {"cluster": "lab", "user": "eks"}}],
        "users": [
            {
                "name": "eks",
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1",
                        "command": str(plugin),
                        "interactiveMode": "IfAvailable",
                    }
                },
            }
        ],
    }
    path = folder / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return path


def _at_a_terminal(args: list[str], env: dict[str, str], timeout: float = PATIENCE) -> str:
    """Everything the command shows on a terminal (stdin, stdout and stderr on one pty)."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot"]
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("KUBEMEDIC_", "SLACK_"))
    }
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [*command, *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**environment, **env},
    )
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the terminal closed: the command ended
                    break
                if not chunk:
                    break
                shown += chunk
            elif process.poll() is not None:
                break
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
        process.wait(10)
    return shown.decode(errors="replace")


def test_a_failing_plugin_at_a_terminal_shows_no_stderr(tmp_path: Path) -> None:
    kubeconfig = _kubeconfig(tmp_path, "http://127.0.0.1:9", _plugin(tmp_path, exit_code=1))
    env = {"KUBECONFIG": str(kubeconfig), "HOME": str(tmp_path)}
    shown = _at_a_terminal(["diagnose", "pod", "shop/web-0"], env)
    assert "fake-auth-plugin" in shown and LEAK not in shown, shown
    piped = kubemedic("diagnose", "pod", "shop/web-0", env=env)
    assert piped.code != 0 and LEAK not in piped.stdout + piped.stderr, piped.stderr
    assert "error output is not shown" in piped.stdout + piped.stderr


def test_a_working_plugin_authenticates_and_its_stderr_stays_hidden(tmp_path: Path) -> None:
    standin = KubeStandIn(latency=0.0, token=GRANTED)  # any other bearer token gets 401
    oom = scenarios.oom_killed_deployment(standin)
    with start_in_thread(standin) as server:
        kubeconfig = _kubeconfig(tmp_path, server.url, _plugin(tmp_path, exit_code=0))
        env = {"KUBECONFIG": str(kubeconfig), "HOME": str(tmp_path)}
        shown = _at_a_terminal(["diagnose", "pod", f"shop/{oom.pod}"], env)
    assert "oom-killed" in shown and LEAK not in shown, shown
