"""The real bot with the incident tools' stand-ins: PagerDuty (and Opsgenie, JSM, Jira) on loopback.

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
from tests.standins.jira_api import JiraStandIn
from tests.standins.jsm_api import EMAIL as JSM_EMAIL
from tests.standins.jsm_api import TOKEN as JSM_TOKEN
from tests.standins.jsm_api import JsmStandIn
from tests.standins.kube_api import KubeStandIn
from tests.standins.opsgenie_api import KEY as OG_KEY
from tests.standins.opsgenie_api import OpsgenieStandIn
from tests.standins.pagerduty_api import TOKEN as PD_TOKEN
from tests.standins.pagerduty_api import USER_EMAIL, PagerDutyStandIn
from tests.standins.slack_requests import post
from tests.standins.vendor_api import running

PD_SECRET = "pd-webhook-secret-5b2e7d"
OG_SECRET = "kmsk_9dQJ3q16-VkL7y54AgChtvg1Aw6unoNIosc2OMIe-KLho48E"
JSM_SECRET = "kmsk__L_mQz3MYA-PG6eXJR9cyyPfJ7-RYhZdEUAF3CdQBcRrD2Mu"
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
    "KUBEMEDIC_JSM_WEBHOOK_SECRET": JSM_SECRET,
    "KUBEMEDIC_JSM_API_TOKEN": JSM_TOKEN,
    "KUBEMEDIC_JSM_EMAIL": JSM_EMAIL,
}


@dataclass
class Paged:
    bot: Bot
    pagerduty: PagerDutyStandIn
    opsgenie: OpsgenieStandIn
    jsm: JsmStandIn
    jira: JiraStandIn | None = None

    async def deliver(self, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, str]:
        return await post(f"{self.bot.url}{path}", body, headers)


@asynccontextmanager
async def running_paged_bot(
    tmp_path: Path,
    *,
    kube: KubeStandIn | None = None,
    pagerduty: PagerDutyStandIn | None = None,
    opsgenie: OpsgenieStandIn | None = None,
    jsm: JsmStandIn | None = None,
    jira: JiraStandIn | None = None,
    **settings: Any,
) -> AsyncIterator[Paged]:
    """The bot and the stand-ins; `jira`: Jira set up too (project OPS, the stand-in's version)."""
    pagerduty = pagerduty or PagerDutyStandIn()
    opsgenie = opsgenie or OpsgenieStandIn()
    jsm = jsm or JsmStandIn()
    async with AsyncExitStack() as stack:
        urls = {
            "KUBEMEDIC_PAGERDUTY_API_URL": await stack.enter_async_context(running(pagerduty)),
            "KUBEMEDIC_OPSGENIE_API_URL": await stack.enter_async_context(running(opsgenie)),
        }
        await stack.enter_async_context(running(jsm))
        urls["KUBEMEDIC_JSM_API_URL"] = jsm.api_url
        if jira is not None:
            urls |= jira_settings(jira, await stack.enter_async_context(running(jira)))
        bot = await stack.enter_async_context(
            running_bot(tmp_path, kube=kube, **{**SETTINGS, **urls, **settings})
        )
        yield Paged(bot, pagerduty, opsgenie, jsm, jira)


def jira_settings(jira: JiraStandIn, url: str) -> dict[str, str]:
    """The bot's Jira settings for the stand-in (Cloud with an email, else a Server PAT)."""
    return {
        "KUBEMEDIC_JIRA_URL": url,
        "KUBEMEDIC_JIRA_TOKEN": jira.token,
        "KUBEMEDIC_JIRA_PROJECT": "OPS",
        "KUBEMEDIC_JIRA_API_VERSION": jira.version,
        **({"KUBEMEDIC_JIRA_EMAIL": jira.email} if jira.email else {}),
    }
