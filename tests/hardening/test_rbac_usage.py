"""RBAC against the code: the ClusterRoles grant exactly what kubemedic calls.

The permissions used are not listed by hand.  They are derived twice:

* at run time, from the requests the Kubernetes stand-in records while the
  real bot (the bolt app over HTTP, the official client) diagnoses every
  scenario in tests/standins/kube_scenarios.py by pod, namespace and node
  and an admin clicks every remediation button it offers, plus every
  remediation action kind run through the real writer (each workload
  kind); each request's method and path map to (API group, resource, verb)
  as the apiserver's authorizer computes them;
* from the source, for reads the scenarios do not reach (a Job owner, a
  bound PersistentVolume, an APIService): every `reader.get(KIND, ...)`,
  `reader.list(KIND, ...)` and `reader.logs(...)` call in bot/, with KIND a
  literal or a value of a kind table, mapped through the gateway's
  resource table.  Whatever the run time saw must be in this set too, so
  the scan cannot silently miss a way of calling the API.

Then, against `kubectl kustomize`:

* every read is granted by kubemedic-read, every write by kubemedic-remediate
  only;
* nothing is granted that the code never uses.

The same set is written down once in product code, bot/cluster/permissions.py
(what `kubemedic doctor` checks with SelfSubjectAccessReview): what the code
uses must equal that table, read for read and write for write.

tests/deploy/test_rbac.py checks the manifests' form (no wildcards,
secrets or escalation, bindings to the bot's account only).
"""

from __future__ import annotations

import ast
import asyncio
import shutil
import subprocess
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from bot.cluster.errors import ClusterError
from bot.cluster.gateway import RESOURCES
from bot.cluster.kubeconfig import connect
from bot.cluster.permissions import READ, REMEDIATION
from bot.cluster.writer import KubeWriter, WorkloadKind
from bot.remediation.actions import ACTIONS
from bot.settings import Settings
from tests.deploy.kustomize import require_kubectl
from tests.slack.harness import ADMIN, Bot, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, RecordedRequest, start_in_thread, write_kubeconfig
from tests.standins.kube_resources import parse_path, verb_for
from tests.standins.slack_requests import block_actions_from_message

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBECTL = shutil.which("kubectl")
CHANNEL = "C0GENERAL1"
READ_VERBS = {"get", "list", "watch"}
Grant = tuple[str, str, str]


def grant_of(request: RecordedRequest) -> Grant | None:
    """(group, resource[/subresource], verb) of one API request; None for discovery and non-resource paths."""
    target = parse_path(request.path)
    if target is None or target.discovery or target.resource is None:
        return None
    resource = target.resource.plural + (f"/{target.subresource}" if target.subresource else "")
    return target.resource.group, resource, verb_for(request.method, target, request.query)


async def _click_every_button(bot: Bot, posted: Any) -> None:
    values = [
        element["value"]
        for block in posted.blocks
        for element in block.get("elements", [])
        if str(element.get("action_id", "")).startswith("remediate")
    ]
    for value in values:
        click = block_actions_from_message(
            posted, value, user_id=ADMIN, response_url=bot.slack.response_url(CHANNEL, posted.ts)
        )
        before = len(bot.slack.calls_to("chat.update")) + len(bot.slack.calls_to("response_url"))
        await bot.send(bot.requests.interaction(click))
        for _ in range(100):
            if (
                len(bot.slack.calls_to("chat.update")) + len(bot.slack.calls_to("response_url"))
                > before
            ):
                break
            await asyncio.sleep(0.05)


async def _drive_scenario(name: str, tmp_path: Path) -> tuple[list[RecordedRequest], set[str]]:
    kube = KubeStandIn(latency=0.0)
    case = scenarios.SCENARIOS[name](kube)
    kinds: set[str] = set()
    async with running_bot(tmp_path, kube=kube) as bot:
        asks = [f"namespace {case.namespace}"] if case.namespace else []
        if case.pod:
            asks.insert(0, f"pod {case.namespace}/{case.pod}")
        asks += [f"node {node['metadata']['name']}" for node in kube.objects("Node")]
        for number, text in enumerate(asks, start=1):
            await bot.send(bot.requests.slash_command(text, channel_id=CHANNEL))
            posted = (await bot.slack.wait_for("chat.postMessage", count=number))[-1]
            kinds |= {
                str(e["action_id"]).partition(":")[2]
                for b in posted.blocks
                for e in b.get("elements", [])
                if str(e.get("action_id", "")).startswith("remediate")
            }
            await _click_every_button(bot, posted)
    return list(kube.requests), kinds


def _targets() -> list[tuple[str, dict[str, Any]]]:
    samples: list[tuple[str, dict[str, Any]]] = [
        ("delete-pod", {"namespace": "shop", "name": "web-0"}),
        (
            "delete-pvc-and-pod",
            {"namespace": "tidb", "name": "basic-tikv-1", "pvc": "tikv-basic-tikv-1"},
        ),
        ("annotate-debug", {"namespace": "tidb", "name": "basic-pd-1"}),
        ("cordon-node", {"name": "worker-3"}),
        ("uncordon-node", {"name": "worker-3"}),
        ("scale-deployment", {"namespace": "shop", "name": "api", "replicas": 3}),
        ("delete-apiservice", {"name": "v1beta1.metrics.k8s.io"}),
    ]
    samples += [
        ("rollout-restart", {"kind": kind, "namespace": "shop", "name": "api"})
        for kind in get_args(WorkloadKind)
    ]
    assert {kind for kind, _ in samples} == set(ACTIONS), "add a sample for the new action kind"
    return samples


def _every_action_kind(tmp_path: Path) -> list[RecordedRequest]:
    kube = KubeStandIn(latency=0.0)
    with start_in_thread(kube) as server:
        path = write_kubeconfig(tmp_path / "kubeconfig", {"prod": server.url})
        gateway = connect(Settings(KUBECONFIG=str(path), KUBEMEDIC_KUBE_REQUEST_TIMEOUT=5.0))
        writer = KubeWriter.sharing(gateway, timeout=5.0)

        async def run_all() -> None:
            for kind, raw in _targets():
                spec = ACTIONS[kind]
                target = spec.parse({"cluster": "prod", **raw})
                for dry_run in (True, False):
                    try:
                        await spec.perform(writer, target, dry_run=dry_run)
                    except ClusterError:
                        pass  # the object need not exist: the request is what counts

        try:
            asyncio.run(run_all())
        finally:
            writer.close()
            gateway.close()
    return list(kube.requests)


READER_NAMES = ("reader", "shared", "_inner")
"""Receivers that are cluster readers (`reader`, `ctx.reader`, the caching reader's `_inner`)."""


def _kind_tables(tree: ast.Module) -> dict[str, set[str]]:
    """Module-level `NAME: dict[str, Kind] = {...}` tables: name -> the kinds in it."""
    tables: dict[str, set[str]] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(node.value, ast.Dict)
        ):
            values = {v.value for v in node.value.values if isinstance(v, ast.Constant)}
            if values and values <= set(RESOURCES):
                tables[node.target.id] = {str(v) for v in values}
    return tables


def reads_in_source() -> set[Grant]:
    """(group, resource, verb) of every reader call in bot/ (see the module docstring)."""
    found: set[Grant] = set()
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = _kind_tables(tree)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "list", "logs")
                and node.args
                and ast.unparse(node.func.value).endswith(READER_NAMES)
            ):
                continue
            if node.func.attr == "logs":
                found.add(("", "pods/log", "get"))
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and first.value in RESOURCES:
                kinds = {str(first.value)}
            elif (
                isinstance(first, ast.Subscript)
                and isinstance(first.value, ast.Name)
                and first.value.id in tables
            ):
                kinds = tables[first.value.id]
            else:
                continue  # a pass-through (the caching reader): its callers are scanned
            found |= {(RESOURCES[k].group, RESOURCES[k].plural, node.func.attr) for k in kinds}
    return found


def test_the_source_scan_sees_every_read_the_bot_made(ran: set[Grant]) -> None:
    static = reads_in_source()
    assert {g for g in ran if g[2] in READ_VERBS} - static == set(), (
        "a read the source scan does not see"
    )
    assert ("", "pods/log", "get") in static and ("batch", "jobs", "get") in static


@pytest.fixture(scope="module")
def used(ran: set[Grant]) -> set[Grant]:
    return ran | reads_in_source()


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> set[Grant]:
    requests: list[RecordedRequest] = []
    offered: set[str] = set()
    for name in scenarios.SCENARIOS:
        recorded, kinds = asyncio.run(_drive_scenario(name, tmp_path_factory.mktemp(name)))
        requests += recorded
        offered |= kinds
    assert offered, "no scenario offered a remediation button: the click flow was not exercised"
    requests += _every_action_kind(tmp_path_factory.mktemp("actions"))
    grants = {grant for request in requests if (grant := grant_of(request)) is not None}
    unknown = {
        r.path for r in requests if grant_of(r) is None and not r.path.startswith(("/api", "/apis"))
    }
    assert unknown == set(), unknown
    return grants


def _render(path: Path) -> dict[str, set[Grant]]:
    assert KUBECTL is not None
    done = subprocess.run(
        [KUBECTL, "kustomize", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    roles = [
        d for d in yaml.safe_load_all(done.stdout) if d and d["kind"] in ("ClusterRole", "Role")
    ]
    return {
        role["metadata"]["name"]: {
            (g, r, v)
            for rule in role.get("rules", [])
            for g in rule.get("apiGroups", [])
            for r in rule.get("resources", [])
            for v in rule.get("verbs", [])
        }
        for role in roles
    }


@pytest.fixture(scope="module")
def granted() -> dict[str, set[Grant]]:
    require_kubectl()
    with_remediation = _render(DEPLOY / "overlays" / "remediation")
    assert _render(DEPLOY / "base")["kubemedic-read"] == with_remediation["kubemedic-read"]
    return with_remediation


def test_every_read_the_code_makes_is_granted_by_the_read_role(
    used: set[Grant], granted: dict[str, set[Grant]]
) -> None:
    reads = {g for g in used if g[2] in READ_VERBS}
    assert reads - granted["kubemedic-read"] == set()


def test_every_write_is_granted_by_the_remediation_role_only(
    used: set[Grant], granted: dict[str, set[Grant]]
) -> None:
    writes = {g for g in used if g[2] not in READ_VERBS}
    assert writes, "no write was recorded: the remediation flows did not run"
    assert writes - granted["kubemedic-remediate"] == set()
    assert {g for g in granted["kubemedic-read"] if g[2] not in READ_VERBS} == set()


def test_nothing_is_granted_that_the_code_does_not_use(
    used: set[Grant], granted: dict[str, set[Grant]]
) -> None:
    assert set(granted) == {"kubemedic-read", "kubemedic-remediate"}
    assert granted["kubemedic-read"] - used == set(), "granted for reading but never read"
    assert granted["kubemedic-remediate"] - used == set(), "granted for remediation but never used"


def test_the_permission_table_doctor_checks_is_what_the_code_uses(used: set[Grant]) -> None:
    """bot/cluster/permissions.py (what `kubemedic doctor` asks the API server about) lists
    exactly the reads and writes derived from the code: a new call must be added there."""
    assert {g for g in used if g[2] in READ_VERBS} == {p.grant for p in READ}
    assert {g for g in used if g[2] not in READ_VERBS} == {p.grant for p in REMEDIATION}
