"""deploy/ renders with `kubectl kustomize` and grants least privilege: the base
reads exactly what a diagnosis reads (no secrets, no wildcards, no writes), and
the write verbs exist only in the optional remediation Component."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from bot.cluster.reader import Kind
from tests.deploy.kustomize import needs_kubectl

pytestmark = needs_kubectl

READ_VERBS = {"get", "list", "watch"}
#: (API group, resource) of every kind the diagnosis reads; a new Kind must be added here
#: (and granted in deploy/base/rbac/clusterrole-read.yaml)
RESOURCES = {
    "pods": ("", "pods"), "events": ("", "events"), "events.k8s.io": ("events.k8s.io", "events"),
    "nodes": ("", "nodes"), "persistentvolumeclaims": ("", "persistentvolumeclaims"),
    "persistentvolumes": ("", "persistentvolumes"), "services": ("", "services"),
    "endpoints": ("", "endpoints"), "resourcequotas": ("", "resourcequotas"),
    "storageclasses": ("storage.k8s.io", "storageclasses"), "replicasets": ("apps", "replicasets"),
    "deployments": ("apps", "deployments"), "statefulsets": ("apps", "statefulsets"),
    "daemonsets": ("apps", "daemonsets"), "jobs": ("batch", "jobs"),
    "apiservices": ("apiregistration.k8s.io", "apiservices"),
}
#: (group, resource, verb) for each remediation action, and nothing more
REMEDIATION = {
    ("", "pods", "delete"), ("", "pods", "patch"),                     # restart pod; runmode=debug
    ("", "persistentvolumeclaims", "delete"),                          # delete-pvc-and-pod
    ("", "nodes", "patch"),                                            # cordon / uncordon
    ("apps", "deployments", "patch"), ("apps", "statefulsets", "patch"),
    ("apps", "daemonsets", "patch"),                                   # rollout restart
    ("apps", "deployments/scale", "patch"),                            # scale
    ("apiregistration.k8s.io", "apiservices", "delete"),               # drop a stale APIService
}
Grant = tuple[str, str, str]


# The rendered targets (base, with_remediation, http_postgres) are fixtures in conftest.py.


def roles(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] in ("Role", "ClusterRole")}


def grants(role: dict[str, Any]) -> set[Grant]:
    return {(g, r, v) for rule in role.get("rules", []) for g in rule.get("apiGroups", [])
            for r in rule.get("resources", []) for v in rule.get("verbs", [])}


def test_base_renders_namespace_account_read_role_and_the_bot(base: list[dict[str, Any]]) -> None:
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in base if d["kind"] != "ConfigMap")
    assert kinds == [("ClusterRole", "kubemedic-read"), ("ClusterRoleBinding", "kubemedic-read"),
                     ("Deployment", "kubemedic"), ("Namespace", "kubemedic"),
                     ("PodDisruptionBudget", "kubemedic"), ("Service", "kubemedic"),
                     ("ServiceAccount", "kubemedic")]
    config_maps = [d["metadata"]["name"] for d in base if d["kind"] == "ConfigMap"]
    assert len(config_maps) == 1 and config_maps[0].startswith("kubemedic-")  # generated, hashed


def test_read_role_only_reads(base: list[dict[str, Any]]) -> None:
    read = grants(roles(base)["kubemedic-read"])
    assert {v for _, _, v in read} <= READ_VERBS


def test_every_kind_the_diagnosis_reads_is_granted(base: list[dict[str, Any]]) -> None:
    assert set(get_args(Kind)) == set(RESOURCES), "map the new Kind to its API group here"
    read = grants(roles(base)["kubemedic-read"])
    # which verb each kind needs (get, list) is derived from the code in
    # tests/hardening/test_rbac_usage.py; here: no kind is left without a read
    readable = {(group, res) for group, res, _ in read}
    assert set(RESOURCES.values()) - readable == set()
    assert ("", "pods/log", "get") in read


@pytest.mark.parametrize("which", ["base", "with_remediation", "http_postgres"])
def test_no_wildcards_secrets_or_configmaps(which: str, request: pytest.FixtureRequest) -> None:
    docs = request.getfixturevalue(which)
    for role in roles(docs).values():
        assert "aggregationRule" not in role
        for rule in role["rules"]:
            values = [*rule.get("apiGroups", []), *rule.get("resources", []), *rule.get("verbs", []),
                      *rule.get("resourceNames", []), *rule.get("nonResourceURLs", [])]
            assert "*" not in values and not any("*" in v for v in values), rule
            assert not {"secrets", "configmaps"} & set(rule.get("resources", [])), rule
            assert not {"escalate", "bind", "impersonate"} & set(rule.get("verbs", [])), rule


def test_write_verbs_only_in_the_remediation_component(base: list[dict[str, Any]],
                                                       with_remediation: list[dict[str, Any]]) -> None:
    assert "kubemedic-remediate" not in roles(base)
    all_roles = roles(with_remediation)
    assert set(all_roles) == {"kubemedic-read", "kubemedic-remediate"}
    assert grants(all_roles["kubemedic-read"]) == grants(roles(base)["kubemedic-read"])
    assert grants(all_roles["kubemedic-remediate"]) == REMEDIATION
    components = {d["metadata"]["name"]: d["metadata"]["labels"].get("app.kubernetes.io/component")
                  for d in with_remediation}
    assert components["kubemedic-read"] is None  # the component does not relabel the base


@pytest.mark.parametrize("which", ["base", "with_remediation", "http_postgres"])
def test_bindings_give_roles_to_the_bot_account_only(which: str, request: pytest.FixtureRequest) -> None:
    docs = request.getfixturevalue(which)
    bindings = [d for d in docs if d["kind"] in ("RoleBinding", "ClusterRoleBinding")]
    assert {b["roleRef"]["name"] for b in bindings} == set(roles(docs))
    for b in bindings:
        assert b["subjects"] == [{"kind": "ServiceAccount", "name": "kubemedic", "namespace": "kubemedic"}]


def test_the_http_overlay_grants_what_the_base_grants(base: list[dict[str, Any]],
                                                      http_postgres: list[dict[str, Any]]) -> None:
    """HTTP mode changes how Slack reaches the bot, not what the bot may do in the cluster."""
    assert {name: grants(role) for name, role in roles(http_postgres).items()} == \
        {name: grants(role) for name, role in roles(base).items()}
