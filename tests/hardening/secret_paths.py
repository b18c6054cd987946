"""Every path a pasted secret can leave by, run for real: what each one carried, for a leak count.

`through_the_bot` starts the bot (Slack stand-in, a SQLite file, the agent stand-in as the
hand-off endpoint, the Teams webhook stand-in) with its JSON logs in a buffer, and sends each
paste as a channel message (stored as work, answered), as `/diagnose` (a direct ask: "None of
these" is clicked on every "Is it one of these?", so the case goes to the agent), as an
Alertmanager alert (posted to Slack and Teams, stored), and logs it (a warning and an
exception, as code that logs a paste would). Incident-channel recording redacts as these do
(tests/hardening/test_secrets_at_rest.py runs it with the older planted set). `through_mcp`
asks `kubemedic mcp` (stdio, the official SDK's client) `match_error` with each. `leaks`
counts, per class and destination, the values any 12 characters of which came out. Shared by
tests/hardening/test_secret_classes.py and bench/redact_classes.py.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp import Client, StdioServerParameters

from bot.logs import HANDLER_NAME, configure_logging
from tests.alerts.payloads import alert, body, group
from tests.cli.runner import INDEX_CACHE, SCRIPT
from tests.hardening.planted_classes import Planted, leaked
from tests.slack.harness import Bot, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.agent_api import AgentStandIn, running_agent
from tests.standins.kube_api import KubeStandIn
from tests.standins.teams_webhook import TeamsWebhookStandIn, running_teams_webhook

DESTINATIONS = ("posts", "database", "logs", "MCP", "hand-off")
ASK = "our payments service is slow since friday, nobody knows why (ticket SHOP-{:03d}):\n"
"""Said before a paste in `/diagnose`: no catalog entry answers it, so the ask goes to the agent."""
ALERTS, ALERT_TOKEN = "C0ALERTCLS", "am-classes-token-3f0a"
SETTINGS = {
    "KUBEMEDIC_ALERTMANAGER_TOKEN": ALERT_TOKEN,
    "KUBEMEDIC_ALERT_CHANNEL": ALERTS,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.05",
    "KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS": "0",
    "KUBEMEDIC_USER_REQUESTS_PER_MINUTE": "1000",
    "KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE": "1000",
    "KUBEMEDIC_HANDOFF_NAME": "HolmesGPT",
    # one asker sends every class: past the per-person limit of waiting hand-offs a
    # class would be told "over the limit" and never reach the agent (on a slow machine)
    "KUBEMEDIC_HANDOFF_PER_USER": "100",
}
log = logging.getLogger("kubemedic.planted")


@dataclass
class Seen:
    """What left by each destination, and which pastes the agent received."""

    carried: dict[str, str] = field(default_factory=dict)
    handed_off: list[str] = field(default_factory=list)


async def _settled(bot: Bot, *, quiet: float = 0.3, timeout: float = 90.0) -> None:
    """Wait until no background work has run for `quiet` seconds."""
    loop = asyncio.get_running_loop()
    deadline, calm_since = loop.time() + timeout, None
    while loop.time() < deadline:
        if bot.kubemedic.background.tasks:
            calm_since = None
        elif calm_since is None:
            calm_since = loop.time()
        elif loop.time() - calm_since >= quiet:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot never settled")


async def _ask_again(bot: Bot, asks: dict[str, str], handed: list[str], clicked: set[str]) -> None:
    """Ask once more, with only the lines that hold the secrets, where the catalog answered the
    whole paste (an answer is never handed off): every class then reaches the agent."""
    for index, (name, text) in enumerate(asks.items()):
        if name not in handed:
            asked = bot.requests.slash_command(ASK.format(index) + text, channel_id=_channel(index))
            await bot.send(asked)
    await _click_none_of_these(bot, clicked)


async def _click_none_of_these(bot: Bot, clicked: set[str]) -> None:
    """Click "None of these" on every "Is it one of these?" not clicked yet."""
    await _settled(bot)
    for question in bot.slack.calls_to("chat.postMessage"):
        offers = "choose_none" in json.dumps(question.params.get("blocks") or [])
        if offers and str(question.ts) not in clicked:
            clicked.add(str(question.ts))
            await bot.send(bot.requests.click(question, "choose_none"))
    await _settled(bot)


def _channel(index: int) -> str:
    return f"C0CLS{index:05d}"


def _alert(index: int, paste: str) -> dict[str, Any]:
    """A crash-loop alert whose summary is the paste's first line and description the paste."""
    firing = alert(
        "KubePodCrashLooping",
        namespace="shop",
        pod=f"api-{index}",
        reason="CrashLoopBackOff",
        fingerprint=f"fp-class-{index:03d}",
        summary=paste.split("\n")[0],
        instance=f"i{index}",
    )
    firing["annotations"]["description"] = paste
    return firing


async def _send(bot: Bot, pastes: dict[str, str], clicked: set[str]) -> None:
    for index, paste in enumerate(pastes.values()):
        channel = _channel(index)
        await bot.send(bot.requests.message(channel, paste, ts=f"17100{index:05d}.000100"))
        await bot.send(bot.requests.slash_command(ASK.format(index) + paste, channel_id=channel))
    await _click_none_of_these(bot, clicked)  # "None of these": the ask goes to the agent
    firing = [_alert(index, paste) for index, paste in enumerate(pastes.values())]
    notification = group(*firing)
    notification["commonAnnotations"]["message"] = "\n".join(pastes.values())
    for _attempt in range(20):  # a busy SQLite answers 503; Alertmanager retries, so do we
        if (await bot.post_alert(body(notification), token=ALERT_TOKEN))[0] != 503:
            break
        await asyncio.sleep(0.5)
    for paste in pastes.values():  # as code that logs what it was given would
        log.warning("could not answer: %s", paste)
        try:
            raise ValueError(paste)
        except ValueError:
            log.exception("failed on a paste")
    await _settled(bot)
    await bot.slack.wait_for("chat.postMessage", predicate=lambda call: call.channel == ALERTS)


def _sqlite_bytes(path: Path) -> str:
    files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    return b"".join(p.read_bytes() for p in files).decode("utf-8", errors="replace")


def _handed(agent: AgentStandIn, names: list[str]) -> list[str]:
    cases = json.dumps(agent.cases, ensure_ascii=False)
    return [name for index, name in enumerate(names) if f"SHOP-{index:03d}" in cases]


async def through_the_bot(tmp_path: Path, pastes: dict[str, str], asks: dict[str, str]) -> Seen:
    """Send every paste by every path of the bot (`asks`: the same classes' secret lines alone,
    asked again where the catalog answered the paste); what was posted, stored, logged, handed
    off."""
    logged = io.StringIO()
    root = logging.getLogger()
    level = root.level
    configure_logging(logged, level=logging.INFO, json=True)
    kube = KubeStandIn(latency=0.0)
    scenarios.oom_killed_deployment(kube)
    agent, teams = AgentStandIn(analysis="The agent looked."), TeamsWebhookStandIn()
    try:
        async with (
            running_agent(agent),
            running_teams_webhook(teams) as teams_url,
            running_bot(
                tmp_path,
                kube=kube,
                KUBEMEDIC_HANDOFF_URL=agent.url,
                KUBEMEDIC_TEAMS_WEBHOOK_URL=teams_url,
                **SETTINGS,
            ) as bot,
        ):
            clicked: set[str] = set()
            await _send(bot, pastes, clicked)
            await _ask_again(bot, asks, _handed(agent, list(pastes)), clicked)
            posted = [json.dumps(call.params, ensure_ascii=False) for call in bot.slack.calls]
            posted += [json.dumps(card, ensure_ascii=False) for card in teams.cards()]
    finally:
        for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
            root.removeHandler(handler)
        root.setLevel(level)
    carried = {
        "posts": "\n".join(posted),
        "database": _sqlite_bytes(tmp_path / "kubemedic.db"),
        "logs": logged.getvalue(),
        "hand-off": json.dumps(agent.cases, ensure_ascii=False),
    }
    return Seen(carried, _handed(agent, list(pastes)))


async def through_mcp(pastes: dict[str, str], home: Path) -> str:
    """`match_error` on every paste, over stdio: every answer's text and structured content."""
    env = {
        "HOME": str(home),
        "KUBEMEDIC_CACHE_DIR": str(INDEX_CACHE),
        "PATH": os.environ.get("PATH", ""),
        "KUBECONFIG": str(home / "none"),
    }
    answers: list[str] = []
    async with Client(
        StdioServerParameters(command=str(SCRIPT), args=["mcp"], env=env), read_timeout_seconds=60
    ) as client:
        for paste in pastes.values():
            result: Any = await client.call_tool("match_error", {"text": paste})
            answers += [getattr(part, "text", "") for part in result.content]
            answers.append(json.dumps(result.structured_content, ensure_ascii=False))
    return "\n".join(answers)


def leaks(carried: dict[str, str], classes: dict[str, list[Planted]]) -> dict[str, dict[str, int]]:
    """Per class, per destination: how many of its values leaked."""
    return {
        name: {
            where: sum(leaked(item.secret, text) for item in planted)
            for where, text in carried.items()
        }
        for name, planted in classes.items()
    }
