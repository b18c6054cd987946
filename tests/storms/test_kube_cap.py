"""A storm cannot hammer the API server: Kubernetes requests in flight are capped per cluster.

Each request to the stand-in takes at least 0.1 s; with a cap of 2, no
0.08 s window can see more than 2 requests arrive (each of the 2 slots
starts its next request at least 0.1 s after its last), however many
namespaces are diagnosed at once.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.slack.harness import running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

CAP = 2
SLOW = 0.1
WINDOW = 0.08


def test_kubernetes_requests_in_flight_stay_under_the_cap(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        for namespace in ("storm-a", "storm-b", "storm-c"):
            scenarios.bulk_namespace(kube, namespace, n_pods=6, unhealthy_ratio=0.5)
        kube.delay(r".", SLOW, method="GET")
        async with running_bot(
            tmp_path,
            kube=kube,
            KUBEMEDIC_KUBE_CONCURRENCY=str(CAP),
            KUBEMEDIC_BACKGROUND_CONCURRENCY="8",
        ) as bot:
            await asyncio.gather(
                *(
                    bot.send(
                        bot.requests.slash_command(
                            f"namespace {namespace}",
                            channel_id=f"C0CAP{n:05d}",
                            user_id=f"U0CAP{n:05d}",
                        )
                    )
                    for n, namespace in enumerate(("storm-a", "storm-b", "storm-c"))
                )
            )
            await bot.slack.wait_for("chat.postMessage", count=3)
        arrivals = sorted(request.at for request in kube.requests if request.method == "GET")
        assert len(arrivals) > 3 * CAP
        busiest = max(sum(1 for other in arrivals if at <= other < at + WINDOW) for at in arrivals)
        assert busiest <= CAP

    asyncio.run(scenario())
