"""Alert and watcher benchmark: latency, a storm, and a mass failure, against a real `kubemedic serve --http`.

    python -m bench.alerts_bench [--latency-groups 30] [--kube-latency 0.02] [--only latency|storm|watch|flood]

The bot runs as a subprocess (HTTP mode, SQLite file, default settings:
one message per second per channel, edits at most every 10 s); this
process hosts the Slack Web API and Kubernetes API stand-ins on their own
threads and plays Alertmanager. Three runs:

- latency: alert groups sent one at a time (each about its own crash-looping
  pod, whose diagnosis reads the pod, its events, logs, node and owner chain
  through the stand-in with `--kube-latency` per request); the time from the
  POST to /alertmanager to the chat.postMessage reaching Slack, p50/p95;
- storm: 1,000 alerts in 50 groups, arriving in 4 waves (each wave re-sends every
  group with its alerts so far, as group_interval does), every delivery sent
  twice (an Alertmanager HA pair): top-level posts, thread notes, edits, and the
  most messages in any one-second window of the channel;
- watch: 500 pods of 10 Deployments start failing at once under the watcher:
  top-level posts, the same window, and what the messages say at the end;
- flood: 600 groups at once into three channels, one rate-limited by Slack
  (bench/alert_flood.py): roll-up edits and first posts per channel.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

from bench.alerts_running import (
    AM_TOKEN,
    TOKEN,
    busiest_second,
    channel_posts,
    deliver,
    running_bot,
    wait_until,
)
from bench.measure import percentile, proc_status_kb
from tests.alerts.payloads import alert, group
from tests.slack.harness import block_text
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.standins import kube_scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_api import SlackStandIn


def run_latency(groups: int, kube_latency: float) -> dict[str, Any]:
    kube = KubeStandIn(latency=kube_latency)
    pods = [
        str(
            kube_scenarios.oom_killed_deployment(
                kube, namespace=f"team-{i:02d}", name="checkout"
            ).pod
        )
        for i in range(groups)
    ]
    slack = SlackStandIn(bot_token=TOKEN)
    with running_bot(slack, kube, KUBEMEDIC_ALERTMANAGER_TOKEN=AM_TOKEN) as bot:
        latencies: list[float] = []
        for number, pod in enumerate(pods):
            crash = alert(
                "KubePodCrashLooping", namespace=f"team-{number:02d}", pod=pod, container="checkout"
            )
            payload = json.dumps(group(crash)).encode()
            time.sleep(1.1)  # the channel's budget is free again: measure the bot, not the budget
            started = time.monotonic()
            asyncio.run(deliver(bot.url, [payload]))
            wait_until(lambda n=number: len(channel_posts(slack)) > n, 30)
            latencies.append(channel_posts(slack)[number].at - started)
        confirmed = sum(
            "confirmed in the cluster" in block_text(c.blocks) for c in channel_posts(slack)
        )
        rss = proc_status_kb(bot.process.pid, "VmHWM")
    return {
        "groups": groups,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "max_ms": max(latencies) * 1000,
        "confirmed": confirmed,
        "kube_requests": len(kube.requests),
        "peak_rss_mb": (rss or 0) / 1024,
    }


def run_storm(alerts: int, groups: int, waves: int) -> dict[str, Any]:
    slack = SlackStandIn(bot_token=TOKEN)
    kube = KubeStandIn(latency=0.0)
    per_group = alerts // groups
    with running_bot(slack, kube, KUBEMEDIC_ALERTMANAGER_TOKEN=AM_TOKEN) as bot:
        started = time.monotonic()
        deliveries = 0
        for wave in range(1, waves + 1):
            upto = per_group * wave // waves
            payloads = []
            for g in range(groups):
                members = [
                    alert(
                        "KubePodCrashLooping",
                        namespace=f"ns-{g:02d}",
                        pod=f"api-{a}",
                        fingerprint=f"fp-{g}-{a}",
                    )
                    for a in range(upto)
                ]
                payloads.append(json.dumps(group(*members)).encode())
            asyncio.run(deliver(bot.url, payloads + payloads))  # the HA twin sends each one too
            deliveries += 2 * len(payloads)
            time.sleep(2.0)  # group_interval, compressed
        top = lambda: [c for c in channel_posts(slack) if not c.params.get("thread_ts")]
        wait_until(lambda: len(top()) >= groups, 240)
        all_posted = time.monotonic() - started
        time.sleep(15)  # let notes and edits settle
        posts = channel_posts(slack)
        most, gap = busiest_second(posts)
    return {
        "alerts": alerts,
        "groups": groups,
        "deliveries": deliveries,
        "top_level": len(top()),
        "thread_notes": len(posts) - len(top()),
        "edits": len(slack.calls_to("chat.update", ok=True)),
        "busiest_second": most,
        "min_gap_s": gap,
        "all_posted_s": all_posted,
    }


def failing_deployment(kube: KubeStandIn, name: str, pods: int) -> list[dict[str, Any]]:
    dep = kc.deployment(name=name, namespace="shop", replicas=pods)
    rs = kc.replicaset(deployment=dep)
    kube.add_all([dep, rs])
    meta = rs["metadata"]
    return [
        ko.pod(
            name=f"{meta['name']}-{i:03d}",
            namespace="shop",
            owner=rs,
            labels=meta["labels"],
            containers=[ko.container(name="app")],
            container_statuses=[
                ko.crashloop_status(name="app", last_reason="OOMKilled", restarts=3)
            ],
        )
        for i in range(pods)
    ]


def run_watch(pods: int, workloads: int) -> dict[str, Any]:
    slack = SlackStandIn(bot_token=TOKEN)
    kube = KubeStandIn(latency=0.0)
    failing = [
        pod
        for w in range(workloads)
        for pod in failing_deployment(kube, f"svc-{w:02d}", pods // workloads)
    ]
    with running_bot(slack, kube, KUBEMEDIC_WATCH="true"):
        wait_until(lambda: kube.watches.served >= 3, 30)  # pods, nodes and events are watched
        time.sleep(1.0)
        started = time.monotonic()
        for pod in failing:
            kube.add(pod)
        top = lambda: [c for c in channel_posts(slack) if not c.params.get("thread_ts")]
        wait_until(lambda: len(top()) >= workloads, 240)
        all_posted = time.monotonic() - started
        time.sleep(25)  # the coalesced edits catch up (one per message per 10 s)
        posts = channel_posts(slack)
        most, gap = busiest_second(posts)
        final = {}
        for call in top() + slack.calls_to("chat.update", ok=True):  # the last word wins
            final[call.ts] = block_text(call.blocks)
        counted = sum(f"{pods // workloads} pods" in text for text in final.values())
    return {
        "pods": pods,
        "workloads": workloads,
        "top_level": len(top()),
        "thread_notes": len(posts) - len(top()),
        "edits": len(slack.calls_to("chat.update", ok=True)),
        "busiest_second": most,
        "min_gap_s": gap,
        "all_posted_s": all_posted,
        "messages_counting_every_pod": counted,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-groups", type=int, default=30)
    parser.add_argument("--kube-latency", type=float, default=0.02)
    parser.add_argument("--only", choices=("latency", "storm", "watch", "flood"))
    parser.add_argument("--flood-groups", type=int, default=600)
    args = parser.parse_args()
    if args.only in (None, "latency"):
        result = run_latency(args.latency_groups, args.kube_latency)
        print(
            f"latency: {result['groups']} groups, alert-to-post p50 {result['p50_ms']:.0f} ms, "
            f"p95 {result['p95_ms']:.0f} ms, max {result['max_ms']:.0f} ms (Kubernetes "
            f"{args.kube_latency * 1000:.0f} ms"
            f" per request, {result['kube_requests']} requests); cause confirmed in {result['confirmed']}/"
            f"{result['groups']}; bot peak RSS {result['peak_rss_mb']:.0f} MB"
        )
    if args.only in (None, "storm"):
        result = run_storm(1000, 50, 4)
        print(
            f"storm: {result['alerts']} alerts in {result['groups']} groups, {result['deliveries']} deliveries -> "
            f"{result['top_level']} top-level posts, {result['thread_notes']} thread notes, {result['edits']} edits; "
            f"busiest second {result['busiest_second']} message(s), smallest gap {result['min_gap_s']:.2f} s; "
            f"all groups posted after {result['all_posted_s']:.1f} s"
        )
    if args.only in (None, "watch"):
        result = run_watch(500, 10)
        print(
            f"watch: {result['pods']} pods of {result['workloads']} workloads failing -> {result['top_level']} "
            f"top-level posts, {result['thread_notes']} thread notes, {result['edits']} edits; busiest second "
            f"{result['busiest_second']} message(s), smallest gap {result['min_gap_s']:.2f} s; all posted after "
            f"{result['all_posted_s']:.1f} s; {result['messages_counting_every_pod']}/{result['workloads']} messages "
            f"end at '{result['pods'] // result['workloads']} pods'"
        )
    if args.only in (None, "flood"):
        from bench.alert_flood import report

        report(args.flood_groups, settle=20.0)


if __name__ == "__main__":
    main()
