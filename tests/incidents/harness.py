"""The real bot with the incident tools' stand-ins: PagerDuty (and Opsgenie, Jira) on loopback.

`running_paged_bot` starts the stand-ins, then the bot of tests/slack/harness.py pointed at them
(their base-URL settings), with a default channel for incident messages; `deliver` POSTs a webhook
body to the bot as the tool does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.slack.harness import Bot, running_bot
from tests.standins.kube_api import KubeStandIn
from tests.standins.opsgenie_api import KEY as OG_KEY
from tests.standins.opsgenie_api import OpsgenieStandIn
from tests.standins.pagerduty_api import TOKEN as PD_TOKEN
from tests.standins.pagerduty_api import USER_EMAIL, PagerDutyStandIn
from tests.standins.slack_requests import post
from tests.standins.vendor_api import running

PD_SECRET = "pd-webhook-secret-5b2e7d"
OG_SECRET = "og-webhook-secret-81c3aa"
CHANNEL = "C0PAGES001"
SETTINGS = {
    "KUBEMEDIC_ALERT_CHANNEL": CHANNEL,
    "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
    "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.1",
    "KUBEMEDIC_LEADER_LEASE_SECONDS": "3",
    "KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET": PD_SECRET,
    "KUBEMEDIC_PAGERDUTY_TOKEN": PD_TOKEN,
    "KUBEMEDIC_PAGERDUTY_FROM": USER_EMAIL,
    "KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET": OG_SECRET,
    "KUBEMEDIC_OPSGENIE_API_KEY": OG_KEY,
}


@dataclass
class Paged:
    bot: Bot
    pagerduty: PagerDutyStandIn
    opsgenie: OpsgenieStandIn

    async def deliver(self, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, str]:
        return await post(f"{self.bot.url}{path}", body, headers)


@asynccontextmanager
async def running_paged_bot(
    tmp_path: Path,
    *,
    kube: KubeStandIn | None = None,
    pagerduty: PagerDutyStandIn | None = None,
    opsgenie: OpsgenieStandIn | None = None,
    **settings: Any,
) -> AsyncIterator[Paged]:
    pagerduty = pagerduty or PagerDutyStandIn()
    opsgenie = opsgenie or OpsgenieStandIn()
    async with AsyncExitStack() as stack:
        urls = {
            "KUBEMEDIC_PAGERDUTY_API_URL": await stack.enter_async_context(running(pagerduty)),
            "KUBEMEDIC_OPSGENIE_API_URL": await stack.enter_async_context(running(opsgenie)),
        }
        bot = await stack.enter_async_context(
            running_bot(tmp_path, kube=kube, **{**SETTINGS, **urls, **settings})
        )
        yield Paged(bot, pagerduty, opsgenie)
