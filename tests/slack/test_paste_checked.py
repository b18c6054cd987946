"""A paste in a channel checked against the bot's cluster (issue 82 item 5): a vague message about a
pod, too vague for an answer from its words, is answered once the cluster confirms it, and the
reply says first what was read. Signed events through the real bolt app, the Web API pointed at
the Slack stand-in, the cluster the Kubernetes stand-in over HTTP.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.slack.harness import block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn


def test_a_vague_paste_the_cluster_confirms_is_answered_with_what_was_read(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        said = f'pod "{case.pod}" keeps restarting, exit code 137, any idea?'
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.message("C0INCIDENT1", said))
            [reply] = await bot.slack.wait_for("chat.postMessage")
            shown = block_text(reply.blocks)
            assert "OOMKilled" in shown.splitlines()[0]
            assert f"pod shop/{case.pod} in cluster lab: CrashLoopBackOff; it confirms" in shown
            assert f"(cluster lab: pod shop/{case.pod})" in shown  # the fact, where it was read

    asyncio.run(scenario())
