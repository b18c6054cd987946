"""Teams posting benchmark: how soon a posted alert reaches a Teams Workflows webhook as a valid card.

    python -m bench.teams_bench [--groups 20]

The real bot (the tests' harness: `compose` as `serve` builds it, its HTTP server on loopback,
SQLite) with KUBEMEDIC_TEAMS_WEBHOOK_URL pointing at the local webhook receiver, which validates
every card against the Adaptive Card schema and Teams' 28 KB. Alert groups are posted one at a
time, each about its own crash-looping pod (diagnosed from the Kubernetes API stand-in); printed:
the time from the POST to /alertmanager to the card accepted by the receiver (p50, p95, max), the
same for the Slack message posted first (the ratio shows Teams' copy costs little beyond it),
and the largest card in bytes against the 28 KB limit.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.measure import percentile
from responses.adaptive_card import size
from tests.alerts.payloads import alert, body, group
from tests.slack.harness import running_bot
from tests.standins import kube_scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.teams_webhook import MAX_BYTES, TeamsWebhookStandIn, running_teams_webhook

TOKEN = "kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
CHANNEL = "C0BENCHALRT"


async def run(groups: int) -> None:
    kube = KubeStandIn(latency=0.0)
    names = [f"svc{n:02d}" for n in range(groups)]
    pods = {
        name: str(kube_scenarios.oom_killed_deployment(kube, namespace="shop", name=name).pod)
        for name in names
    }
    teams = TeamsWebhookStandIn()
    to_teams: list[float] = []
    to_slack: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            running_teams_webhook(teams) as url,
            running_bot(
                Path(tmp),
                kube=kube,
                KUBEMEDIC_ALERTMANAGER_TOKEN=TOKEN,
                KUBEMEDIC_ALERT_CHANNEL=CHANNEL,
                KUBEMEDIC_TEAMS_WEBHOOK_URL=url,
                KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS="0",
            ) as bot,
        ):
            for number, name in enumerate(names, 1):
                crash = alert(
                    "KubePodCrashLooping",
                    namespace="shop",
                    pod=pods[name],
                    container=name,
                    fingerprint=f"fp-{name}",
                )
                sent = time.monotonic()
                await bot.post_alert(body(group(crash)), token=TOKEN)
                await teams.wait_for(number, timeout=30)
                to_teams.append(teams.messages[-1][0] - sent)
                [*_, posted] = await bot.slack.wait_for(
                    "chat.postMessage", count=number, timeout=30
                )
                to_slack.append(posted.at - sent)
    sizes = [size(envelope) for _, envelope in teams.messages]
    print(f"alert groups: {groups}, refused by the receiver: {len(teams.refused)}")
    for label, values in (
        ("POST -> Teams card accepted", to_teams),
        ("POST -> Slack message", to_slack),
    ):
        print(
            f"{label:30} p50 {percentile(values, 0.5) * 1000:6.0f} ms  p95 {percentile(values, 0.95) * 1000:6.0f} ms"
            f"  max {max(values) * 1000:6.0f} ms"
        )
    print(
        f"Teams / Slack at p50: {percentile(to_teams, 0.5) / max(percentile(to_slack, 0.5), 1e-6):.2f}"
    )
    print(f"largest card: {max(sizes)} bytes of {MAX_BYTES} ({max(sizes) / MAX_BYTES:.0%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=20)
    asyncio.run(run(parser.parse_args().groups))


if __name__ == "__main__":
    main()
