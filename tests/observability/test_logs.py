"""Structured logs: JSON lines off a terminal, request ids, and never a secret."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.logs import REQUEST_ID, configure_logging, request_id_for
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, write_kubeconfig
from tests.standins.kube_api import start_in_thread as start_kube
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests, post_sync
from tests.waiting import PATIENCE

TOKEN = "xoxb-4242-observability-token"
SECRET = "5e1f0c0ffee0ddba11feedface0123ab"
ROOT = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.usefixtures("restore_root_logger")
def test_off_a_terminal_each_record_is_one_json_object_with_request_id_and_extras() -> None:
    stream = io.StringIO()
    configure_logging(stream, "INFO")
    log = logging.getLogger("kubemedic.test")
    token = REQUEST_ID.set("req-1")
    try:
        log.info("diagnosed %s", "shop/web-0", extra={"catalog_id": "oom-killed"})
    finally:
        REQUEST_ID.reset(token)
    log.debug("not at INFO")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        log.exception("outside a request")
    first, second = lines(stream)
    assert first["msg"] == "diagnosed shop/web-0" and first["level"] == "INFO"
    assert first["logger"] == "kubemedic.test" and first["request_id"] == "req-1"
    assert first["catalog_id"] == "oom-killed" and first["ts"].endswith("Z")
    assert second["request_id"] is None and second["level"] == "ERROR"
    assert "Traceback" in second["exc"] and "RuntimeError: boom" in second["exc"]


@pytest.mark.usefixtures("restore_root_logger")
def test_on_a_terminal_lines_are_for_people_and_the_format_can_be_forced() -> None:
    terminal = Terminal()
    configure_logging(terminal, "INFO")
    token = REQUEST_ID.set("req-2")
    logging.getLogger("kubemedic.test").warning("slow answer", extra={"elapsed_ms": 812})
    REQUEST_ID.reset(token)
    [line] = terminal.getvalue().splitlines()
    assert line.endswith("WARNING kubemedic.test [req-2]: slow answer elapsed_ms=812")
    forced = Terminal()
    configure_logging(forced, "INFO", json=True)  # replaces the earlier handler
    logging.getLogger("kubemedic.test").info("json anyway")
    assert terminal.getvalue().count("\n") == 1
    assert lines(forced)[0]["msg"] == "json anyway"


@pytest.mark.usefixtures("restore_root_logger")
def test_secrets_are_redacted_in_messages_arguments_tracebacks_and_extras() -> None:
    stream = io.StringIO()
    configure_logging(stream, "INFO", secrets=[TOKEN, SECRET, "short"])
    log = logging.getLogger("kubemedic.test")
    log.info(
        "token %s secret %s", TOKEN, SECRET, extra={"header": f"Authorization: Bearer {SECRET}"}
    )
    log.warning(
        "db at postgresql://kubemedic:hunter2pass@db/kubemedic, other xoxp-1234567890123-1234567890123-1234567890123-5ba047e7f9e50a2ec7342fe128d8cc74"
    )
    try:
        raise ValueError(f"Slack said: invalid signature {SECRET} for {TOKEN}")
    except ValueError:
        log.exception("failed")
    output = stream.getvalue()
    assert TOKEN not in output and SECRET not in output and "hunter2pass" not in output
    assert "xoxp-1234567890" not in output
    assert "[REDACTED]" in lines(stream)[2]["exc"] and "short" not in output


@pytest.mark.usefixtures("restore_root_logger")
def test_background_tasks_log_with_the_request_id_they_were_spawned_under() -> None:
    stream = io.StringIO()
    configure_logging(stream, "INFO")
    log = logging.getLogger("kubemedic.test")

    async def request(slack_id: str) -> asyncio.Task[None]:
        REQUEST_ID.set(request_id_for({"event_id": slack_id}))

        async def later() -> None:
            await asyncio.sleep(0.01)
            log.info("background work for %s", slack_id)

        return asyncio.get_running_loop().create_task(later())

    async def main() -> None:
        tasks = [await asyncio.create_task(request(name)) for name in ("Ev001", "Ev002")]
        log.info("outside")
        await asyncio.gather(*tasks)

    asyncio.run(main())
    seen = {entry["msg"]: entry["request_id"] for entry in lines(stream)}
    assert seen == {
        "outside": None,
        "background work for Ev001": "Ev001",
        "background work for Ev002": "Ev002",
    }
    assert len(request_id_for({})) == 12 and request_id_for({}) != request_id_for({})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = PATIENCE) -> None:
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        assert process.poll() is None, "kubemedic serve exited early"
        try:
            with opener.open(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("kubemedic serve did not become ready")


@pytest.mark.serve  # starts `kubemedic serve --http` as a process: the serve tier (tests/tiers.py)
def test_serve_logs_json_lines_with_one_request_id_per_request_and_no_secret(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.oom_killed_deployment(kube)
    slack = SlackStandIn(bot_token=TOKEN)
    # the post fails with an error text that echoes both secrets, and the failure is logged
    slack.error("chat.postMessage", f"invalid_auth {TOKEN} {SECRET}", times=None)
    with start_kube(kube) as kube_server, start_slack(slack) as slack_server:
        port = _free_port()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("KUBEMEDIC_", "SLACK_"))
        }
        env.update(
            {
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": slack_server.api_url,
                "KUBECONFIG": str(
                    write_kubeconfig(tmp_path / "kubeconfig", {"lab": kube_server.url})
                ),
                "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                "KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"),
                "PYTHONPATH": str(ROOT),
            }
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_ready(url, process)
            requests = SlackRequests(SECRET, standin=slack)
            for text in (f"pod {case.namespace}/{case.pod}", "help"):
                status, _ = post_sync(f"{url}/slack/events", *requests.slash_command(text))
                assert status == 200
            slack.wait_for_sync("chat.postMessage", ok=False)
            time.sleep(0.5)  # let the failure be logged
        finally:
            process.send_signal(signal.SIGTERM)
            _, raw = process.communicate(timeout=30)
    stderr = raw.decode()
    (tmp_path / "stderr.log").write_text(stderr)
    assert TOKEN not in stderr and SECRET not in stderr, stderr
    entries = [
        json.loads(line) for line in stderr.splitlines() if line.strip()
    ]  # every line is JSON
    assert all({"ts", "level", "logger", "msg", "request_id"} <= entry.keys() for entry in entries)
    handled = [
        entry for entry in entries if entry["msg"].startswith("handled command /diagnose: 200")
    ]
    assert len(handled) == 2 and handled[0]["request_id"] != handled[1]["request_id"], entries
    # the failed post is logged (a warning, or an error with its traceback), secrets replaced
    failed = [entry for entry in entries if "[REDACTED]" in entry["msg"] + entry.get("exc", "")]
    assert failed, entries
    assert {entry["request_id"] for entry in failed} == {
        handled[0]["request_id"]
    }  # background work
    assert any(
        entry["msg"].startswith("diagnosed pod") and entry["request_id"] == handled[0]["request_id"]
        for entry in entries
    )


class CountedRepr(str):
    """A header value that counts how often a debug line was built from it."""

    built = 0

    def __repr__(self) -> str:
        CountedRepr.built += 1
        return super().__repr__()


@pytest.mark.usefixtures("restore_root_logger")
@pytest.mark.parametrize(("level", "built"), [("INFO", False), ("DEBUG", True)])
def test_slack_calls_build_no_debug_line_unless_debug_is_logged(level: str, built: bool) -> None:
    from bot.cli import SLACK_SDK_LOGGERS, setup_logging
    from bot.commands.io import CommandIO
    from bot.settings import Settings
    from bot.slack.app import web_client

    slack = SlackStandIn(bot_token=TOKEN)
    try:
        with start_slack(slack) as server:
            settings = Settings(
                SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=server.api_url, KUBEMEDIC_LOG_LEVEL=level
            )
            setup_logging("serve", settings, CommandIO(stderr=io.StringIO()))
            client = web_client(settings)
            client.headers = {"X-Probe": CountedRepr("probe")}
            CountedRepr.built = 0
            assert asyncio.run(client.auth_test())["ok"]
            assert (
                CountedRepr.built > 0
            ) is built  # slack_sdk formats params, headers and body for it
    finally:
        for name in SLACK_SDK_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.mark.usefixtures("restore_root_logger")
def test_the_agents_log_is_time_stamped_as_the_hubs_is() -> None:
    """`kubemedic agent` runs for months in a pod: its lines carry their time, at INFO (its
    connections, its redials), as `serve`'s do."""
    from bot.cli import SLACK_SDK_LOGGERS, setup_logging
    from bot.commands.io import CommandIO
    from bot.settings import Settings

    touched = [logging.getLogger(name) for name in ("aiohttp.access", *SLACK_SDK_LOGGERS)]
    levels = [logger.level for logger in touched]
    logged: dict[str, str] = {}
    try:
        for command in ("serve", "agent"):
            stream = io.StringIO()
            setup_logging(command, Settings(KUBEMEDIC_LOG_FORMAT="text"), CommandIO(stderr=stream))
            logging.getLogger("bot.fleet.agent").info("dialling the hub again in 0.7 s")
            logged[command] = stream.getvalue()
    finally:  # setup_logging quiets these for the process: the next test gets them as they were
        for logger, level in zip(touched, levels, strict=True):
            logger.setLevel(level)
    assert re.match(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO bot\.fleet\.agent: ", logged["agent"]
    )
    assert logged["agent"].split(" ", 2)[2] == logged["serve"].split(" ", 2)[2]
