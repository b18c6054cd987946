"""Honest delivery, measured: 200 pages with PagerDuty, Opsgenie, JSM and Jira killed and restarted.

    python -m bench.incidents_bench [--pages 200] [--refire 0.2] [--down 8] [--no-bot-kill]

A real `kubemedic serve --http` (SQLite) runs against the Slack, Kubernetes, PagerDuty, Opsgenie,
Jira Service Management (JSM) and Jira stand-ins, hosted on threads of this process, which plays
the three incident tools sending their webhooks (signed; a 503 is sent again after a second, as
they do) and people clicking "Open ticket" in Slack. Every page is about a crash-looping,
OOMKilled pod the cluster confirms, so every incident must end with exactly one note. The run:

- pages are sent in waves of 8, 60% PagerDuty incidents, 20% Opsgenie alerts, 20% JSM alerts;
- a fifth of them resolve, then fire again: each tool opens a new incident (alert) with the same
  dedup key, which needs its own note; the resolved one's note is edited (PagerDuty) or kept
  (Opsgenie, JSM); a tenth of the webhooks are delivered twice (answered 409);
- at a third of the pages, PagerDuty, Opsgenie, JSM and Jira are stopped for `--down` seconds and
  started again on the same ports; at two thirds, the bot is SIGKILLed and started again on the
  same database (unless `--no-bot-kill`);
- 40 alert messages get "Open ticket" twice (the second a comment); a click Jira could not take
  is clicked again later, as a person would.

It waits until every incident has its note (or 10 minutes pass) and prints, as JSON: notes
expected, lost (none), doubled (more than one), resolved notes not current, each also by tool;
issues per problem
(doubled: more than one); webhook answers by status; and how long it took.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.alerts_running import CHANNEL, SECRET, TOKEN, env_for
from tests.alerts.payloads import alert
from tests.standins import kube_scenarios
from tests.standins.bot_process import BotProcess, free_port
from tests.standins.jira_api import JiraStandIn
from tests.standins.jsm_api import JsmStandIn
from tests.standins.kube_api import KubeStandIn, write_kubeconfig
from tests.standins.kube_api import start_in_thread as start_kube
from tests.standins.opsgenie_api import (
    OgAlert,
    OpsgenieStandIn,
    alertmanager_description,
    bearer,
    webhook,
)
from tests.standins.pagerduty_api import (
    Incident,
    PagerDutyStandIn,
    alertmanager_details,
    event,
    signed,
)
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests
from tests.standins.threaded import ThreadedHost
from tests.standins.vendor_api import VendorStandIn, running

PD_SECRET, OG_SECRET, JSM_SECRET = (
    "bench-pd-secret",
    "kmsk_9dQJ3q16-VkL7y54AgChtvg1Aw6unoNIosc2OMIe-KLho48E",
    "kmsk__L_mQz3MYA-PG6eXJR9cyyPfJ7-RYhZdEUAF3CdQBcRrD2Mu",
)
ALERT_PATHS = {
    "opsgenie": ("/incidents/opsgenie", OG_SECRET),
    "jsm": ("/incidents/jsm", JSM_SECRET),
}
WAVE = 8
TICKETED = 40
DEADLINE = 600.0


@dataclass
class Page:
    """One incident (PagerDuty) or alert (Opsgenie, JSM) the run sends, and what must become of it."""

    tool: str
    incident: Incident | None = None
    alert: OgAlert | None = None
    resolved: bool = False

    @property
    def key(self) -> str:
        return f"pagerduty:{self.incident.id}" if self.incident else f"{self.tool}:{self.alert.id}"  # type: ignore[union-attr]

    def notes(self) -> list[str]:
        if self.incident is not None:
            return [str(n["content"]) for n in self.incident.notes]
        assert self.alert is not None
        return [str(n["note"]) for n in self.alert.notes]


@dataclass
class Run:
    kube: KubeStandIn
    pods: list[tuple[str, str]]
    pd: PagerDutyStandIn = field(default_factory=PagerDutyStandIn)
    og: OpsgenieStandIn = field(default_factory=OpsgenieStandIn)
    jsm: JsmStandIn = field(default_factory=JsmStandIn)
    jira: JiraStandIn = field(default_factory=JiraStandIn)
    pages: list[Page] = field(default_factory=list)
    answers: Counter[int] = field(default_factory=Counter)
    url: str = ""

    def new_page(self, index: int, dedup: str | None = None) -> Page:
        namespace, pod = self.pods[index % len(self.pods)]
        crash = alert(
            "KubePodCrashLooping",
            namespace=namespace,
            pod=pod,
            container="checkout",
            fingerprint=f"fp-{index}",
        )
        title = f"[FIRING:1] KubePodCrashLooping {namespace}"
        if index % 10 < 6:
            details = alertmanager_details(firing=[crash])
            page = Page(
                "pagerduty",
                incident=self.pd.add_incident(title, details=details, incident_key=dedup),
            )
        else:
            description = alertmanager_description(
                labels=crash["labels"], annotations=crash["annotations"]
            )
            tool, standin = ("opsgenie", self.og) if index % 10 < 8 else ("jsm", self.jsm)
            page = Page(
                tool,
                alert=standin.add_alert(
                    title, details=crash["labels"], alias=dedup, description=description
                ),
            )
        self.pages.append(page)
        return page

    async def deliver(
        self, session: aiohttp.ClientSession, page: Page, happened: str, *, twice: bool
    ) -> None:
        """Send the page's webhook as its tool does: again after a second while it gets 503."""
        if page.incident is not None:
            kind = {"triggered": "incident.triggered", "resolved": "incident.resolved"}[happened]
            body = event(page.incident, kind)
            path, headers = "/incidents/pagerduty", signed(body, PD_SECRET)
        else:
            assert page.alert is not None
            body = webhook(page.alert, {"triggered": "Create", "resolved": "Close"}[happened])
            path, secret = ALERT_PATHS[page.tool]
            headers = bearer(secret)
        for delivery in range(2 if twice else 1):
            status = await self._post(session, path, body, headers)
            self.answers[status] += 1

    async def _post(
        self, session: aiohttp.ClientSession, path: str, body: bytes, headers: dict[str, str]
    ) -> int:
        started = time.monotonic()
        while True:
            try:
                async with session.post(f"{self.url}{path}", data=body, headers=headers) as answer:
                    status = answer.status
            except aiohttp.ClientError:
                status = 0  # the bot restarting
            if status not in (0, 503) or time.monotonic() - started > DEADLINE:
                return status
            self.answers[status] += 1  # refused for now (0: the bot restarting): sent again
            await asyncio.sleep(1.0)


def oom_pods(kube: KubeStandIn, count: int) -> list[tuple[str, str]]:
    made = [
        kube_scenarios.oom_killed_deployment(kube, namespace=f"team-{i:02d}", name="checkout")
        for i in range(count)
    ]
    return [(case.namespace, str(case.pod)) for case in made]


class Hosts:
    """The tools' stand-ins, each on its own thread, which can be stopped and started."""

    def __init__(self, *standins: VendorStandIn) -> None:
        self.hosts = [
            (s, ThreadedHost(lambda s=s: running(s), name=s.name).start()) for s in standins
        ]

    def down(self) -> None:
        for standin, host in self.hosts:
            host.call(standin.stop())

    def up(self) -> None:
        for standin, host in self.hosts:
            host.call(standin.start())

    def close(self) -> None:
        for _, host in self.hosts:
            host.stop()


def bot_env(run: Run, slack_url: str, kubeconfig: Path, tmp: Path) -> dict[str, str]:
    return env_for(
        slack_url,
        kubeconfig,
        tmp,
        KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS="0.02",
        KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS="0",
        KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET=PD_SECRET,
        KUBEMEDIC_PAGERDUTY_TOKEN=run.pd.token,
        KUBEMEDIC_PAGERDUTY_FROM="kubemedic@example.com",
        KUBEMEDIC_PAGERDUTY_API_URL=run.pd.url,
        KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET=OG_SECRET,
        KUBEMEDIC_OPSGENIE_API_KEY=run.og.key,
        KUBEMEDIC_OPSGENIE_API_URL=run.og.url,
        KUBEMEDIC_JSM_WEBHOOK_SECRET=JSM_SECRET,
        KUBEMEDIC_JSM_API_TOKEN=run.jsm.token,
        KUBEMEDIC_JSM_EMAIL=run.jsm.email,
        KUBEMEDIC_JSM_API_URL=run.jsm.api_url,
        KUBEMEDIC_JIRA_URL=run.jira.url,
        KUBEMEDIC_JIRA_TOKEN=run.jira.token,
        KUBEMEDIC_JIRA_EMAIL=run.jira.email or "",
        KUBEMEDIC_JIRA_PROJECT="OPS",
        KUBEMEDIC_LEADER_LEASE_SECONDS="3",
    )


async def click_tickets(
    run: Run,
    slack: SlackStandIn,
    requests: SlackRequests,
    session: aiohttp.ClientSession,
    rounds: int,
) -> tuple[int, int]:
    """Click "Open ticket" on the first alert messages still firing (they offer it), `rounds`
    times each; (clicks sent, messages clicked)."""
    posted = [
        c
        for c in slack.calls_to("chat.postMessage", ok=True)
        if c.params.get("channel") == CHANNEL and not c.params.get("thread_ts")
    ]
    clickable = []
    for call in posted:
        try:
            clickable.append(requests.click(call, "alert_ticket", channel_id=CHANNEL) and call)
        except LookupError:  # resolved since: its message offers no button any more
            continue
    clickable = clickable[:TICKETED]
    sent = 0
    for _ in range(rounds):
        for call in clickable:
            signed_click = requests.click(call, "alert_ticket", channel_id=CHANNEL)
            try:
                async with session.post(
                    f"{run.url}/slack/events", data=signed_click.body, headers=signed_click.headers
                ):
                    sent += 1
            except aiohttp.ClientError:
                pass
    return sent, len(clickable)


def verdict(run: Run) -> dict[str, Any]:
    """Notes lost, doubled and stale, and issues doubled, as the tools' stand-ins hold them."""
    lost = doubled = stale = 0
    by_tool: dict[str, Counter[str]] = {}
    for page in run.pages:
        mine = [note for note in page.notes() if f"(kubemedic · {page.key})" in note]
        lost += not mine
        doubled += len(mine) > 1
        tool = by_tool.setdefault(page.tool, Counter())
        tool.update(expected=1, lost=not mine, doubled=len(mine) > 1)
        if (
            page.resolved
            and page.incident is not None
            and mine
            and "Status: resolved" not in mine[0]
        ):
            stale += 1
    labels = Counter(
        label
        for issue in run.jira.issues.values()
        for label in issue.labels
        if label != "kubemedic"
    )
    return {
        "notes_by_tool": {name: dict(counts) for name, counts in sorted(by_tool.items())},
        "notes_expected": len(run.pages),
        "notes_lost": lost,
        "notes_doubled": doubled,
        "resolved_notes_not_current": stale,
        "problems_ticketed": len(labels),
        "tickets_doubled": sum(count - 1 for count in labels.values() if count > 1),
        "ticket_comments": sum(len(issue.comments) for issue in run.jira.issues.values()),
    }


async def send_all(
    run: Run, args: argparse.Namespace, hosts: Hosts, restart_bot: Any, click: Any
) -> dict[str, float]:
    rng = random.Random(20261128)
    marks: dict[str, float] = {}
    refire = set(rng.sample(range(args.pages), int(args.pages * args.refire)))
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        for first in range(0, args.pages, WAVE):
            if first <= args.pages // 3 < first + WAVE:
                hosts.down()
                marks["tools_down_at"] = time.monotonic() - started
                asyncio.get_running_loop().call_later(args.down, hosts.up)
                await click()  # people ask for tickets while Jira is down
            if first <= 2 * args.pages // 3 < first + WAVE and restart_bot is not None:
                marks["bot_killed_at"] = time.monotonic() - started
                await asyncio.to_thread(restart_bot)
            wave = [run.new_page(i) for i in range(first, min(first + WAVE, args.pages))]
            await asyncio.gather(
                *(
                    run.deliver(session, page, "triggered", twice=rng.random() < 0.1)
                    for page in wave
                )
            )
            for index, page in zip(range(first, first + WAVE), wave):
                if index in refire:
                    page.resolved = True
                    await run.deliver(session, page, "resolved", twice=False)
                    dedup = page.incident.incident_key if page.incident else page.alert.alias  # type: ignore[union-attr]
                    await run.deliver(session, run.new_page(index, dedup), "triggered", twice=False)
    marks["all_sent_after"] = time.monotonic() - started
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--refire", type=float, default=0.2)
    parser.add_argument("--down", type=float, default=8.0)
    parser.add_argument("--no-bot-kill", action="store_true")
    args = parser.parse_args()
    kube = KubeStandIn(latency=0.0)
    run = Run(kube, oom_pods(kube, 12))
    slack = SlackStandIn(bot_token=TOKEN)
    hosts = Hosts(run.pd, run.og, run.jsm, run.jira)
    with (
        tempfile.TemporaryDirectory() as directory,
        start_slack(slack) as slack_server,
        start_kube(kube) as kube_server,
    ):
        tmp = Path(directory)
        kubeconfig = write_kubeconfig(tmp / "kubeconfig", {"lab": kube_server.url})
        env, port = bot_env(run, slack_server.api_url, kubeconfig, tmp), free_port()
        bots = [BotProcess(env, tmp / "bot-0.log", port=port).wait_ready()]
        run.url = bots[0].url

        def restart_bot() -> None:
            bots[-1].kill()
            bots.append(BotProcess(env, tmp / f"bot-{len(bots)}.log", port=port).wait_ready())

        try:
            report = asyncio.run(
                _drive(run, args, hosts, slack, None if args.no_bot_kill else restart_bot)
            )
        finally:
            bots[-1].stop()
            hosts.close()
    print(json.dumps(report, indent=2))


async def _drive(
    run: Run, args: argparse.Namespace, hosts: Hosts, slack: SlackStandIn, restart_bot: Any
) -> dict[str, Any]:
    started = time.monotonic()
    requests = SlackRequests(SECRET, standin=slack)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:

        async def click() -> None:
            await click_tickets(run, slack, requests, session, rounds=1)

        marks = await send_all(run, args, hosts, restart_bot, click)
        clicks, problems = await click_tickets(run, slack, requests, session, rounds=2)
        noted_at = ticketed_at = None
        last_click = time.monotonic()
        while time.monotonic() - started < DEADLINE and not (noted_at and ticketed_at):
            done = verdict(run)
            if noted_at is None and not done["notes_lost"]:
                noted_at = time.monotonic() - started
            if ticketed_at is None and done["problems_ticketed"] >= problems:
                ticketed_at = time.monotonic() - started
            if ticketed_at is None and time.monotonic() - last_click > 10:
                clicks += (await click_tickets(run, slack, requests, session, rounds=1))[0]
                last_click = time.monotonic()  # a click Jira could not take: clicked again
            await asyncio.sleep(1.0)
    return {
        "pages": len(run.pages),
        "webhook_answers": dict(sorted(run.answers.items())),
        "ticket_clicks": clicks,
        "problems_clicked": problems,
        **verdict(run),
        **{name: round(value, 1) for name, value in marks.items()},
        "all_noted_after": round(noted_at, 1) if noted_at else None,
        "all_ticketed_after": round(ticketed_at, 1) if ticketed_at else None,
    }


if __name__ == "__main__":
    main()
