"""Doctor checks each configured incident tool with a read-only call, in the tool's own words, and
says when notes are failing; `doctor --teams` gets the Teams bot a token and reads the Bot
Framework's keys. Every stand-in runs on its own thread; nothing is written to any tool."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from bot.settings import Settings
from bot.storage.incident_records import IncidentRecord, NoteFailure
from bot.storage.records import utcnow
from bot.storage.sql import SqlStore
from tests.doctor.install import Install, lines
from tests.standins.botframework import APP_ID, APP_PASSWORD, TENANT, BotFrameworkStandIn
from tests.standins.jira_api import JiraStandIn
from tests.standins.opsgenie_api import OpsgenieStandIn
from tests.standins.pagerduty_api import TOKEN as PD_TOKEN
from tests.standins.pagerduty_api import PagerDutyStandIn
from tests.standins.threaded import ThreadedHost
from tests.standins.vendor_api import VendorStandIn, running


@contextmanager
def served(*standins: VendorStandIn) -> Iterator[None]:
    hosts = [ThreadedHost(lambda s=s: running(s), name=s.name).start() for s in standins]
    try:
        yield
    finally:
        for host in hosts:
            host.stop()


def test_each_tool_answers_a_read_only_call_or_fails_in_its_own_words(install: Install) -> None:
    pd, og, jira = PagerDutyStandIn(), OpsgenieStandIn(key="the-right-key"), JiraStandIn()
    with served(pd, og, jira):
        result = install.doctor(
            KUBEMEDIC_ALERT_CHANNEL="C0ALERTS01",
            KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET="pd-webhook-secret",
            KUBEMEDIC_PAGERDUTY_TOKEN=PD_TOKEN,
            KUBEMEDIC_PAGERDUTY_API_URL=pd.url,
            KUBEMEDIC_OPSGENIE_API_KEY="a-wrong-key",
            KUBEMEDIC_OPSGENIE_API_URL=og.url,
            KUBEMEDIC_JIRA_URL=jira.url,
            KUBEMEDIC_JIRA_TOKEN=jira.token,
            KUBEMEDIC_JIRA_EMAIL=str(jira.email),
            KUBEMEDIC_JIRA_PROJECT="NOPE",
        )
    found = lines(result)
    assert result.code == 1
    assert found["PagerDuty"].startswith("ok    PagerDuty: the REST API key reads incidents")
    assert found["Opsgenie"].startswith("FAIL  Opsgenie: HTTP 401: Could not authenticate")
    assert found["Jira"].startswith(
        "FAIL  Jira: HTTP 404: No project could be found with key 'NOPE'."
    )
    assert "KUBEMEDIC_JIRA_PROJECT exists" in found["Jira"]
    assert found["Incident webhooks"].startswith("ok    Incident webhooks")
    assert found["Incident notes"].startswith("ok    Incident notes: none failing")
    assert [c.method for c in pd.calls + og.calls + jira.calls] == ["GET", "GET", "GET"]


def test_failing_and_given_up_notes_fail_with_the_last_error(install: Install) -> None:
    async def a_failing_note() -> None:
        store = SqlStore(Settings(**install.env).database_url)
        now = utcnow()
        for target, gave_up in (("P1", False), ("P2", True)):
            await store.record_incident(
                IncidentRecord(
                    key=f"pagerduty:{target}",
                    tool="pagerduty",
                    target=target,
                    thread_key=f"pd:{target}",
                    label=f"PagerDuty incident {target}",
                    created_at=now,
                    updated_at=now,
                )
            )
            error = "pagerduty add_note: HTTP 404: Incident Not Found" if gave_up else "unreachable"
            later = None if gave_up else now + timedelta(minutes=5)
            await store.note_failed(
                f"pagerduty:{target}", NoteFailure(error, later, gave_up=gave_up)
            )
        await store.close()

    asyncio.run(a_failing_note())
    result = install.doctor(
        KUBEMEDIC_ALERT_CHANNEL="C0ALERTS01", KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET="pd-webhook-secret"
    )
    line = lines(result)["Incident notes"]
    assert line.startswith("FAIL  Incident notes: pagerduty: 1 failing, 1 given up")


def test_doctor_teams_gets_a_token_and_reads_the_keys_sending_nothing(install: Install) -> None:
    bf = BotFrameworkStandIn()
    with served(bf):
        env = {
            "KUBEMEDIC_TEAMS_APP_ID": APP_ID,
            "KUBEMEDIC_TEAMS_OPENID_URL": bf.openid_url,
            "KUBEMEDIC_TEAMS_TOKEN_URL": bf.token_url,
        }
        good = install.doctor(
            "--teams",
            KUBEMEDIC_TEAMS_APP_PASSWORD=APP_PASSWORD,
            KUBEMEDIC_TEAMS_TENANT_IDS=f"{TENANT},5A5B5C5D-AAAA-4BBB-8CCC-9DDD0EEE1FFF",
            **env,
        )
        bad = install.doctor(
            "--teams", KUBEMEDIC_TEAMS_APP_PASSWORD="wrong", KUBEMEDIC_TEAMS_TENANT_ID=TENANT, **env
        )
        no_tenant = install.doctor("--teams", KUBEMEDIC_TEAMS_APP_PASSWORD=APP_PASSWORD, **env)
        graph = {"KUBEMEDIC_TEAMS_GRAPH": "true", "KUBEMEDIC_TEAMS_TENANT_ID": TENANT}
        with_graph = install.doctor(
            "--teams",
            KUBEMEDIC_TEAMS_APP_PASSWORD=APP_PASSWORD,
            **{**env, "KUBEMEDIC_TEAMS_TOKEN_URL": bf.tenant_token_url},
            **graph,
            KUBEMEDIC_TEAMS_TEAM_ID="fbe2bf47-16c8-47cf-b4a5-4b9b187c508b",
        )
        no_team = install.doctor(
            "--teams", KUBEMEDIC_TEAMS_APP_PASSWORD=APP_PASSWORD, **env, **graph
        )
    assert lines(good)["Teams bot"] == (
        f"ok    Teams bot: app {APP_ID} gets tokens; 1 Bot Framework signing keys read; answers "
        f"tenant {TENANT}, 5a5b5c5d-aaaa-4bbb-8ccc-9ddd0eee1fff only; channel history not read "
        "(KUBEMEDIC_TEAMS_GRAPH unset): summaries from what the bot saw, a post in doubt after a "
        "crash posted again"
    )
    shown = lines(with_graph)["Teams bot"]
    assert shown.startswith("ok ") and "channel history from Microsoft Graph (team fbe2" in shown
    assert bf.graph_tokens  # a Graph token was got, from the tenant's endpoint
    assert lines(no_team)["Teams bot"].startswith(
        "FAIL  Teams bot: KUBEMEDIC_TEAMS_GRAPH needs KUBEMEDIC_TEAMS_TENANT_ID and KUBEMEDIC_TEAMS_TEAM_ID"
    )
    assert lines(no_tenant)["Teams bot"].startswith(
        "FAIL  Teams bot: no tenant is answered: KUBEMEDIC_TEAMS_TENANT_IDS is not set"
    )
    assert lines(bad)["Teams bot"].startswith(
        f"FAIL  Teams bot: no token for app {APP_ID}: HTTP 401"
    )
    assert bf.sent == []
