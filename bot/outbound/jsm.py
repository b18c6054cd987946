"""Jira Service Management's operations API, the calls kubemedic makes: Opsgenie's, under `/v1`.

Atlassian moved Opsgenie's alerts into Jira Service Management (Opsgenie is sold no more and its
API ends on 5 April 2027): the alert API is the same, at
`https://api.atlassian.com/jsm/ops/api/{cloudId}/v1/alerts` (KUBEMEDIC_JSM_API_URL holds the part
before `/v1`), with an Atlassian account's email and API token as basic auth (or an OAuth 2.0
access token as a Bearer token), and its answers without Opsgenie's `data`/`paging` envelopes:
`POST /v1/alerts/{id}/notes` answers 202 with a `requestId`, `GET /v1/alerts/requests/{id}`
says whether it was done (`isSuccess`), `GET /v1/alerts/{id}/notes` lists `values` with
`links.next` while there are more. The client is Opsgenie's (bot/outbound/opsgenie.py), pointed here.
"""

from __future__ import annotations

from typing import ClassVar

from bot.outbound.opsgenie import OpsgenieApi


class JsmApi(OpsgenieApi):
    """The incident tool Jira Service Management: Opsgenie's client on JSM's paths."""

    tool = "jsm"
    label = "Jira Service Management"
    alerts = "/v1/alerts"
    by_id: ClassVar[dict[str, str]] = {}
    one_alert: ClassVar[dict[str, str]] = {"size": "1"}
