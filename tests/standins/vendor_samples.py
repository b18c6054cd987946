"""Sample bodies as each vendor's documentation prints them: the test data of
tests/standins/test_vendor_samples.py, which checks both the stand-ins and kubemedic's clients
against them, so that a stand-in and a client cannot agree on a misreading of the vendor.

Each sample is copied in its documented shape (keys, nesting, value types and units; the ids,
names and times are the docs' own), with the page it comes from. `same_shape` names every way
an actual body differs from a documented one.
"""

from __future__ import annotations

from typing import Any

# --------------------------------------------------------------------------------- PagerDuty
PAGERDUTY_WEBHOOK = {  # developer.pagerduty.com/docs/webhooks-v3-overview ("Event Data", incident)
    "event": {
        "id": "5ac64822-4adc-4fda-ade0-410becf0de4f",
        "event_type": "incident.triggered",
        "resource_type": "incident",
        "occurred_at": "2020-10-02T18:45:22.169Z",
        "agent": {
            "html_url": "https://acme.pagerduty.com/users/PLH1HKV",
            "id": "PLH1HKV",
            "self": "https://api.pagerduty.com/users/PLH1HKV",
            "summary": "Tenex Engineer",
            "type": "user_reference",
        },
        "client": {"name": "PagerDuty"},
        "data": {
            "id": "PGR0VU2",
            "type": "incident",
            "self": "https://api.pagerduty.com/incidents/PGR0VU2",
            "html_url": "https://acme.pagerduty.com/incidents/PGR0VU2",
            "number": 2,
            "status": "triggered",
            "incident_key": "d3640fbd41094207a1c11e58e46b1662",
            "created_at": "2020-04-09T15:16:27Z",
            "title": "A little bump in the road",
            "service": {
                "html_url": "https://acme.pagerduty.com/services/PF9KMXH",
                "id": "PF9KMXH",
                "self": "https://api.pagerduty.com/services/PF9KMXH",
                "summary": "API Service",
                "type": "service_reference",
            },
            "assignees": [],
            "escalation_policy": {
                "html_url": "https://acme.pagerduty.com/escalation_policies/PUS0KTE",
                "id": "PUS0KTE",
                "self": "https://api.pagerduty.com/escalation_policies/PUS0KTE",
                "summary": "Default",
                "type": "escalation_policy_reference",
            },
            "teams": [],
            "priority": None,
            "urgency": "high",
            "conference_bridge": None,
            "resolve_reason": None,
        },
    }
}
PAGERDUTY_NOTE = {  # developer.pagerduty.com/api-reference: "Create a Note on an Incident", 201
    "note": {
        "id": "PWL7QXS",
        "user": {
            "id": "PXPGF42",
            "type": "user_reference",
            "summary": "Earline Greenholt",
            "self": "https://api.pagerduty.com/users/PXPGF42",
            "html_url": "https://subdomain.pagerduty.com/users/PXPGF42",
        },
        "channel": {"summary": "The PagerDuty website or APIs"},
        "content": "Firefighters are on the scene.",
        "created_at": "2013-03-06T15:28:51-05:00",
    }
}
PAGERDUTY_ALERTS = {  # developer.pagerduty.com/api-reference: "List alerts for an incident", 200
    "alerts": [
        {
            "id": "PT4KHLK",
            "type": "alert",
            "summary": "The server is on fire.",
            "status": "triggered",
            "alert_key": "baf7cf21b1da41b4b0221008339ff357",
            "body": {
                "type": "alert_body",
                "contexts": [],
                "details": {"customKey": "Server is on fire!"},
            },
        }
    ],
    "limit": 25,
    "offset": 0,
    "more": False,
    "total": None,
}

# ---------------------------------------------------------- Opsgenie and Jira Service Management
ALERT_WEBHOOK = {  # support.atlassian.com/.../alert-action-data-for-jira-edge-connector (Create);
    # Opsgenie's docs print the same sample: createdAt in milliseconds, updatedAt in nanoseconds
    "source": {"name": "web", "type": "API"},
    "alert": {
        "updatedAt": 1420452193166002000,
        "tags": ["tag1", "tag2"],
        "teams": ["team1", "team2"],
        "recipients": ["recipient1", "recipient2"],
        "message": " test alert",
        "username": "fili@ifountain.com",
        "alertId": "052652ac-5d1c-464a-812a-7dd18bbfba8c",
        "source": "fili@ifountain.com",
        "alias": "aliastest",
        "tinyId": "23",
        "createdAt": 1420452191104,
        "userId": "daed1180-0ce8-438b-8f8e-57e1a5920a2d",
        "entity": "",
    },
    "action": "Create",
    "integrationId": "37c8f316-17c6-49d7-899b-9c7e540c048d",
    "integrationName": "Integration1",
}
ALERT_WEBHOOK_UPDATED = "2015-01-05T10:03:13.166002+00:00"
"""The sample's updatedAt (nanoseconds), as a moment: what the page's time must be."""
ACCEPTED = {  # docs.opsgenie.com/docs/alert-api ("Add Note to Alert": 202); JSM's the same
    "result": "Request will be processed",
    "took": 0.302,
    "requestId": "43a29c5c-3dbf-4fa4-9c26-f4f71023e120",
}
OPSGENIE_STATUS = {  # docs.opsgenie.com/docs/alert-api ("Get Request Status")
    "data": {
        "success": True,
        "action": "AddNote",
        "processedAt": "2017-05-24T14:24:20.844Z",
        "integrationId": "c9cec2cb-e782-4ebb-bc1d-1b2fa703cf03",
        "isSuccess": True,
        "status": "Added note",
        "alertId": "8743a1b2-11da-480e-8493-744660987bef",
        "alias": "8743a1b2-11da-480e-8493-744660987bef",
    },
    "took": 0.022,
    "requestId": "ec7e1d8e-1c75-442e-a271-731070a7fa4d",
}
OPSGENIE_NOTES = {  # docs.opsgenie.com/docs/alert-api ("List Alert Notes")
    "data": [
        {
            "note": "Alert note",
            "owner": "john.doe@opsgenie.com",
            "createdAt": "2017-04-18T14:24:36.18Z",
            "offset": "1492525476180000",
        }
    ],
    "paging": {
        "first": "https://api.opsgenie.com/v2/alerts/8743a1b2/notes?offset=1492525476180000",
        "next": "https://api.opsgenie.com/v2/alerts/8743a1b2/notes?offset=1492525476170000",
    },
    "took": 0.01,
    "requestId": "25b2f2d5-6bd0-4f62-8ad8-1d1ac2b3d5b7",
}
JSM_STATUS = {  # developer.atlassian.com/cloud/jira/service-desk-ops ("Get request status")
    "action": "AddNote",
    "processedAt": "2017-05-24T14:24:20.844Z",
    "integrationId": "c9cec2cb-e782-4ebb-bc1d-1b2fa703cf03",
    "isSuccess": True,
    "status": "Added note",
    "alertId": "8743a1b2-11da-480e-8493-744660987bef",
    "alias": "8743a1b2-11da-480e-8493-744660987bef",
}
JSM_NOTES = {  # developer.atlassian.com/cloud/jira/service-desk-ops ("List alert notes")
    "values": [
        {
            "note": "Alert note",
            "owner": "john.doe@example.com",
            "createdAt": "2017-04-18T14:24:36.18Z",
            "offset": "1492525476180000",
        }
    ],
    "links": {"next": "https://api.atlassian.com/jsm/ops/api/a436/v1/alerts/8743/notes?offset=1"},
}

# -------------------------------------------------------------------------------------- Jira
JIRA_CREATED = {  # developer.atlassian.com/cloud/jira/platform/rest/v3 ("Create issue", 201)
    "id": "10000",
    "key": "ED-24",
    "self": "https://your-domain.atlassian.net/rest/api/3/issue/10000",
}
JIRA_PROJECT = {  # developer.atlassian.com/cloud/jira/platform/rest/v3 ("Get project")
    "id": "10000",
    "key": "EX",
    "name": "Example",
}

# ------------------------------------------------------------------------ Teams (Bot Framework)
TEAMS_MESSAGE = {  # learn.microsoft.com: Teams' conversation basics (a channel mention)
    "type": "message",
    "id": "1485983408511",
    "timestamp": "2017-02-01T21:10:07.437Z",
    "serviceUrl": "https://smba.trafficmanager.net/amer/",
    "channelId": "msteams",
    "from": {
        "id": "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ",
        "name": "Megan Bowen",
        "aadObjectId": "7faf80fd-5a28-4fe1-9b1a-36b7b4cf5b0c",
    },
    "conversation": {
        "conversationType": "channel",
        "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "id": "19:6d2c1e4ee1c446d1aab8ed1b1b3cefbe@thread.skype;messageid=1485983408511",
    },
    "recipient": {"id": "28:f5d48856-5b42-41a0-8c3a-c5f944b679b0", "name": "TestBot"},
    "text": "<at>TestBot</at> Hello",
    "entities": [
        {
            "type": "mention",
            "mentioned": {"id": "28:f5d48856-5b42-41a0-8c3a-c5f944b679b0", "name": "TestBot"},
            "text": "<at>TestBot</at>",
        }
    ],
    "channelData": {"tenant": {"id": "72f988bf-86f1-41af-91ab-2d7cd011db47"}},
}
TEAMS_TOKEN = {  # learn.microsoft.com: Bot Framework authentication ("Get an access token")
    "token_type": "Bearer",
    "expires_in": 3599,
    "ext_expires_in": 3599,
    "access_token": "eyJ0eXAJKV1Q...",
}
TEAMS_SENT = {"id": "1485983408512"}  # Bot Connector API: ResourceResponse

# ------------------------------------------------------------------- Teams (Microsoft Graph)
GRAPH_MESSAGES: dict[
    str, Any
] = {  # learn.microsoft.com/graph/api/channel-list-messages (v1.0, example 1; its
    # first message, the next page's link shortened)
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#teams('fbe2bf47-16c8-47cf-b4a5-4b9b187c508b')/channels('19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2')/messages",
    "@odata.nextLink": "https://graph.microsoft.com/v1.0/teams/fbe2bf47-16c8-47cf-b4a5-4b9b187c508b/channels/19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2/messages?$skiptoken=%5b%7B%22token%22%3a%22%2bRID%3a~vpsQAJ9uAC047gwAAACcBQ%3d%3d%22%7D%5d",
    "value": [
        {
            "id": "1616965872395",
            "replyToId": None,
            "etag": "1616965872395",
            "messageType": "message",
            "createdDateTime": "2021-03-28T21:11:12.395Z",
            "lastModifiedDateTime": "2021-03-28T21:11:12.395Z",
            "lastEditedDateTime": None,
            "deletedDateTime": None,
            "subject": None,
            "summary": None,
            "chatId": None,
            "importance": "normal",
            "locale": "en-us",
            "webUrl": "https://teams.microsoft.com/l/message/19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2/1616965872395?groupId=fbe2bf47-16c8-47cf-b4a5-4b9b187c508b&tenantId=2432b57b-0abd-43db-aa7b-16eadd115d34&createdTime=1616965872395&parentMessageId=1616965872395",
            "policyViolation": None,
            "eventDetail": None,
            "from": {
                "application": None,
                "device": None,
                "user": {
                    "id": "8ea0e38b-efb3-4757-924a-5f94061cf8c2",
                    "displayName": "Robin Kline",
                    "userIdentityType": "aadUser",
                },
            },
            "body": {"contentType": "html", "content": 'Hello World <at id="0">Jane Smith</at>'},
            "channelIdentity": {
                "teamId": "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b",
                "channelId": "19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2",
            },
            "attachments": [],
            "mentions": [],
            "reactions": [],
        }
    ],
}
GRAPH_BOT_MESSAGE = {  # learn.microsoft.com/graph/api/chatmessage-get (a bot's card): from an
    # application, the body naming its attachment, the card's JSON as the attachment's string
    "id": "1555631722147",
    "replyToId": None,
    "etag": "1555631722147",
    "messageType": "message",
    "createdDateTime": "2019-04-18T23:55:22.147Z",
    "lastModifiedDateTime": None,
    "deletedDateTime": None,
    "from": {
        "device": None,
        "user": None,
        "application": {
            "id": "877192bd-9183-47d3-a74c-8aa0426716cf",
            "displayName": "TestBot",
            "applicationIdentityType": "bot",
        },
    },
    "body": {
        "contentType": "html",
        "content": '<attachment id="bcb243ec589a4537b3c650356421e696"></attachment>',
    },
    "attachments": [
        {
            "id": "bcb243ec589a4537b3c650356421e696",
            "contentType": "application/vnd.microsoft.card.signin",
            "contentUrl": None,
            "content": '{\r\n  "text": "Please sign in to sample to proceed."\r\n}',
            "name": None,
            "thumbnailUrl": None,
        }
    ],
    "mentions": [],
    "reactions": [],
}

# ------------------------------------------------------------------------------------- Slack
SLACK_POSTED = {  # api.slack.com/methods/chat.postMessage (the example response)
    "ok": True,
    "channel": "C123ABC456",
    "ts": "1503435956.000247",
    "message": {
        "text": "Here's a message for you",
        "user": "U123ABC456",
        "bot_id": "B123ABC456",
        "type": "message",
        "ts": "1503435956.000247",
    },
}
SLACK_SLASH_COMMAND = {  # api.slack.com/interactivity/slash-commands (the payload's fields)
    "token": "gIkuvaNzQIHg97ATvDxqgjtO",
    "team_id": "T0001",
    "team_domain": "example",
    "channel_id": "C2147483705",
    "channel_name": "test",
    "user_id": "U2147483697",
    "user_name": "Steve",
    "command": "/weather",
    "text": "94070",
    "response_url": "https://hooks.slack.com/commands/1234/5678",
    "trigger_id": "13345224609.738474920.8088930838d88f008e0",
    "api_app_id": "A123456",
}


FREE_FORM = frozenset({"details"})
"""Objects whose keys are the user's (a PagerDuty alert's custom details), not the vendor's."""


def same_shape(documented: Any, actual: Any, at: str = "") -> list[str]:
    """How `actual` differs from `documented`: a documented key missing, or a value of another
    JSON type (a number for a string, a list for an object...). Extra keys are allowed, and a
    null on either side matches anything (the docs print optional fields either way)."""
    if documented is None or actual is None or at.rpartition(".")[2] in FREE_FORM:
        return []
    if isinstance(documented, bool) or isinstance(actual, bool):
        same = isinstance(documented, bool) and isinstance(actual, bool)
        return [] if same else [f"{at or 'the body'}: {actual!r} is not a boolean"]
    if isinstance(documented, dict):
        if not isinstance(actual, dict):
            return [f"{at or 'the body'}: not an object"]
        problems = [f"{at}.{key}: missing" for key in documented if key not in actual]
        for key, value in documented.items():
            if key in actual:
                problems += same_shape(value, actual[key], f"{at}.{key}")
        return problems
    if isinstance(documented, list):
        if not isinstance(actual, list):
            return [f"{at}: not a list"]
        return same_shape(documented[0], actual[0], f"{at}[0]") if documented and actual else []
    kinds = (str, (int, float))
    for kind in kinds:
        if isinstance(documented, kind):
            return [] if isinstance(actual, kind) else [f"{at}: {actual!r} is not a {kind}"]
    return []
