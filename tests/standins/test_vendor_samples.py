"""Each stand-in and each client against the bodies its vendor documents (tests/standins/
vendor_samples.py): what a stand-in sends or answers has the documented shape, and what
kubemedic reads from the documented body is what the vendor meant, so a stand-in and a client
cannot agree on a misreading (Opsgenie's `updatedAt` is in nanoseconds, its `createdAt` in
milliseconds; JSM's answers carry no `data` envelope; PagerDuty wraps a note in `note`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.incidents.opsgenie_webhook import parse_opsgenie
from bot.incidents.pagerduty_webhook import parse_pagerduty
from bot.outbound.http import OutboundApi, RetryPolicy
from bot.outbound.jira import JiraApi
from bot.outbound.jsm import JsmApi
from bot.outbound.opsgenie import OpsgenieApi
from bot.outbound.pagerduty import PagerDutyApi
from bot.teams.activities import arrival_of
from bot.teams.connector import BotConnector
from tests.standins import vendor_samples as docs
from tests.standins.botframework import BotFrameworkStandIn
from tests.standins.jira_api import JiraStandIn
from tests.standins.jsm_api import JsmStandIn
from tests.standins.opsgenie_api import OpsgenieStandIn, webhook
from tests.standins.pagerduty_api import PagerDutyStandIn, event
from tests.standins.slack_api import SlackStandIn, running_slack_standin
from tests.standins.slack_requests import SlackRequests
from tests.standins.vendor_api import Call, VendorError, VendorStandIn, running

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


class Documented(VendorStandIn):
    """A vendor that answers each (method, path) with the body its documentation prints."""

    name = "documented"

    def __init__(self, answers: dict[tuple[str, str], tuple[int, Any]]) -> None:
        super().__init__()
        self.answers = answers

    def answer(self, call: Call, request: web.Request) -> tuple[int, Any]:
        if (call.method, call.path) not in self.answers:
            raise VendorError(404, {"message": f"not documented here: {call.path}"})
        return self.answers[(call.method, call.path)]


def api(tool: str, url: str) -> OutboundApi:
    return OutboundApi(tool, url, headers={}, policy=RetryPolicy(attempts=1))


def answered(standin: VendorStandIn, method: str, path: str, body: Any = None, **query: str) -> Any:
    """What the stand-in answers a request (authorized as it wants), as it would on the wire."""
    headers = standin_auth(standin)
    try:
        return standin.answer(Call(method, path, query, headers, body), None)[1]  # type: ignore[arg-type]
    except VendorError as exc:
        raise AssertionError(f"{standin.name} refused {method} {path}: {exc}") from None


def standin_auth(standin: VendorStandIn) -> dict[str, str]:
    import base64

    if isinstance(standin, JsmStandIn):
        pair = base64.b64encode(f"{standin.email}:{standin.token}".encode()).decode()
        return {"Authorization": f"Basic {pair}"}
    if isinstance(standin, OpsgenieStandIn):
        return {"Authorization": f"GenieKey {standin.key}"}
    if isinstance(standin, PagerDutyStandIn):
        return {"Authorization": f"Token token={standin.token}", "From": "kubemedic@example.com"}
    if isinstance(standin, JiraStandIn):
        pair = base64.b64encode(f"{standin.email}:{standin.token}".encode()).decode()
        return {"Authorization": f"Basic {pair}"}
    return {}


# --------------------------------------------------------------------------------- PagerDuty
def test_pagerduty_webhook_sample_is_read_as_pagerduty_means_it() -> None:
    import json

    pd = PagerDutyStandIn()
    sent = json.loads(event(pd.add_incident("Disk full")))
    assert docs.same_shape(docs.PAGERDUTY_WEBHOOK, sent) == []
    page = parse_pagerduty(json.dumps(docs.PAGERDUTY_WEBHOOK).encode())
    assert page is not None
    assert (page.target, page.number, page.happened) == ("PGR0VU2", "2", "triggered")
    assert page.url == "https://acme.pagerduty.com/incidents/PGR0VU2"
    assert page.occurred_at == datetime(2020, 10, 2, 18, 45, 22, 169000, tzinfo=UTC)
    assert page.dedup_key == "d3640fbd41094207a1c11e58e46b1662"
    assert (page.severity, page.service) == ("critical", "API Service")  # urgency high


async def test_pagerduty_api_answers_have_the_documented_shape_and_the_client_reads_them() -> None:
    pd = PagerDutyStandIn()
    incident = pd.add_incident("Disk full", details={"cluster": "prod"})
    note = answered(pd, "POST", f"/incidents/{incident.id}/notes", {"note": {"content": "x"}})
    assert docs.same_shape(docs.PAGERDUTY_NOTE, note) == []
    alerts = answered(pd, "GET", f"/incidents/{incident.id}/alerts", limit="100", offset="0")
    assert docs.same_shape(docs.PAGERDUTY_ALERTS, alerts) == []
    vendor = Documented(
        {
            ("POST", "/incidents/PGR0VU2/notes"): (201, docs.PAGERDUTY_NOTE),
            ("GET", "/incidents/PGR0VU2/alerts"): (200, docs.PAGERDUTY_ALERTS),
        }
    )
    async with running(vendor) as url:
        client = PagerDutyApi(api("pagerduty", url))
        assert await client.add_note("PGR0VU2", "kubemedic: ...") == "PWL7QXS"
        [alert] = await client.alerts("PGR0VU2")
        assert alert["body"]["details"] == {"customKey": "Server is on fire!"}


# ---------------------------------------------------------- Opsgenie and Jira Service Management
@pytest.mark.parametrize("tool", ["opsgenie", "jsm"])
def test_the_alert_webhook_sample_is_read_in_its_units(tool: str) -> None:
    """The documented body: createdAt in milliseconds, updatedAt in nanoseconds; the stand-in
    sends the same units, and the page's time is the sample's update to the microsecond."""
    import json

    standin = OpsgenieStandIn() if tool == "opsgenie" else JsmStandIn()
    sent = json.loads(webhook(standin.add_alert("Disk full")))
    assert docs.same_shape(docs.ALERT_WEBHOOK, sent) == []
    assert 10**17 < sent["alert"]["updatedAt"] < 10**19  # nanoseconds
    assert 10**12 < sent["alert"]["createdAt"] < 10**13  # milliseconds
    page = parse_opsgenie(json.dumps(docs.ALERT_WEBHOOK).encode(), now=NOW, tool=tool)  # type: ignore[arg-type]
    assert page is not None and page.tool == tool
    assert page.occurred_at == datetime.fromisoformat(docs.ALERT_WEBHOOK_UPDATED)
    assert (page.target, page.number, page.dedup_key) == (
        "052652ac-5d1c-464a-812a-7dd18bbfba8c",
        "23",
        "aliastest",
    )


async def test_opsgenie_api_answers_have_the_documented_shape_and_the_client_reads_them() -> None:
    og = OpsgenieStandIn()
    alert = og.add_alert("Disk full")
    accepted = answered(og, "POST", f"/v2/alerts/{alert.id}/notes", {"note": "Alert note"})
    assert docs.same_shape(docs.ACCEPTED, accepted) == []
    status = answered(og, "GET", f"/v2/alerts/requests/{accepted['requestId']}")
    assert docs.same_shape(docs.OPSGENIE_STATUS, status) == []
    answered(og, "POST", f"/v2/alerts/{alert.id}/notes", {"note": "Another note"})
    notes = answered(og, "GET", f"/v2/alerts/{alert.id}/notes", limit="1")  # a next page
    assert docs.same_shape(docs.OPSGENIE_NOTES, notes) == []
    await _client_reads(OpsgenieApi, "/v2/alerts", docs.OPSGENIE_STATUS, docs.OPSGENIE_NOTES)


async def test_jsm_api_answers_have_the_documented_shape_and_the_client_reads_them() -> None:
    jsm = JsmStandIn()
    alert = jsm.add_alert("Disk full")
    alerts = f"{jsm.prefix}/v1/alerts"
    accepted = answered(jsm, "POST", f"{alerts}/{alert.id}/notes", {"note": "Alert note"})
    assert docs.same_shape(docs.ACCEPTED, accepted) == []
    status = answered(jsm, "GET", f"{alerts}/requests/{accepted['requestId']}")
    assert docs.same_shape(docs.JSM_STATUS, status) == [] and "data" not in status
    answered(jsm, "POST", f"{alerts}/{alert.id}/notes", {"note": "Another note"})
    notes = answered(jsm, "GET", f"{alerts}/{alert.id}/notes", limit="1")  # a next page
    assert docs.same_shape(docs.JSM_NOTES, notes) == []
    await _client_reads(JsmApi, "/v1/alerts", docs.JSM_STATUS, docs.JSM_NOTES)


async def _client_reads(
    kind: type[OpsgenieApi], alerts: str, status: dict[str, Any], notes: dict[str, Any]
) -> None:
    """The client adds a note (asking until the documented status says it was), and finds a
    note by its text in the documented list."""
    alert_id = "8743a1b2-11da-480e-8493-744660987bef"
    request_id = docs.ACCEPTED["requestId"]
    vendor = Documented(
        {
            ("POST", f"{alerts}/{alert_id}/notes"): (202, docs.ACCEPTED),
            ("GET", f"{alerts}/requests/{request_id}"): (200, status),
            ("GET", f"{alerts}/{alert_id}/notes"): (200, notes),
        }
    )
    async with running(vendor) as url:
        client = kind(api(kind.tool, url))
        assert await client.add_note(alert_id, "kubemedic: ...") == request_id
        assert await client.find_note(alert_id, "Alert note") == "found"
        assert await client.find_note(alert_id, "(kubemedic · jsm:other)") is None
    refused = {**status, "isSuccess": False, "status": "Alert does not exist"}
    if "data" in status:
        refused = {**status, "data": {**status["data"], "isSuccess": False, "success": False}}
        refused["data"]["status"] = "Alert does not exist"
    vendor.answers[("GET", f"{alerts}/requests/{request_id}")] = (200, refused)
    async with running(vendor) as url:
        with pytest.raises(Exception, match="Alert does not exist"):
            await kind(api(kind.tool, url)).add_note(alert_id, "kubemedic: ...")


# -------------------------------------------------------------------------------------- Jira
async def test_jira_answers_have_the_documented_shape_and_the_client_reads_them() -> None:
    from bot.outbound.jira import jira_headers

    jira = JiraStandIn()
    adf = {"type": "doc", "version": 1, "content": []}
    fields = {
        "project": {"key": "OPS"},
        "summary": "Disk full",
        "issuetype": {"name": "Task"},
        "labels": ["kubemedic"],
        "description": adf,
    }
    created = answered(jira, "POST", f"/rest/api/{jira.version}/issue", {"fields": fields})
    assert docs.same_shape(docs.JIRA_CREATED, created) == []
    project = answered(jira, "GET", f"/rest/api/{jira.version}/project/OPS")
    assert docs.same_shape(docs.JIRA_PROJECT, project) == []
    vendor = Documented({("POST", "/rest/api/3/issue"): (201, docs.JIRA_CREATED)})
    async with running(vendor) as url:
        headers = jira_headers("token", "someone@example.com")
        client = JiraApi(
            OutboundApi("jira", url, headers=headers, policy=RetryPolicy(attempts=1)),
            version="3",
            project="ED",
            issue_type="Task",
            site="https://your-domain.atlassian.net",
        )
        issue = await client.create("Disk full", adf, ["kubemedic"])
        assert (issue.key, issue.url) == ("ED-24", "https://your-domain.atlassian.net/browse/ED-24")


# ------------------------------------------------------------------------ Teams (Bot Framework)
async def test_teams_activity_token_and_connector_answers_match_the_documented_ones() -> None:
    bf = BotFrameworkStandIn()
    async with running(bf):
        assert docs.same_shape(docs.TEAMS_MESSAGE, bf.message("why is checkout down?")) == []
        form = "grant_type=client_credentials&client_id={}&client_secret={}&scope={}"
        from tests.standins.botframework import APP_ID, APP_PASSWORD

        body = form.format(APP_ID, APP_PASSWORD, "https://api.botframework.com/.default")
        token = answered(bf, "POST", "/botframework.com/oauth2/v2.0/token", body)
        assert docs.same_shape(docs.TEAMS_TOKEN, token) == []
    arrival = arrival_of(docs.TEAMS_MESSAGE)  # the documented mention is taken out
    assert (arrival.text, arrival.user) == ("Hello", "7faf80fd-5a28-4fe1-9b1a-36b7b4cf5b0c")
    assert arrival.channel == "19:6d2c1e4ee1c446d1aab8ed1b1b3cefbe@thread.skype"
    assert arrival.thread_ts == "1485983408511"
    conversation = "19:6d2c1e4ee1c446d1aab8ed1b1b3cefbe@thread.skype"
    vendor = Documented(
        {
            ("POST", "/token"): (200, docs.TEAMS_TOKEN),
            ("POST", f"/v3/conversations/{conversation}/activities"): (201, docs.TEAMS_SENT),
        }
    )
    async with running(vendor) as url:
        connector = BotConnector(
            api("botframework", url),
            token_url=f"{url}/token",
            app_id="app",
            password="password",
            service_url=url,
        )
        assert (
            await connector.send(conversation, {"type": "message", "text": "hi"})
            == (docs.TEAMS_SENT["id"])
        )
        assert await connector.token() == docs.TEAMS_TOKEN["access_token"]


# ------------------------------------------------------------------------------------- Slack
async def test_slack_stand_in_answers_and_sends_what_slack_documents() -> None:
    from urllib.parse import parse_qs

    slack = SlackStandIn(bot_token="xoxb-documented")
    async with running_slack_standin(slack):
        client = AsyncWebClient(token="xoxb-documented", base_url=slack.api_url)
        posted = await client.chat_postMessage(channel="C123ABC456", text="Here's a message")
        assert docs.same_shape(docs.SLACK_POSTED, posted.data) == []
        command = SlackRequests("secret", standin=slack).slash_command("pod shop/checkout")
    fields = {key: values[0] for key, values in parse_qs(command.body.decode()).items()}
    assert docs.same_shape(docs.SLACK_SLASH_COMMAND, fields) == []


# ------------------------------------------------------------------- Teams (Microsoft Graph)
async def test_graph_channel_messages_have_the_documented_shape_and_are_read_as_meant() -> None:
    """The stand-in lists a person's message and the bot's card as Graph documents them; the
    client follows the documented `@odata.nextLink` and reads the documented bodies: an HTML body
    as text, a person's id, a bot's message by its application id."""
    from bot.teams.connector import AppToken
    from bot.teams.graph import TeamsGraph, by_app, carries, record_of
    from tests.standins.graph_api import TEAM, GraphStandIn

    graph = GraphStandIn(BotFrameworkStandIn())
    graph.add_channel("19:ops@thread.tacv2", "ops")
    graph.say("19:ops@thread.tacv2", "checkout is down")
    graph.bf.graph_tokens.add("graph-token")
    call = Call(
        "GET",
        f"/v1.0/teams/{TEAM}/channels/19:ops@thread.tacv2/messages",
        {"$top": "1"},
        {"Authorization": "Bearer graph-token"},
        None,
    )
    page = graph.answer(call, None)[1]  # type: ignore[arg-type]
    assert docs.same_shape(docs.GRAPH_MESSAGES, page) == []
    assert "@odata.nextLink" in page  # the channel's first event is on the next page
    [said] = [m for m in docs.GRAPH_MESSAGES["value"]]  # type: ignore[union-attr]
    record = record_of(said, channel="19:ops", app_id="877192bd-9183-47d3-a74c-8aa0426716cf")
    assert (record.text, record.user, record.is_bot) == (
        "Hello World Jane Smith",
        "8ea0e38b-efb3-4757-924a-5f94061cf8c2",
        False,
    )
    assert record.posted_at == datetime(2021, 3, 28, 21, 11, 12, 395000, tzinfo=UTC)
    bot = record_of(
        docs.GRAPH_BOT_MESSAGE, channel="19:ops", app_id="877192bd-9183-47d3-a74c-8aa0426716cf"
    )
    assert bot.is_bot and by_app(docs.GRAPH_BOT_MESSAGE, "877192bd-9183-47d3-a74c-8aa0426716cf")
    assert not carries(docs.GRAPH_BOT_MESSAGE, "kubemedic-alert:am:x")  # a card without it
    own = {
        **docs.GRAPH_BOT_MESSAGE,
        "attachments": [{"content": '{"body": [{"id": "kubemedic-alert:am:x"}]}'}],
    }
    assert carries(own, "kubemedic-alert:am:x") and not carries(own, "kubemedic-alert:am:")
    team, channel = (
        "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b",
        "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2",
    )
    second = {"value": [docs.GRAPH_BOT_MESSAGE]}
    vendor = Documented(
        {
            ("POST", "/token"): (200, docs.TEAMS_TOKEN),
            ("GET", f"/teams/{team}/channels/{channel}/messages"): (200, docs.GRAPH_MESSAGES),
        }
    )
    async with running(vendor) as url:
        next_page = docs.GRAPH_MESSAGES["@odata.nextLink"].replace(
            "https://graph.microsoft.com/v1.0", url
        )  # type: ignore[union-attr]
        vendor.answers[("GET", f"/teams/{team}/channels/{channel}/messages")] = (
            200,
            {**docs.GRAPH_MESSAGES, "@odata.nextLink": next_page},
        )
        original = vendor.answer

        def paged(call: Call, request: web.Request) -> tuple[int, Any]:
            return (200, second) if "$skiptoken" in call.query else original(call, request)

        vendor.answer = paged  # type: ignore[method-assign]
        tokens = AppToken(api("graph", url), token_url=f"{url}/token", app_id="a", password="p")
        client = TeamsGraph(api("graph", url), tokens, team=team)
        since = datetime(2019, 1, 1, tzinfo=UTC)
        ids = [m["id"] async for m in client.messages(channel, since=since)]
        assert ids == ["1616965872395", "1555631722147"]  # both pages, in order
        assert vendor.calls[-1].query.get("$skiptoken")  # the documented link, followed
