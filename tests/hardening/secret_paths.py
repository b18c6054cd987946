"""Every path a pasted secret can leave by, run for real: what each one carried, for a leak count.

`through_the_bot` starts the bot (Slack stand-in, a SQLite file, the agent stand-in as the
hand-off endpoint, the Teams webhook stand-in) with its JSON logs in a buffer, and sends each
paste as a channel message (stored as work, answered), as `/diagnose` (a direct ask: "None of
these" is clicked on every "Is it one of these?", so the case goes to the agent), as an
Alertmanager alert (posted to Slack and Teams, stored), and logs it (a warning and an
exception, as code that logs a paste would). Incident-channel recording redacts as these do
(tests/hardening/test_secrets_at_rest.py runs it with the older planted set). `through_mcp`
asks `kubemedic mcp` (stdio, the official SDK's client) `match_error` with each paste, and
`diagnose` a crash-looping pod per paste whose log and last termination message are the paste.
`through_the_fleet` runs a hub and a real agent reading that cluster, the agent dialling through
a relay that keeps every message it sends up (`tests/standins/ws_relay.py`): `/diagnose pod
prod:...` of each pod, and an alert with every paste sent to the agent's own receiver. `leaks`
counts, per class and destination, the values any 12 characters of which came out. Shared by
tests/hardening/test_secret_paths.py and bench/redact_classes.py.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
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
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.standins.slack_requests import post
from tests.standins.teams_webhook import TeamsWebhookStandIn, running_teams_webhook

DESTINATIONS = (
    "Slack posts",
    "Teams cards",
    "database",
    "logs",
    "hand-off",
    "MCP match_error",
    "MCP diagnose",
    "fleet wire",
)
ASK = "our payments service is slow since friday, nobody knows why (ticket SHOP-{:03d}):\n"
"""Said before a paste in `/diagnose`: no catalog entry answers it, so the ask goes to the agent."""
ALERTS, ALERT_TOKEN = "C0ALERTCLS", "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
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


_MARKDOWN_ESCAPE = re.compile(r"\\\\([\\\\`*_~\[\]()!<>#|{}])")


def _as_shown(card: str) -> str:
    """A card's JSON as Teams shows its text: without the backslashes that keep its Markdown
    inert (a `!` or `_` escaped inside a secret would hide it from a scan of the JSON)."""
    return _MARKDOWN_ESCAPE.sub(r"\1", card)


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
            cards = [_as_shown(json.dumps(card, ensure_ascii=False)) for card in teams.cards()]
    finally:
        for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
            root.removeHandler(handler)
        root.setLevel(level)
    carried = {
        "Slack posts": "\n".join(posted),
        "Teams cards": "\n".join(cards),
        "database": _sqlite_bytes(tmp_path / "kubemedic.db"),
        "logs": logged.getvalue(),
        "hand-off": json.dumps(agent.cases, ensure_ascii=False),
    }
    return Seen(carried, _handed(agent, list(pastes)))


def planted_cluster(pastes: dict[str, str]) -> tuple[KubeStandIn, list[str]]:
    """A cluster with a crash-looping (OOMKilled) Deployment per paste in `shop`: the pod's
    previous log is the paste, and so is its last termination message; and the pods' names."""
    kube = KubeStandIn(latency=0.0)
    pods = []
    for index, paste in enumerate(pastes.values()):
        name = f"app{index:02d}"
        scenario = scenarios.oom_killed_deployment(kube, name=name)
        assert scenario.pod is not None
        kube.set_log("shop", scenario.pod, name, previous=True, text=paste + "\n")
        pod = kube.get_object("pods", "shop", scenario.pod)
        assert pod is not None
        pod["status"]["containerStatuses"][0]["lastState"]["terminated"]["message"] = paste
        pods.append(scenario.pod)
    return kube, pods


def _mcp_env(home: Path, kubeconfig: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "KUBEMEDIC_CACHE_DIR": str(INDEX_CACHE),
        "PATH": os.environ.get("PATH", ""),
        "KUBECONFIG": str(kubeconfig),
    }


def _said(result: Any) -> list[str]:
    """Everything a tool's result says: its text and its structured content."""
    said = [getattr(part, "text", "") for part in result.content]
    return [*said, json.dumps(result.structured_content, ensure_ascii=False)]


async def through_mcp(pastes: dict[str, str], home: Path) -> dict[str, str]:
    """`match_error` on every paste and `diagnose` of every paste's pod (`planted_cluster`), over
    stdio: every answer's text and structured content, per tool."""
    kube, pods = planted_cluster(pastes)
    matched: list[str] = []
    diagnosed: list[str] = []
    with start_in_thread(kube) as server:
        kubeconfig = write_kubeconfig(home / "mcp-kubeconfig", {"lab": server.url}, current="lab")
        parameters = StdioServerParameters(
            command=str(SCRIPT), args=["mcp"], env=_mcp_env(home, kubeconfig)
        )
        async with Client(parameters, read_timeout_seconds=60) as client:
            for paste, pod in zip(pastes.values(), pods, strict=True):
                matched += _said(await client.call_tool("match_error", {"text": paste}))
                asked = {"kind": "pod", "name": f"shop/{pod}"}
                diagnosed += _said(await client.call_tool("diagnose", asked))
    return {"MCP match_error": "\n".join(matched), "MCP diagnose": "\n".join(diagnosed)}


async def through_the_fleet(tmp_path: Path, pastes: dict[str, str]) -> dict[str, str]:
    """What a real agent sent up the wire for `/diagnose pod prod:shop/...` of every paste's pod
    and for an alert carrying every paste sent to its receiver; and what the hub posted."""
    from tests.fleet.conftest import running_agent as running_fleet_agent  # only where used
    from tests.standins.ws_relay import Relay

    kube, pods = planted_cluster(pastes)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {ALERT_TOKEN}"}
    hub_settings = {k: v for k, v in SETTINGS.items() if k != "KUBEMEDIC_ALERTMANAGER_TOKEN"}
    async with running_bot(tmp_path / "hub", hub=True, **hub_settings) as hub:
        relay = Relay(hub.url)
        async with (
            relay.running() as relay_url,
            running_fleet_agent(
                hub,
                tmp_path,
                cluster="prod",
                kube=kube,
                KUBEMEDIC_HUB_URL=relay_url,
                KUBEMEDIC_ALERTMANAGER_TOKEN=ALERT_TOKEN,
            ) as agent,
        ):
            for answered, pod in enumerate(pods, start=1):  # one at a time: a busy hub (a
                # loaded machine) would answer a burst's last with its busy line instead
                await hub.send(hub.requests.slash_command(f"pod prod:shop/{pod}"))
                await hub.slack.wait_for("chat.postMessage", count=answered, timeout=300)
            firing = [_alert(index, paste) for index, paste in enumerate(pastes.values())]
            status, _ = await post(agent.receiver_url, body(group(*firing)), headers)
            assert status == 200
            await hub.slack.wait_for(
                "chat.postMessage", predicate=lambda call: call.channel == ALERTS, timeout=120
            )
            await hub.settle()
        posted = [json.dumps(call.params, ensure_ascii=False) for call in hub.slack.calls]
    return {"fleet wire": "\n".join(relay.sent), "Slack posts": "\n".join(posted)}


def leaks(carried: dict[str, str], classes: dict[str, list[Planted]]) -> dict[str, dict[str, int]]:
    """Per class, per destination: how many of its values leaked."""
    return {
        name: {
            where: sum(leaked(item.secret, text) for item in planted)
            for where, text in carried.items()
        }
        for name, planted in classes.items()
    }
