"""An alert naming a Service, a Deployment or a namespace but no pod is walked like `/diagnose`: its
post leads with the first suspect. The real receiver over HTTP, Alertmanager's payload shape, the
Slack and Teams stand-ins, the test shop served by the Kubernetes API stand-in, SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.diagnosis.targets import Focus, target_of
from tests.alerts.payloads import alert, body, group
from tests.alerts.test_receiver import CHANNEL, SETTINGS, TOKEN
from tests.slack.harness import block_text, running_bot
from tests.standins.kube_api import KubeStandIn
from tests.standins.teams_webhook import (
    TeamsWebhookStandIn,
    card_text,
    problems,
    running_teams_webhook,
)
from tests.suspects import faults
from tests.suspects import shop as shops

TARGETS = [
    (
        {"namespace": "shop", "service": "checkout"},
        Focus("service", "checkout", "shop", loose=True),
    ),
    (
        {"namespace": "shop", "job": "checkout"},
        Focus("service", "checkout", "shop", loose=True),
    ),  # a scrape job
    (
        {"namespace": "shop", "job": "serviceMonitor/shop/checkout/0"},
        Focus("namespace", "shop", loose=True),
    ),
    (
        {"namespace": "shop", "deployment": "cart", "service": "kube-state-metrics"},
        Focus("deployment", "cart", "shop", loose=True),
    ),
    (
        {"node": "worker-2", "namespace": "monitoring", "service": "kube-state-metrics"},
        Focus("node", "worker-2", loose=True),
    ),
    ({"service": "checkout"}, None),  # a Service needs its namespace
]


@pytest.mark.parametrize(("labels", "expected"), TARGETS)
def test_service_and_job_labels_name_a_service_after_pods_workloads_and_nodes(
    labels: dict[str, str], expected: Focus | None
) -> None:
    assert target_of(labels, None) == expected


def _kube() -> KubeStandIn:
    kube = KubeStandIn(latency=0.0)
    shop = shops.healthy()
    for fault in (faults.selector_typo, faults.target_port, faults.missing_account):
        fault(shop)
    shop.load(kube)
    return kube


async def test_service_deployment_and_namespace_alerts_lead_with_the_first_suspect(
    tmp_path: Path,
) -> None:
    teams = TeamsWebhookStandIn()
    async with (
        running_teams_webhook(teams) as url,
        running_bot(tmp_path, kube=_kube(), KUBEMEDIC_TEAMS_WEBHOOK_URL=url, **SETTINGS) as bot,
    ):
        errors = alert(
            "CheckoutHighErrorRate",
            namespace="shop",
            service="checkout",
            severity="critical",
            summary="checkout answers 5xx to most requests",
        )
        await bot.post_alert(body(group(errors)), token=TOKEN)
        [posted] = await bot.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.channel == CHANNEL
        )
        text = block_text(posted.blocks)
        assert text.index("Most likely: service/checkout: Service has no endpoints") < text.index(
            "Runbook"
        )
        assert "`service-endpoints-empty`" in text and "app=check_out" in text and "*Fix*" in text
        assert "service-endpoints-empty" in (
            posted.text or ""
        )  # the notification names the catalog id
        [card] = await teams.wait_for(1)
        assert (
            "Most likely: service/checkout" in card_text(card)
            and problems(teams.messages[0][1]) == []
        )

        stuck = alert(
            "KubeDeploymentReplicasMismatch",
            namespace="shop",
            deployment="cart",
            service="kube-state-metrics",
            job="kube-state-metrics",
        )
        await bot.post_alert(body(group(stuck)), token=TOKEN)
        calls = await bot.slack.wait_for(
            "chat.postMessage", count=2, predicate=lambda c: c.channel == CHANNEL
        )
        text = block_text(calls[1].blocks)
        assert "Most likely: service/cart" in text and "`serviceaccount-not-found`" in text
        assert "change deployment/cart" in text or "change serviceaccount/cart" in text

        quiet = alert(
            "ShopLatencyHigh",
            namespace="shop",
            job="kube-state-metrics",
            service="kube-state-metrics",
            summary="cart is slow",
        )
        await bot.post_alert(body(group(quiet)), token=TOKEN)
        calls = await bot.slack.wait_for(
            "chat.postMessage", count=3, predicate=lambda c: c.channel == CHANNEL
        )
        text = block_text(calls[2].blocks)  # no such Service in shop: the namespace is walked
        assert (
            "Most likely: service/cart" in text
            and "Other suspects" in text
            and "ranks lower" in text
        )
