"""A normal start is quiet and a missing setting is named with what each mode needs.

`kubemedic serve --http` starts as a real process against the stand-ins:
its log holds kubemedic's own lines only (no slack_bolt "token will be
unused" warnings). A kubeconfig that skips TLS verification gives one line
of kubemedic's, not urllib3's InsecureRequestWarning per request.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from tests.cli.runner import kubemedic
from tests.doctor.install import self_signed
from tests.standins import kube_scenarios as scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn, write_kubeconfig
from tests.standins.slack_api import SlackStandIn, start_in_thread
from tests.standins.threaded import ThreadedHost


def test_a_normal_start_logs_only_kubemedic_s_own_lines(tmp_path: Path) -> None:
    slack = SlackStandIn(bot_token="xoxb-quiet")
    with start_in_thread(slack) as server:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-quiet",
            "SLACK_SIGNING_SECRET": "quiet-signing-secret",
            "SLACK_API_URL": server.api_url,
            "KUBEMEDIC_LOG_FORMAT": "json",
            "PYTHONWARNINGS": "default",
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "HOME": str(tmp_path),
        }
        with BotProcess(env, tmp_path / "bot.log") as bot:
            bot.wait_ready()
            bot.stop()
            lines = [
                json.loads(line)
                for line in (tmp_path / "bot.log").read_text().splitlines()
                if line.strip()
            ]
    assert lines, "serve logged nothing"
    assert [line for line in lines if line["level"] != "INFO"] == []
    assert {line["logger"] for line in lines} <= {
        "bot.commands.serving",
        "bot.commands.serve_runtime",
        "bot.runtime.work",
    }
    assert any("kubemedic serving (HTTP mode: --http given)" in line["msg"] for line in lines)


@asynccontextmanager
async def _https(kube: KubeStandIn, cert: Path, key: Path) -> AsyncIterator[str]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    runner = web.AppRunner(kube.make_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
    try:
        yield f"https://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def test_an_insecure_kubeconfig_gives_one_line_of_ours(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    scenarios.oom_killed_deployment(kube)
    cert, key = self_signed(tmp_path)
    with ThreadedHost(lambda: _https(kube, cert, key), name="kube-https").start() as server:
        path = write_kubeconfig(tmp_path / "kubeconfig", {"lab": server.url})
        config = yaml.safe_load(path.read_text())
        config["clusters"][0]["cluster"]["insecure-skip-tls-verify"] = True
        path.write_text(yaml.safe_dump(config))
        result = kubemedic(
            "diagnose",
            "namespace",
            "shop",
            env={"KUBECONFIG": str(path), "HOME": str(tmp_path), "PYTHONWARNINGS": "default"},
        )
    assert result.code == 0, result.stderr
    assert "InsecureRequestWarning" not in result.stderr
    assert result.stderr.splitlines() == [
        (
            "WARNING bot.cluster.kubeconfig: context lab skips TLS verification (insecure-skip-tls-verify): "
            "the API server's certificate is not checked"
        )
    ]
    assert len(kube.requests) >= 3  # several requests, still one line


MISSING = {
    "nothing set": (
        {},
        (),
        (
            "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set: HTTP mode needs "
            "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (chosen because SLACK_APP_TOKEN is not set); "
            "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN"
        ),
    ),
    "meant Socket Mode": (
        {"SLACK_BOT_TOKEN": "xoxb-x"},
        (),
        (
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs "
            "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (chosen because SLACK_APP_TOKEN is not set); "
            "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN"
        ),
    ),
    "Socket Mode without bot token": (
        {"SLACK_APP_TOKEN": "xapp-1-x"},
        (),
        (
            "SLACK_BOT_TOKEN is not set: Socket "
            "Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN (chosen because "
            "SLACK_APP_TOKEN is set)"
        ),
    ),
    "--http without secret": (
        {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_APP_TOKEN": "xapp-1-x"},
        ("--http",),
        (
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs SLACK_BOT_TOKEN and "
            "SLACK_SIGNING_SECRET (serve --http)"
        ),
    ),
    "a blank app token is unset": (
        {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_APP_TOKEN": " "},
        (),
        (
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs SLACK_BOT_TOKEN and "
            "SLACK_SIGNING_SECRET (chosen because SLACK_APP_TOKEN is not set); "
            "Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN"
        ),
    ),
}


@pytest.mark.parametrize("case", MISSING.values(), ids=MISSING.keys())
def test_a_missing_slack_setting_names_what_each_mode_needs(
    case: tuple[dict[str, str], tuple[str, ...], str], tmp_path: Path
) -> None:
    env, args, message = case
    result = kubemedic("serve", *args, env={"HOME": str(tmp_path), **env})
    assert result.code == 2 and result.stderr == f"kubemedic: {message}\n"
    assert not (tmp_path / ".local").exists(), "nothing is created before the settings are checked"
