"""The watcher needs nothing beyond what deploy/ grants it: the read role plus the opt-in
watch component (deploy/components/watch). Its requests are recorded by the Kubernetes
stand-in while the real bot watches and diagnoses, and mapped to RBAC grants as the API
server's authorizer does."""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml

from tests.hardening.test_rbac_usage import Grant, grant_of
from tests.slack.harness import running_bot
from tests.standins.kube_api import KubeStandIn
from tests.waiting import PATIENCE
from tests.watch.test_watcher_bot import SETTINGS, failing_pod, workload

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def role_grants(path: Path) -> set[Grant]:
    role = yaml.safe_load(path.read_text())
    return {
        (group, resource, verb)
        for rule in role["rules"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }


async def test_the_watcher_uses_only_what_the_read_role_and_the_watch_component_grant(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    rs = workload(kube, "web")
    async with running_bot(tmp_path, kube=kube, KUBEMEDIC_NAMESPACES="shop", **SETTINGS) as bot:
        assert bot.alerts is not None
        await asyncio.wait_for(bot.alerts.leadership.leading.wait(), PATIENCE)
        kube.add(failing_pod(rs, 0, oom=True))
        await bot.slack.wait_for("chat.postMessage")
    used = {grant for request in kube.requests if (grant := grant_of(request)) is not None}
    watched = {g for g in used if g[2] == "watch"}
    assert watched == {("", "pods", "watch"), ("", "nodes", "watch"), ("", "events", "watch")}
    granted = role_grants(DEPLOY / "base" / "rbac" / "clusterrole-read.yaml") | role_grants(
        DEPLOY / "components" / "watch" / "clusterrole-watch.yaml"
    )
    assert used - granted == set()
    namespaced = {
        r.path for r in kube.requests if r.query.get("watch") == "true" and "/pods" in r.path
    }
    assert namespaced == {
        "/api/v1/namespaces/shop/pods"
    }  # KUBEMEDIC_NAMESPACES scopes the pod watch
