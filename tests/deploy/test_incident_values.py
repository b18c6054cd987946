"""The chart's incident tools and Teams bot: the values become the settings the bot reads (the
names checked by loading them into Settings), the Secret's keys reach the pod without being
rendered, and the ingress opens exactly the routes the bot serves for them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.cli import build_parser
from bot.runtime import signing_key
from bot.settings import Settings
from bot.teams.activities import PATH as TEAMS_PATH
from bot.web.incidents import OPSGENIE_PATH, PAGERDUTY_PATH, PATHS
from bot.wiring.teams_bot import teams_credentials
from tests.deploy.helm import VALUE_SETS, helm, render_chart
from tests.deploy.kustomize import Doc, bot_container, only
from tests.deploy.test_workload import config_map, env

JSM_PATH = PATHS["jsm"]

SECRET_KEYS = {
    "KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET": "pd-webhook-secret",
    "KUBEMEDIC_PAGERDUTY_TOKEN": "pd-token",
    "KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET": "kmsk_9dQJ3q16-VkL7y54AgChtvg1Aw6unoNIosc2OMIe-KLho48E",
    "KUBEMEDIC_OPSGENIE_API_KEY": "og-key",
    "KUBEMEDIC_JSM_WEBHOOK_SECRET": "kmsk__L_mQz3MYA-PG6eXJR9cyyPfJ7-RYhZdEUAF3CdQBcRrD2Mu",
    "KUBEMEDIC_JSM_API_TOKEN": "jsm-token",
    "KUBEMEDIC_JIRA_TOKEN": "jira-token",
    "KUBEMEDIC_TEAMS_APP_PASSWORD": "bot-password",
    "KUBEMEDIC_SIGNING_KEY": signing_key.generate(),
}


@pytest.fixture(scope="module")
def teams_bot_incidents() -> list[Doc]:
    return render_chart(VALUE_SETS["teams_bot_incidents"])


def paths(docs: list[Doc]) -> list[str]:
    [rule] = only(docs, "Ingress")["spec"]["rules"]
    return [p["path"] for p in rule["http"]["paths"]]


def pod_settings(docs: list[Doc]) -> Settings:
    """Settings as the pod would load them, each Secret key the pod names holding a value."""
    container = bot_container(docs)
    secrets = {
        name: SECRET_KEYS[entry["valueFrom"]["secretKeyRef"]["key"]]
        for name, entry in env(container).items()
        if entry.get("valueFrom", {}).get("secretKeyRef", {}).get("key") in SECRET_KEYS
    }
    return Settings.model_validate({**config_map(docs, container), **secrets})


def test_the_teams_bot_serves_teams_and_its_settings_load(teams_bot_incidents: list[Doc]) -> None:
    container = bot_container(teams_bot_incidents)
    assert build_parser().parse_args(container["args"]).teams is True
    settings = pod_settings(teams_bot_incidents)
    assert settings.teams_app_id == VALUE_SETS["teams_bot_incidents"]["teams"]["appId"]
    assert settings.teams_app_password is not None and settings.signing_key is not None
    assert settings.teams_webhook_url is None  # the webhook's key is optional beside the bot
    assert settings.teams_graph and settings.teams_team_id == "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b"
    teams_credentials(settings)  # `serve --teams` starts: Graph's tenant and team are named


def test_incident_tools_come_from_one_secret_each_key_optional(
    teams_bot_incidents: list[Doc],
) -> None:
    refs = {
        name: entry["valueFrom"]["secretKeyRef"]
        for name, entry in env(bot_container(teams_bot_incidents)).items()
        if entry.get("valueFrom", {}).get("secretKeyRef", {}).get("name") == "kubemedic-incidents"
    }
    assert set(refs) == {
        "KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET",
        "KUBEMEDIC_PAGERDUTY_TOKEN",
        "KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET",
        "KUBEMEDIC_OPSGENIE_API_KEY",
        "KUBEMEDIC_JSM_WEBHOOK_SECRET",
        "KUBEMEDIC_JSM_API_TOKEN",
        "KUBEMEDIC_JIRA_TOKEN",
    }
    assert all(ref["optional"] is True and ref["key"] == name for name, ref in refs.items())
    settings = pod_settings(teams_bot_incidents)
    assert settings.pagerduty_from == "oncall@example.com"
    assert settings.jira_ready and settings.jira_project == "OPS"
    assert settings.jira_email == "kubemedic@example.com" and settings.jira_api_version == "3"


def test_the_ingress_opens_the_bot_framework_and_incident_routes_only(
    teams_bot_incidents: list[Doc],
) -> None:
    assert paths(teams_bot_incidents) == [TEAMS_PATH, PAGERDUTY_PATH, OPSGENIE_PATH, JSM_PATH]
    socket_mode = render_chart(
        {
            "incidents": {"existingSecret": "kubemedic-incidents", "ingress": True},
            "ingress": {"enabled": True},
        }
    )
    assert paths(socket_mode) == [
        PAGERDUTY_PATH,
        OPSGENIE_PATH,
        JSM_PATH,
    ]  # Slack dials out: no /slack/events
    without = render_chart({"incidents": {"existingSecret": "kubemedic-incidents"}})
    assert not [d for d in without if d["kind"] == "Ingress"]
    assert "KUBEMEDIC_JIRA_URL" not in config_map(without, bot_container(without))


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"chat": "teams"}, "chat=teams needs teams.appId and teams.existingSecret"),
        (
            {"chat": "teams", "teams": {"appId": "a", "existingSecret": "kubemedic-teams"}},
            "chat=teams needs teams.tenantIds",
        ),
        ({"incidents": {"ingress": True}}, "incidents.ingress needs ingress.enabled"),
        (
            {"incidents": {"ingress": True}, "ingress": {"enabled": True}},
            "incidents.ingress needs incidents.existingSecret",
        ),
        ({"jira": {"url": "https://example.atlassian.net"}}, "jira.url needs jira.project"),
    ],
)
def test_incomplete_tool_values_are_refused_naming_the_fix(
    values: dict[str, Any], says: str
) -> None:
    with pytest.raises(helm.HelmRenderError, match=says.replace(".", r"\.")):
        render_chart(values)
