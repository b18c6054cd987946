"""One question, every door, one answer: the same first suspect, cause and first fix step.

The questions are the cascade recordings' pods (tests/suspects/recordings/cascade-geo.txt, the
issue's example: routes' pod fails because geo crashes; and two folders of
tests/cascade/recorded/): two callers whose failing dependency is the culprit, and a pod whose
own cause has no culprit above it. Each door is driven through its real entry
point over the same recording (the bot's readers made from it, as a live cluster's would be):
`kubemedic diagnose pod --from-outputs --json` in process, the MCP server through the SDK's
client, `/diagnose pod CTX:NS/NAME` signed as Slack signs it, an Alertmanager group POSTed with
its bearer token, a PagerDuty v3 webhook signed with its secret and an Opsgenie webhook with
its bearer (their notes written to the vendors' stand-ins), the "Open ticket" click filing a
Jira issue on Jira's stand-in, and a fleet: a hub and an agent reading the recording, asked
through the hub's Slack and the agent's own Alertmanager receiver. The paste door pastes the
recording itself (its focus is the whole text) and is asked where that text names the pod's
namespace and nothing else. What each door says is read from its own format (CLI JSON, MCP
result, Slack Block Kit, the notes' text, the ticket's ADF) and must be one answer. The watcher
is not here: a recording has no watch streams; it asks through the same `Explainer` as the
alert doors (tests/watch).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from bot.cluster.reader import ClusterReader
from bot.cluster.recording import Recording
from bot.mcp.server import build_server
from bot.mcp.tools import KubemedicTools
from bot.settings import Settings
from tests.alerts.payloads import alert, body, group
from tests.cli.runner import kubemedic_in_process
from tests.fleet.conftest import running_agent
from tests.incidents.harness import CHANNEL, OG_SECRET, PD_SECRET, Paged, running_paged_bot
from tests.slack.harness import Bot, block_text, running_bot, shared_matcher
from tests.standins.jira_api import JiraStandIn
from tests.standins.kube_api import KubeStandIn
from tests.standins.opsgenie_api import alertmanager_description, bearer, webhook
from tests.standins.pagerduty_api import alertmanager_details, event, signed
from tests.standins.slack_record import RecordedCall
from tests.standins.slack_requests import post
from tests.waiting import until
from tests.watch.test_watcher_bot import leading

ROOT = Path(__file__).resolve().parents[1]
CASCADE = ROOT / "cascade" / "recorded"
AM_TOKEN = "kmsk_z2sZfc0jvHq2BkP4oopk1RDQgdI5EnSpYfn1juVd8yjv4KVf"  # from `kubemedic keygen`
ASKED = "C0ASKING01"
"""Where the slash commands and the paste are asked (the alert doors post to CHANNEL)."""


@dataclass(frozen=True)
class Question:
    context: str
    recording: Path
    namespace: str
    pod: str

    def reader(self) -> ClusterReader:
        return Recording("outputs", str(self.recording)).open()


QUESTIONS = (
    Question(
        "geo",
        ROOT / "suspects" / "recordings" / "cascade-geo.txt",
        "hotel",
        "routes-5f7c9d8b6-k8m2p",
    ),
    Question("dbkey", CASCADE / "db-secret-key" / "outputs", "cascade", "api-5cf5ff5b97-xw4n5"),
    Question("own", CASCADE / "catalog-crash" / "outputs", "cascade", "catalog-997d9bd4f-67gsh"),
)
FIRST = {
    "geo": ("service/geo", "crashloop-backoff"),  # the issue's example: routes fails because of geo
    "dbkey": ("service/db", "create-container-config-error"),  # api fails because of db
    "own": (None, "crashloop-backoff"),  # catalog's own pod: its own cause, nothing below it fails
}
"""What each question's CLI answer names first (so that no door can agree by saying nothing)."""


@dataclass(frozen=True)
class Said:
    """What a door names first: the suspect (None: the pod's own cause), the cause, the first fix."""

    object: str | None
    id: str
    fix: str

    @property
    def fix_start(self) -> str:
        """The first fix step's opening words, as every format shows them (clipped, escaped
        after)."""
        return _flat(self.fix)[:48]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _said_of(view: dict[str, Any]) -> Said:
    """From an answer's first screen (`short` of the CLI's JSON): its first suspect, else its
    first problem."""
    suspects = view.get("suspects") or []
    if suspects:
        first = suspects[0]
        return Said(first["object"], first["id"], first["fix"])
    problem = view["problems"][0]
    return Said(None, problem["id"], problem["fix"]["text"])


def _mcp_said(result: dict[str, Any]) -> Said:
    suspects = result.get("suspects") or []
    if suspects:
        return Said(suspects[0]["object"], suspects[0]["id"], suspects[0]["fix"])
    answer = result["answer"]
    return Said(None, answer["id"], answer["fix"][0]["text"])


FIRST_SUSPECT = re.compile(r"Most likely[^:]*: (\S+?):? ")


def says(text: str, said: Said) -> bool:
    """The rendered `text` names the same first suspect (or none), cause and first fix step."""
    for markup, plain in (("&gt;", ">"), ("&lt;", "<"), ("&amp;", "&"), ("*", ""), ("`", "")):
        text = text.replace(markup, plain)
    flat = _flat(text)
    first = FIRST_SUSPECT.search(flat)
    leads = (first.group(1) if first else None) == said.object
    return leads and said.id in flat and said.fix_start in flat


def _texts(node: Any) -> Iterable[str]:
    """Every text in a JSON document (an ADF description)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _cli(question: Question, home: Path) -> Said:
    target = f"{question.namespace}/{question.pod}"
    result = kubemedic_in_process(
        "diagnose", "pod", target, "--from-outputs", str(question.recording), "--json",
        env={"HOME": str(home)},
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return _said_of(result.json()["short"])


async def _mcp(question: Question) -> Said:
    class Recording:
        def reader(self, context: str | None) -> ClusterReader:
            return question.reader()

    tools = KubemedicTools(matcher=shared_matcher(), readers=Recording(), namespaces=(), timeout=30)
    async with Client(build_server(tools, version="test")) as client:
        result = await client.call_tool(
            "diagnose", {"kind": "pod", "name": question.pod, "namespace": question.namespace}
        )
    assert not result.is_error, result
    return _mcp_said(result.structured_content or json.loads(result.content[0].text))  # type: ignore[union-attr]


def _alert(question: Question) -> dict[str, Any]:
    return alert(
        "KubePodNotReady",
        namespace=question.namespace,
        pod=question.pod,
        cluster=question.context,
        severity="warning",
    )


class Posts:
    """A channel's next top-level post (or thread reply) in Slack's stand-in, counted from now."""

    def __init__(self, bot: Bot, channel: str, *, replies: bool = False) -> None:
        self.bot, self.channel, self.replies = bot, channel, replies
        self.seen = len(self._matching())

    def _where(self, call: RecordedCall) -> bool:
        return call.channel == self.channel and bool(call.params.get("thread_ts")) == self.replies

    def _matching(self) -> list[RecordedCall]:
        return [c for c in self.bot.slack.calls_to("chat.postMessage", ok=True) if self._where(c)]

    async def next(self) -> RecordedCall:
        self.seen += 1
        calls = await self.bot.slack.wait_for(
            "chat.postMessage", count=self.seen, predicate=self._where
        )
        return calls[self.seen - 1]


async def _every_door(
    paged: Paged, question: Question, said: Said, asked: Posts, alerts: Posts
) -> RecordedCall:
    """Ask `question` by Slack's `/diagnose`, an Alertmanager group, a PagerDuty and an Opsgenie
    page; each answer must be `said`. The alert's message (its "Open ticket" is clicked later)."""
    bot = paged.bot
    where = f"{question.context}:{question.namespace}/{question.pod}"
    await bot.send(bot.requests.slash_command(f"pod {where}", channel_id=ASKED))
    answer = block_text((await asked.next()).blocks)
    assert says(answer, said), ("slack /diagnose", question.context, answer)

    firing = _alert(question)
    notification = group(firing, by=("alertname", "namespace", "cluster"))
    assert (await bot.post_alert(body(notification), token=AM_TOKEN))[0] == 200
    alert_card = await alerts.next()
    assert says(block_text(alert_card.blocks), said), ("alertmanager", question.context)

    title = f"[FIRING:1] KubePodNotReady {question.namespace} {question.context}"
    incident = paged.pagerduty.add_incident(title, details=alertmanager_details(firing=[firing]))
    page = event(incident)
    delivered = await paged.deliver("/incidents/pagerduty", page, signed(page, PD_SECRET))
    assert delivered[0] == 202, delivered
    card = await alerts.next()
    assert says(block_text(card.blocks), said), ("pagerduty's card", question.context)
    await until(lambda: bool(incident.notes), what="the PagerDuty note")
    assert says(incident.notes[0]["content"], said), ("pagerduty", question.context)

    labels = dict(firing["labels"])
    og_alert = paged.opsgenie.add_alert(
        title,
        details=labels,
        description=alertmanager_description(labels=labels, annotations={}),
    )
    delivered = await paged.deliver("/incidents/opsgenie", webhook(og_alert), bearer(OG_SECRET))
    assert delivered[0] == 202, delivered
    card = await alerts.next()
    assert says(block_text(card.blocks), said), ("opsgenie's card", question.context)
    await until(lambda: bool(og_alert.notes), what="the Opsgenie note")
    assert says(og_alert.notes[0]["note"], said), ("opsgenie", question.context)
    return alert_card


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.context for q in QUESTIONS])
async def test_every_door_names_the_same_culprit_cause_and_first_fix(
    question: Question, tmp_path: Path
) -> None:
    said = await asyncio.to_thread(_cli, question, tmp_path)  # the CLI runs its own event loop
    assert (said.object, said.id) == FIRST[question.context]
    assert await _mcp(question) == said

    jira = JiraStandIn()
    settings = {"KUBEMEDIC_CONTEXTS": question.context, "KUBEMEDIC_ALERTMANAGER_TOKEN": AM_TOKEN}

    def recorded(settings: Settings, context: str | None) -> ClusterReader:
        return question.reader()  # every context the bot reads is the recording

    async with running_paged_bot(tmp_path, jira=jira, connector=recorded, **settings) as paged:
        bot = paged.bot
        card = await _every_door(paged, question, said, Posts(bot, ASKED), Posts(bot, CHANNEL))
        await bot.send(bot.requests.click(card, "alert_ticket", channel_id=CHANNEL))
        await until(lambda: bool(jira.issues), what="the Jira issue")
        [issue] = jira.issues.values()
        ticket = " ".join(_texts(issue.description))
        assert says(ticket, said), ("jira", ticket)
        if question.context == "geo":  # the recording pasted whole names geo's namespace alone
            replies = Posts(bot, ASKED, replies=True)
            await bot.send(bot.requests.message(ASKED, question.recording.read_text()))
            answer = block_text((await replies.next()).blocks)
            assert says(answer, said), ("slack paste", answer)


async def test_a_fleet_hub_and_its_agent_give_the_same_answer(tmp_path: Path) -> None:
    question = QUESTIONS[0]
    said = await asyncio.to_thread(_cli, question, tmp_path)
    assert (said.object, said.id) == FIRST[question.context]
    token = "kmsk_pGYYzPI-uSklP5lCAvKfrBQ3pqjwWgO6chv1j_CkrMeJC5m2"  # from `kubemedic keygen`
    hub_settings = {
        "KUBEMEDIC_ALERT_CHANNEL": CHANNEL,
        "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
        "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.05",
        "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
    }
    async with running_bot(tmp_path, hub=True, **hub_settings) as hub:
        await leading(hub)
        async with running_agent(
            hub,
            tmp_path,
            cluster="prod",
            kube=KubeStandIn(latency=0.0),  # unread: the agent reads the recording
            connector=lambda settings, context: question.reader(),
            KUBEMEDIC_ALERTMANAGER_TOKEN=token,
        ) as agent:
            asked, alerts = Posts(hub, ASKED), Posts(hub, CHANNEL)
            where = f"prod:{question.namespace}/{question.pod}"
            await hub.send(hub.requests.slash_command(f"pod {where}", channel_id=ASKED))
            answer = block_text((await asked.next()).blocks)
            assert says(answer, said), ("hub /diagnose", answer)

            firing = alert("KubePodNotReady", namespace=question.namespace, pod=question.pod)
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
            status, _ = await post(agent.receiver_url, body(group(firing)), headers)
            assert status == 200
            card = block_text((await alerts.next()).blocks)
            assert says(card, said), ("agent's alert, the hub's card", card)
