"""The fleet bench's moving parts: agents, the open-loop commands, and what became of each command.

Each agent is the real `kubemedic agent` loop (bot/fleet/agent.py: its back-off, its redials,
the hub's Retry-After) with its diagnosis replaced by a real one made once from the example dump
(`CannedWork`, answering after `latency`), so the hub does all its own work: routing, rebuilding,
rendering, posting. A watcher records when each agent was connected, so an "unreachable" told
about a cluster whose agent was connected all along is told apart from one told while it
redialled. Every reply is read back from the Slack stand-in with its status (`outcomes`).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.answering.chosen import catalog_entry
from bot.answering.diagnosing import Diagnoser, OneReader
from bot.answering.requests import DiagnoseRequest
from bot.cluster.dump import DumpReader
from bot.fleet.agent import Agent
from bot.fleet.wire import Answer, Ask, to_wire
from bot.knowledge import load_knowledge
from bot.settings import Settings
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_requests import SlackRequests

DUMP = Path(__file__).resolve().parents[1] / "examples" / "dump"
POD = ("shop", "checkout-t6ljkgdzfx-bzm4s")


def canned_answer() -> dict[str, Any]:
    """A real diagnosis as an agent sends it (made once; every agent answers with it)."""
    matcher = load_knowledge(Settings()).matcher
    diagnoser = Diagnoser(matcher=matcher, readers=OneReader(DumpReader(DUMP)))
    result = asyncio.run(diagnoser.diagnose(DiagnoseRequest("pod", namespace=POD[0], name=POD[1])))
    wire = to_wire(result.diagnosis, lookup=lambda entry_id: catalog_entry(matcher, entry_id))
    return json.loads(Answer(id="", outcome="diagnosis", diagnosis=wire).model_dump_json())


class CannedWork:
    """`AgentWork` for the bench: the canned diagnosis after `latency` seconds."""

    remediation = False

    def __init__(self, answer: dict[str, Any], latency: float) -> None:
        self.answer_json, self.latency = answer, latency

    async def answer(self, ask: Ask) -> Answer:
        await asyncio.sleep(self.latency)
        return Answer.model_validate({**self.answer_json, "id": ask.id})


async def _nothing_missing() -> tuple[str, ...]:
    return ()


def agents_for(url: str, tokens: list[str], answer: dict[str, Any], latency: float) -> list[Agent]:
    return [
        Agent(
            hub_url=url,
            token=token,
            work=CannedWork(answer, latency),  # type: ignore[arg-type]
            version="bench",
            cannot_read=_nothing_missing,
        )
        for token in tokens
    ]


@dataclass
class Connections:
    """When each agent (by cluster name) was connected: (from, to) spans of the monotonic clock."""

    spans: dict[str, list[list[float]]] = field(default_factory=dict)

    async def watch(self, agents: dict[str, Agent], stop: asyncio.Event) -> None:
        while not stop.is_set():
            now = time.monotonic()
            for name, agent in agents.items():
                spans = self.spans.setdefault(name, [])
                is_open = bool(spans) and spans[-1][1] == float("inf")
                if agent.state.connected and not is_open:
                    spans.append([now, float("inf")])
                elif not agent.state.connected and is_open:
                    spans[-1][1] = now
            await asyncio.sleep(0.02)

    def gap_at(self, name: str, at: float) -> float:
        """How long the agent was away (between two connections) around `at`; 0 when connected."""
        spans = self.spans.get(name, [])
        if any(a <= at <= b for a, b in spans):
            return 0.0
        before = max((b for a, b in spans if b < at), default=at)
        after = min((a for a, b in spans if a > at), default=float("inf"))
        return after - before

    def throughout(self, name: str, start: float, end: float) -> bool:
        """Connected from `start` to `end` on one connection (never dialling in between)."""
        return any(a <= start and end <= b for a, b in self.spans.get(name, []))


@dataclass
class Sent:
    at: float
    channel: str
    cluster: str
    ack: str = ""
    """The ack's text (or the HTTP status, when it was not 200)."""


async def send_commands(
    url: str, requests: SlackRequests, *, clusters: int, rate: float, seconds: float, prefix: str
) -> list[Sent]:
    """`/diagnose pod cNNN:...` at `rate` per second, open loop, through `url` (the Service)."""
    sent: list[Sent] = []
    connector = aiohttp.TCPConnector(force_close=True)  # a connection per command, as Slack's
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = []
        started = time.monotonic()
        for number in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + number / rate - time.monotonic()))
            channel, cluster = f"{prefix}{number:08d}", f"c{number % clusters:03d}"
            request = requests.slash_command(f"pod {cluster}:{POD[0]}/{POD[1]}", channel_id=channel)
            sent.append(Sent(time.monotonic(), channel, cluster))
            tasks.append(
                asyncio.get_running_loop().create_task(_post(session, url, request, sent[-1]))
            )
        await asyncio.gather(*tasks)
    return sent


async def _post(session: aiohttp.ClientSession, url: str, request: Any, sent: Sent) -> None:
    """As Slack does: one delivery; a connection refused or cut before any answer is tried again
    (the Service had no ready endpoint), an answered one never (Slack does not retry commands).
    The ack's text is kept: a refusal told there is an answer too."""
    for _ in range(20):
        try:
            async with session.post(
                f"{url}/slack/events", data=request.body, headers=request.headers
            ) as reply:
                body = await reply.text()
                sent.ack = (
                    str(json.loads(body).get("text", ""))
                    if reply.status == 200
                    else f"HTTP {reply.status}"
                )
                return
        except (
            aiohttp.ClientConnectorError,
            aiohttp.ServerDisconnectedError,
            aiohttp.ClientOSError,
        ):
            await asyncio.sleep(0.2)


def settled(slack: SlackStandIn, sent: list[Sent]) -> bool:
    channels = {call.params.get("channel") for call in slack.calls_to("chat.postMessage")}
    told = set(_told(slack))
    return all(item.channel in channels or item.channel in told for item in sent)


def _told(slack: SlackStandIn, *, ok: bool | None = True) -> dict[str, tuple[float, str]]:
    hooks = slack.hooks  # response_url id -> the command's channel
    return {
        hooks[call.response_url_id]["channel"]: (call.at, str(call.params.get("text")))
        for call in slack.calls_to("response_url", ok=ok)
        if call.response_url_id in hooks
    }


def _kind(text: str) -> str:
    if "is unreachable" in text:
        return "unreachable"
    if "did not answer within" in text:
        return "not answered in time"
    if "database is unavailable" in text:
        return "database unavailable"
    if "went wrong" in text.lower():
        return "apology (no reason)"
    return text[:60] if text.startswith("in the ack") else "other"


def outcomes(slack: SlackStandIn, sent: list[Sent], connections: Connections) -> dict[str, Any]:
    """What became of each command, read from every reply and its status."""
    posts: Counter[str] = Counter()
    posted_at: dict[str, float] = {}
    for call in slack.calls_to("chat.postMessage", ok=True):
        channel = str(call.params.get("channel"))
        posts[channel] += 1
        posted_at.setdefault(channel, call.at)
    told = _told(slack)
    for item in sent:  # told in the ack itself (a refusal, the busy line, an HTTP error)
        if "Diagnosing" not in item.ack and item.channel not in told:
            told[item.channel] = (item.at, f"in the ack: {item.ack}")
    kinds: Counter[str] = Counter()
    connected_unreachable, redials = 0, list[float]()
    for item in sent:
        if item.channel in posts or item.channel not in told:
            continue
        at, text = told[item.channel]
        kinds[_kind(text)] += 1
        if _kind(text) == "unreachable" and connections.throughout(item.cluster, item.at, at):
            connected_unreachable += 1
        elif _kind(text) == "unreachable":
            redials.append(connections.gap_at(item.cluster, item.at))
    return {
        "sent": len(sent),
        "answered": sum(1 for item in sent if item.channel in posts),
        "told": dict(kinds),
        "lost": [
            item.channel for item in sent if item.channel not in posts and item.channel not in told
        ],
        "twice": sum(1 for count in posts.values() if count > 1),
        "unreachable_connected": connected_unreachable,
        "redials": sorted(redials),
        "refused_replies": len(slack.calls_to("chat.postMessage", ok=False))
        + len(slack.calls_to("response_url", ok=False)),
        "latencies": [posted_at[item.channel] - item.at for item in sent if item.channel in posts],
    }
