"""deploy/ renders with `kubectl kustomize` and grants least privilege: the base
reads exactly what a diagnosis reads (no secrets, no wildcards, no writes), and
the write verbs exist only in the optional remediation Component."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from bot.cluster import permissions
from bot.cluster.kinds import KINDS
from bot.cluster.reader import Kind
from tests.deploy.kustomize import ALL_RENDERINGS, bot_container, needs_kubectl

pytestmark = needs_kubectl

READ_VERBS = {"get", "list", "watch"}
#: (API group, resource) of every kind the diagnosis reads, from the one kinds table
#: (a new kind must also be granted in deploy/base/rbac/clusterrole-read.yaml)
RESOURCES = {name: (spec.group, spec.plural) for name, spec in KINDS.items()}
#: (group, resource, verb) for each remediation action, and nothing more; the watcher's streams
#: (components/watch): the product's permission table, which `kubemedic doctor` checks too
REMEDIATION = {p.grant for p in permissions.REMEDIATION}
WATCH = {p.grant for p in permissions.WATCH}
Grant = tuple[str, str, str]


# The rendered targets (base, with_remediation, http_postgres) are fixtures in conftest.py.


def roles(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] in ("Role", "ClusterRole")}


def grants(role: dict[str, Any]) -> set[Grant]:
    return {
        (g, r, v)
        for rule in role.get("rules", [])
        for g in rule.get("apiGroups", [])
        for r in rule.get("resources", [])
        for v in rule.get("verbs", [])
    }


def test_base_renders_namespace_account_read_role_and_the_bot(base: list[dict[str, Any]]) -> None:
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in base if d["kind"] != "ConfigMap")
    assert kinds == [
        ("ClusterRole", "kubemedic-read"),
        ("ClusterRoleBinding", "kubemedic-read"),
        ("Deployment", "kubemedic"),
        ("Namespace", "kubemedic"),
        ("PersistentVolumeClaim", "kubemedic-data"),
        ("Service", "kubemedic"),
        ("ServiceAccount", "kubemedic"),
    ]
    config_maps = [d["metadata"]["name"] for d in base if d["kind"] == "ConfigMap"]
    assert len(config_maps) == 1 and config_maps[0].startswith("kubemedic-")  # generated, hashed


def test_read_role_only_reads(base: list[dict[str, Any]]) -> None:
    read = grants(roles(base)["kubemedic-read"])
    assert {v for _, _, v in read} <= READ_VERBS - {"watch"}, "watch verbs live in components/watch"


def test_every_kind_the_diagnosis_reads_is_granted(base: list[dict[str, Any]]) -> None:
    assert set(get_args(Kind)) == set(RESOURCES), "map the new Kind to its API group here"
    read = grants(roles(base)["kubemedic-read"])
    # which verb each kind needs (get, list) is derived from the code in
    # tests/hardening/test_rbac_usage.py; here: no kind is left without a read
    readable = {(group, res) for group, res, _ in read}
    assert set(RESOURCES.values()) - readable == set()
    assert ("", "pods/log", "get") in read


@pytest.mark.parametrize("which", ALL_RENDERINGS)
def test_no_wildcards_secrets_or_configmaps(which: str, request: pytest.FixtureRequest) -> None:
    docs = request.getfixturevalue(which)
    for role in roles(docs).values():
        assert "aggregationRule" not in role
        for rule in role["rules"]:
            values = [
                *rule.get("apiGroups", []),
                *rule.get("resources", []),
                *rule.get("verbs", []),
                *rule.get("resourceNames", []),
                *rule.get("nonResourceURLs", []),
            ]
            assert "*" not in values and not any("*" in v for v in values), rule
            assert not {"secrets", "configmaps"} & set(rule.get("resources", [])), rule
            assert not {"escalate", "bind", "impersonate"} & set(rule.get("verbs", [])), rule


def test_write_verbs_only_in_the_remediation_component(
    base: list[dict[str, Any]], with_remediation: list[dict[str, Any]]
) -> None:
    assert "kubemedic-remediate" not in roles(base)
    all_roles = roles(with_remediation)
    assert set(all_roles) == {"kubemedic-read", "kubemedic-remediate"}
    assert grants(all_roles["kubemedic-read"]) == grants(roles(base)["kubemedic-read"])
    assert grants(all_roles["kubemedic-remediate"]) == REMEDIATION
    components = {
        d["metadata"]["name"]: d["metadata"]["labels"].get("app.kubernetes.io/component")
        for d in with_remediation
    }
    assert components["kubemedic-read"] is None  # the component does not relabel the base


@pytest.mark.parametrize("which", ALL_RENDERINGS)
def test_bindings_give_roles_to_the_bot_account_only(
    which: str, request: pytest.FixtureRequest
) -> None:
    docs = request.getfixturevalue(which)
    bindings = [d for d in docs if d["kind"] in ("RoleBinding", "ClusterRoleBinding")]
    assert {b["roleRef"]["name"] for b in bindings} == set(roles(docs))
    for b in bindings:
        assert b["subjects"] == [
            {"kind": "ServiceAccount", "name": "kubemedic", "namespace": "kubemedic"}
        ]


def test_the_http_overlay_grants_what_the_base_grants(
    base: list[dict[str, Any]], http_postgres: list[dict[str, Any]]
) -> None:
    """HTTP mode changes how Slack reaches the bot, not what the bot may do in the cluster."""
    assert {name: grants(role) for name, role in roles(http_postgres).items()} == {
        name: grants(role) for name, role in roles(base).items()
    }


@pytest.mark.parametrize("which", ALL_RENDERINGS)
def test_watch_verbs_only_with_the_watch_component(
    which: str, request: pytest.FixtureRequest
) -> None:
    """The watcher's streams are granted exactly when the watcher is switched on, and the
    watch role grants get/list/watch on pods, nodes and events only."""
    docs = request.getfixturevalue(which)
    all_roles = roles(docs)
    watching = {
        name for name, role in all_roles.items() if any(v == "watch" for _, _, v in grants(role))
    }
    settings = next(
        d
        for d in docs
        if d["kind"] == "ConfigMap"
        and {"configMapRef": {"name": d["metadata"]["name"]}} in bot_container(docs)["envFrom"]
    )
    switched_on = settings["data"].get("KUBEMEDIC_WATCH") == "true"
    assert watching == ({"kubemedic-watch"} if switched_on else set())
    if switched_on:
        assert grants(all_roles["kubemedic-watch"]) == WATCH
        assert (
            all_roles["kubemedic-watch"]["metadata"]["labels"]["app.kubernetes.io/component"]
            == "watch"
        )


def test_the_everything_overlays_add_the_watch_and_remediation_roles(
    socket_everything: list[dict[str, Any]],
    http_everything: list[dict[str, Any]],
    base: list[dict[str, Any]],
) -> None:
    for docs in (socket_everything, http_everything):
        all_roles = roles(docs)
        assert set(all_roles) == {"kubemedic-read", "kubemedic-remediate", "kubemedic-watch"}
        assert grants(all_roles["kubemedic-read"]) == grants(roles(base)["kubemedic-read"])
        assert grants(all_roles["kubemedic-remediate"]) == REMEDIATION
