"""Identical diagnoses share one run: the stand-in API server sees one read, every asker an answer.

Ten `/diagnose pod` of the same pod from ten channels at once read the pod
once; an eleventh asked moments later is answered from the same evidence
and says how old it is; past the cache window the cluster is read again.
Identical pasted texts share one match.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from tests.slack.harness import block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"


def _pod_reads(kube: KubeStandIn, pod: str) -> int:
    return len(kube.requests_to("GET", rf"/pods/{pod}$"))


def test_identical_pod_diagnoses_in_flight_read_the_cluster_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        kube.delay(r"/pods/", 0.5, method="GET")  # all ten are in flight together
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_BACKGROUND_CONCURRENCY="16") as bot:
            channels = [f"C0SAME{n:04d}" for n in range(10)]
            await asyncio.gather(
                *(
                    bot.send(
                        bot.requests.slash_command(
                            f"pod {case.namespace}/{case.pod}",
                            channel_id=channel,
                            user_id=f"U0ASK{n:05d}",
                        )
                    )
                    for n, channel in enumerate(channels)
                )
            )
            posted = await bot.slack.wait_for("chat.postMessage", count=10)
            assert sorted(call.params["channel"] for call in posted) == channels
            assert all("oom-killed" in block_text(call.blocks) for call in posted)
            assert _pod_reads(kube, case.pod) == 1

            bot.clock.advance(7)
            await bot.send(
                bot.requests.slash_command(
                    f"pod {case.namespace}/{case.pod}",
                    channel_id="C0LATER001",
                    user_id="U0LATE0001",
                )
            )
            [later] = await bot.slack.wait_for(
                "chat.postMessage",
                predicate=lambda c: c.params.get("channel") == "C0LATER001",
            )
            age = re.search(r"evidence read (\d+) s ago", block_text(later.blocks))
            assert (
                age is not None and 7 <= int(age.group(1)) <= 9
            )  # 7 s stepped, plus the wall clock's own
            assert _pod_reads(kube, case.pod) == 1  # answered from the cache

            _, metrics = await bot.get("/metrics")
            assert 'kubemedic_diagnoses_coalesced_total{how="joined",kind="pod"} 9.0' in metrics
            assert 'kubemedic_diagnoses_coalesced_total{how="cached",kind="pod"} 1.0' in metrics

    asyncio.run(scenario())


def test_past_the_cache_window_the_cluster_is_read_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_RESULT_CACHE_SECONDS="20") as bot:
            for n in range(2):
                bot.clock.advance(21 * n)
                await bot.send(
                    bot.requests.slash_command(
                        f"pod {case.namespace}/{case.pod}", channel_id=f"C0AGAIN{n:03d}"
                    )
                )
                await bot.slack.wait_for("chat.postMessage", count=n + 1)
            assert _pod_reads(kube, case.pod) == 2
            assert all(
                "evidence read" not in block_text(c.blocks)
                for c in bot.slack.calls_to("chat.postMessage")
            )

    asyncio.run(scenario())


def test_identical_pastes_share_one_match(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for n in range(3):  # the same paste, trailing spaces aside, in three channels
                await bot.send(
                    bot.requests.message(
                        f"C0PASTE{n:03d}",
                        OOM.replace("\n", " " * n + "\n"),
                        user=f"U0P{n:07d}",
                        ts=f"1700000400.{n:06d}",
                    )
                )
            posted = await bot.slack.wait_for("chat.postMessage", count=3)
            assert all("oom-killed" in json.dumps(call.params) for call in posted)
            _, metrics = await bot.get("/metrics")
            shared = [
                line
                for line in metrics.splitlines()
                if line.startswith("kubemedic_diagnoses_coalesced_total") and 'kind="paste"' in line
            ]
            assert sum(float(line.rsplit(" ", 1)[1]) for line in shared) == 2.0

    asyncio.run(scenario())
