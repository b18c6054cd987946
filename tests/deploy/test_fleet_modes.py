"""The chart's fleet modes: `mode=hub` holds no cluster credentials, `mode=agent` opens no port.

Rendered through the Helm engine as a user installs them (tests/deploy/helm.py's "hub" and
"agent" value sets); values that cannot work are refused naming the fix.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy.helm import VALUE_SETS, render_chart
from tests.deploy.kustomize import Doc, bot_container, only
from tests.deploy.test_workload import env


def _kinds(docs: list[Doc]) -> list[str]:
    return sorted(doc["kind"] for doc in docs)


def test_a_hub_has_no_cluster_access_and_exposes_the_agents_way_in() -> None:
    docs = render_chart(VALUE_SETS["hub"])
    assert not [doc for doc in docs if doc["kind"] in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")]
    pod = only(docs, "Deployment")["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False
    container = bot_container(docs)
    assert container["args"] == ["serve", "--http", "--hub"]
    assert "KUBECONFIG" not in env(container)
    paths = [path["path"] for rule in only(docs, "Ingress")["spec"]["rules"] for path in rule["http"]["paths"]]
    assert paths == ["/slack/events", "/fleet/connect"]


def test_an_agent_reads_with_the_read_only_role_and_opens_no_port() -> None:
    docs = render_chart(VALUE_SETS["agent"])
    assert _kinds(docs) == ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "Deployment", "ServiceAccount"]
    verbs = {verb for rule in only(docs, "ClusterRole")["rules"] for verb in rule["verbs"]}
    assert verbs <= {"get", "list"}
    container = bot_container(docs)
    assert container["args"] == ["agent"] and "ports" not in container
    assert container["livenessProbe"]["exec"]["command"] == ["kubemedic", "agent", "--alive"]
    assert "readinessProbe" not in container and "httpGet" not in str(container)
    variables = env(container)
    assert variables["KUBEMEDIC_HUB_URL"]["value"] == "https://kubemedic.example.com"
    assert "SLACK_BOT_TOKEN" not in variables and "KUBEMEDIC_DATABASE_URL" not in variables


@pytest.mark.parametrize(("values", "says"), [
    ({"mode": "agent"}, "mode=agent needs agent.hubUrl"),
    ({"mode": "hub", "remediation": {"enabled": True}}, "mode=hub reads no cluster"),
    ({"mode": "hub", "clusters": {"kubeconfigSecret": "kubemedic-kubeconfig"}}, "mode=hub reads no cluster"),
])
def test_fleet_values_that_cannot_work_are_refused(values: dict[str, Any], says: str) -> None:
    with pytest.raises(Exception, match=says):
        render_chart(values)


@pytest.mark.parametrize("values", [{"mode": "fleet"}, {"mode": "agent", "agent": {"hubUrl": "http://hub"}}])
def test_the_schema_refuses_a_mode_or_a_hub_url_that_is_not_https(values: dict[str, Any]) -> None:
    with pytest.raises(Exception, match="mode|hubUrl|pattern|enum"):
        render_chart(values)
