"""`kubemedic serve` is ready only when it can work, and an optional part never stops it.

- Socket Mode whose socket host cannot be reached: the process serves its probes,
  /readyz answers 503 naming the Slack connection, and `kubemedic doctor` run beside
  it (as `kubectl exec` does in the pod) says the connection is down (that it turns
  ready once the socket says hello: tests/slack/test_socket_mode.py).
- The Alertmanager token alone (the optional Secret of every install) without a channel:
  the bot starts and is ready; POST /alertmanager answers 503 naming what to set (401 still
  for a wrong token).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.cli.runner import kubemedic
from tests.standins.bot_process import free_port
from tests.standins.slack_api import SlackStandIn, start_in_thread
from tests.waiting import PATIENCE

BOT_TOKEN, APP_TOKEN, SECRET = "xoxb-ready", "xapp-1-ready", "ready-signing-secret-0001"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with OPENER.open(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@contextmanager
def serving(env: dict[str, str], log: Path, *args: str) -> Iterator[str]:
    """`kubemedic serve ARGS` with `env` until the block ends; yields its base URL once /healthz answers."""
    environment = {**os.environ, **env}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", *args],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=out,
        )
        url = f"http://127.0.0.1:{env['PORT']}"
        try:
            deadline = time.monotonic() + PATIENCE
            while True:
                assert process.poll() is None, (
                    f"serve exited {process.returncode}:\n{log.read_text()}"
                )
                try:
                    if get(f"{url}/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(30)


def wait_status(url: str, status: int, timeout: float = PATIENCE) -> str:
    deadline = time.monotonic() + timeout
    while True:
        found, text = get(url)
        if found == status:
            return text
        assert time.monotonic() < deadline, (
            f"{url}: {found} {text!r}, not {status}, after {timeout:.0f} s"
        )
        time.sleep(0.2)


def _env(tmp_path: Path, slack: SlackStandIn, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "PORT": str(free_port()),
        "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"),
        "KUBECONFIG": str(tmp_path / "none"),
        **extra,
    }


def test_socket_mode_is_not_ready_while_its_connection_is_down_and_doctor_says_so(
    tmp_path: Path,
) -> None:
    slack = SlackStandIn(bot_token=BOT_TOKEN, app_token=APP_TOKEN)
    with start_in_thread(slack):
        # the socket URL answers TCP (doctor's probe passes) but is no websocket: the bot cannot connect
        slack.socket_url = f"{slack.url}/api/not-a-socket".replace("http://", "ws://")
        env = _env(tmp_path, slack)
        with serving(env, tmp_path / "down.log") as url:
            text = wait_status(f"{url}/readyz", 503)
            assert text.startswith("Slack Socket Mode connection not connected yet for "), text
            assert "its socket host 127.0.0.1 cannot be reached" in text and "serve --http" in text
            doctor = kubemedic("doctor", env=env)
        assert doctor.code == 1
        [line] = [
            line for line in doctor.stdout.splitlines() if "Slack events and commands" in line
        ]
        assert line.startswith(
            "FAIL  Slack events and commands (Socket Mode): the bot running here is not "
            "connected: Slack Socket Mode connection not connected yet"
        ), line
        assert slack.sockets == 0


def test_the_alertmanager_secret_alone_does_not_stop_the_bot(tmp_path: Path) -> None:
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    with start_in_thread(slack):
        env = _env(
            tmp_path,
            slack,
            KUBEMEDIC_ALERTMANAGER_TOKEN="kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv",
        )
        del env["SLACK_APP_TOKEN"]
        with serving(env, tmp_path / "bot.log", "--http") as url:
            assert wait_status(f"{url}/readyz", 200) == "ready\n"
            status, text = get(
                f"{url}/alertmanager",
                data=b"{}",
                headers={
                    "Authorization": "Bearer kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv",
                    "Content-Type": "application/json",
                },
            )
            wrong, _ = get(
                f"{url}/alertmanager",
                data=b"{}",
                headers={"Authorization": "Bearer not-it", "Content-Type": "application/json"},
            )
        log = (tmp_path / "bot.log").read_text()
    assert (status, wrong) == (503, 401)  # the token is still checked first
    assert text.startswith(
        "the Alertmanager receiver is off: no default channel for the alerts; "
        "set KUBEMEDIC_ALERT_CHANNEL"
    ), text
    assert log.count("the Alertmanager receiver is off") == 1, log
