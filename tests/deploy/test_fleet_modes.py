"""The fleet's modes as users install them, from the chart (`mode=hub|agent`) and from Kustomize
(components/hub, overlays/agent and its components; tests/deploy/test_helm.py holds the two equal):
a hub holds no cluster credentials, an agent opens no port unless its cluster's Alertmanager
posts to it, writes only where its cluster opted in, and impersonates exactly the people listed.
Values that cannot work are refused naming the fix.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.fleet.wire import PATH
from bot.settings import Settings
from tests.deploy.helm import VALUE_SETS, render_chart
from tests.deploy.kustomize import Doc, bot_container, only
from tests.deploy.test_workload import config_map, env, routes, serve_args

RBAC = ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
READ_VERBS = {"get", "list"}


def _kinds(docs: list[Doc]) -> list[str]:
    return sorted(doc["kind"] for doc in docs if doc["kind"] != "Namespace")


def _rendered(how: str, name: str, request: pytest.FixtureRequest) -> list[Doc]:
    if how == "chart":
        return render_chart(VALUE_SETS[name])
    docs: list[Doc] = request.getfixturevalue(name)
    return docs


def _granted(docs: list[Doc]) -> set[tuple[str, str]]:
    return {
        (resource, verb)
        for doc in docs
        if doc["kind"] == "ClusterRole"
        for rule in doc["rules"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }


@pytest.mark.parametrize("how", ["chart", "kustomize"])
def test_a_hub_has_no_cluster_access_and_exposes_the_agents_way_in(
    how: str, request: pytest.FixtureRequest
) -> None:
    docs = _rendered(how, "hub", request)
    assert not [doc for doc in docs if doc["kind"] in RBAC]
    pod = only(docs, "Deployment")["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    container = bot_container(docs)
    assert container["args"] == ["serve", "--http", "--hub"]
    assert "KUBECONFIG" not in env(container)
    paths = [
        path["path"]
        for rule in only(docs, "Ingress")["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]
    assert paths == ["/slack/events", PATH]  # Slack's way in, and the agents'
    assert serve_args(container).hub and ("POST", "/slack/events") in routes(
        http_mode=serve_args(container).http
    )


@pytest.mark.parametrize("how", ["chart", "kustomize"])
def test_an_agent_reads_with_the_read_only_role_and_opens_no_port(
    how: str, request: pytest.FixtureRequest
) -> None:
    docs = _rendered(how, "agent", request)
    assert _kinds(docs) == [
        "ClusterRole",
        "ClusterRoleBinding",
        "ConfigMap",
        "Deployment",
        "ServiceAccount",
    ]
    assert {verb for _, verb in _granted(docs)} <= READ_VERBS
    container = bot_container(docs)
    assert container["args"] == ["agent"] and "ports" not in container
    assert container["livenessProbe"]["exec"]["command"] == ["kubemedic", "agent", "--alive"]
    assert "readinessProbe" not in container and "httpGet" not in str(container)
    variables, settings = env(container), config_map(docs, container)
    assert settings["KUBEMEDIC_HUB_URL"] == "https://kubemedic.example.com"
    assert "SLACK_BOT_TOKEN" not in variables and "KUBEMEDIC_DATABASE_URL" not in variables
    assert (
        "KUBEMEDIC_AGENT_REMEDIATION" not in settings
        and "KUBEMEDIC_ALERTMANAGER_TOKEN" not in variables
    )


@pytest.mark.parametrize("how", ["chart", "kustomize"])
def test_an_agent_runs_one_pod_at_a_time_with_the_key_its_token_is_bound_to(
    how: str, request: pytest.FixtureRequest
) -> None:
    """A rollout never overlaps two pods dialling with one token, and every pod proves the same key:
    the token Secret's `key` (made by `fleet token issue --secret`), mounted read-only."""
    docs = _rendered(how, "agent", request)
    deployment = only(docs, "Deployment")
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    pod = deployment["spec"]["template"]["spec"]
    container = bot_container(docs)
    token = env(container)["KUBEMEDIC_AGENT_TOKEN"]["valueFrom"]["secretKeyRef"]
    [mount] = [m for m in container["volumeMounts"] if m["name"] == "agent-key"]
    [volume] = [v for v in pod["volumes"] if v["name"] == "agent-key"]
    assert mount["readOnly"] is True and volume["secret"]["secretName"] == token["name"]
    [item] = volume["secret"]["items"]
    assert item["key"] == "key"  # what `fleet token issue --secret` writes beside the token
    path = f"{mount['mountPath']}/{item['path']}"
    assert env(container)["KUBEMEDIC_AGENT_KEY_FILE"]["value"] == path
    assert "lifecycle" not in container  # an agent serves no Service: nothing to wait for


def test_an_agent_with_an_unbound_token_mounts_no_key() -> None:
    docs = render_chart(
        {
            **VALUE_SETS["agent"],
            "agent": {**VALUE_SETS["agent"]["agent"], "key": {"enabled": False}},
        }
    )
    container = bot_container(docs)
    assert "KUBEMEDIC_AGENT_KEY_FILE" not in env(container)
    assert "agent-key" not in str(only(docs, "Deployment")["spec"]["template"]["spec"])


@pytest.mark.parametrize("how", ["chart", "kustomize"])
def test_a_bot_replica_waits_for_its_service_before_it_is_told_to_stop(
    how: str, request: pytest.FixtureRequest
) -> None:
    """preStop keeps SIGTERM back while the Service takes the pod out; the grace period covers it,
    the bot's own delay after SIGTERM and its drain."""
    docs = _rendered(how, "hub", request)
    container = bot_container(docs)
    assert container["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "5"]
    grace = only(docs, "Deployment")["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    from bot.commands.serve_runtime import DRAIN_SECONDS

    assert grace >= 5 + Settings().stop_delay_seconds + DRAIN_SECONDS + 5  # and a margin


@pytest.mark.parametrize("how", ["chart", "kustomize"])
def test_an_agent_with_every_opt_in_part_writes_watches_and_takes_alerts(
    how: str, request: pytest.FixtureRequest
) -> None:
    docs = _rendered(how, "agent_everything", request)
    container = bot_container(docs)
    settings = Settings(**config_map(docs, container))
    assert (
        settings.agent_remediation
        and settings.watch
        and settings.hub_url == "https://kubemedic.example.com"
    )
    granted = _granted(docs)
    assert ("pods", "delete") in granted and (
        "pods",
        "watch",
    ) in granted  # the narrow write Role, the watch one
    assert not {verb for _, verb in granted} & {
        "*",
        "create",
        "update",
        "impersonate",
        "escalate",
        "bind",
    }
    assert not [resource for resource, _ in granted if resource.startswith("secrets")]
    token = env(container)["KUBEMEDIC_ALERTMANAGER_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert (
        token["name"] == "kubemedic-alertmanager" and "optional" not in token
    )  # the receiver needs it
    [port] = container["ports"]
    service = only(docs, "Service")
    assert (
        service["spec"]["type"] == "ClusterIP"
        and service["spec"]["ports"][0]["targetPort"] == port["name"]
    )
    assert not [doc for doc in docs if doc["kind"] == "Ingress"]  # inside the cluster only


def test_an_agent_impersonates_exactly_the_people_listed() -> None:
    docs = render_chart(VALUE_SETS["agent_impersonating"])
    role = next(
        doc
        for doc in docs
        if doc["kind"] == "ClusterRole" and doc["metadata"]["name"].endswith("impersonate")
    )
    assert {
        (tuple(rule["resources"]), tuple(rule["verbs"]), tuple(rule["resourceNames"]))
        for rule in role["rules"]
    } == {
        (("users",), ("impersonate",), ("alice@example.com",)),
        (("groups",), ("impersonate",), ("sre",)),
    }
    assert not [
        doc for doc in render_chart(VALUE_SETS["agent"]) if "impersonate" in doc["metadata"]["name"]
    ]


def test_a_hub_mounts_its_identity_file_where_the_setting_points() -> None:
    docs = render_chart(VALUE_SETS["hub_identities"])
    container = bot_container(docs)
    path = config_map(docs, container)["KUBEMEDIC_IDENTITY_FILE"]
    [mount] = [m for m in container["volumeMounts"] if path.startswith(m["mountPath"] + "/")]
    volume = next(
        v
        for v in only(docs, "Deployment")["spec"]["template"]["spec"]["volumes"]
        if v["name"] == mount["name"]
    )
    stored = next(
        d
        for d in docs
        if d["kind"] == "ConfigMap" and d["metadata"]["name"] == volume["configMap"]["name"]
    )
    assert (
        "alice@example.com" in stored["data"][path.rsplit("/", 1)[1]] and mount["readOnly"] is True
    )


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"mode": "agent"}, "mode=agent needs agent.hubUrl"),
        ({"mode": "hub", "remediation": {"enabled": True}}, "mode=hub reads no cluster"),
        (
            {"mode": "hub", "clusters": {"kubeconfigSecret": "kubemedic-kubeconfig"}},
            "mode=hub reads no cluster",
        ),
        ({"mode": "bot", "identities": {"file": "users: {}"}}, "identities is the hub's"),
        ({"mode": "hub", "agent": {"impersonate": {"users": ["alice"]}}}, "are for mode=agent"),
    ],
)
def test_fleet_values_that_cannot_work_are_refused(values: dict[str, Any], says: str) -> None:
    with pytest.raises(Exception, match=says):
        render_chart(values)


@pytest.mark.parametrize(
    "values",
    [
        {"mode": "fleet"},
        {"mode": "agent", "agent": {"hubUrl": "http://hub"}},
        {
            "mode": "agent",
            "agent": {"hubUrl": "https://hub", "impersonate": {"users": ["alice, bob"]}},
        },
    ],
)
def test_the_schema_refuses_a_mode_a_hub_url_or_a_name_list_that_cannot_work(
    values: dict[str, Any],
) -> None:
    with pytest.raises(Exception, match="mode|hubUrl|pattern|enum"):
        render_chart(values)
