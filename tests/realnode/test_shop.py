"""A shop's faults on the real node, each named first from the namespace alone.

Every copy of the shop (tests/realnode/shop.py) runs its services for real: they call
each other by Service name through the node's cluster DNS and kube-proxy. For each
fault (tests/realnode/shop_faults.py), once it really shows, `kubemedic diagnose
namespace NS --json` (run in process, under deploy/'s read-only role) and `/diagnose
namespace NS` (the real bolt app, signed requests, the Slack stand-in) must put the
faulty object and its cause first (FAULTS gives both, with a comment each; a fault not
`asserted` yet is made, shown and healed, its answer printed); after the
fault is undone as a user undoes it, the shop works again and the namespace gets no
suspect but the chronic noise every fault's copy carries for the whole run (a Service whose
workload was never deployed, shop_faults.CHRONIC), which follows each fault. The untouched copy
gets none. The node's faults (cordon, taint, the cluster DNS down) run
first, one at a time, the node restored right after, while no other copy needs a new
pod; the other copies were applied when the tier started, and each heals while the
next ones are checked.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from intents.packs import builtin_entry_files
from tests.cli.runner import kubemedic_in_process
from tests.realnode.conftest import ShopCopies, apply_all, delete_namespace, open_namespace
from tests.realnode.node import RealNode
from tests.realnode.shop import SERVICES, SHOP, documents, healed, objects
from tests.realnode.shop_faults import CHRONIC, CHRONIC_OBJECT, FAULTS, TAINT, Fault, Visible
from tests.realserver.api import Api, Obj
from tests.realserver.conftest import Identities
from tests.slack.harness import block_text, running_bot

CONCURRENT = [f for f in FAULTS if not f.node]
ON_NODE = [f for f in FAULTS if f.node]
CATALOG_IDS = {path.stem for path in builtin_entry_files()}
CHANNEL = "C0SHOP"
SLOW = 60.0
"""Seconds to wait for the bot's answer (the machine is shared and the node busy)."""


def wait(check: Visible, admin: Api, namespace: str, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check(admin, namespace):
        if time.monotonic() > deadline:
            states = {
                p["metadata"]["name"]: p.get("status", {}).get("phase")
                for p in admin.list("Pod", namespace)["items"]
            }
            raise AssertionError(f"{namespace}: {what} not after {timeout:.0f} s; pods: {states}")
        time.sleep(1.0)


def expected(fault: Fault, namespace: str, node: RealNode) -> dict[str, str]:
    def fill(text: str) -> str:
        return text.replace("$namespace", namespace).replace("$node", node.name)

    return {"object": fill(fault.object), "resource": fill(fault.resource), "id": fault.entry}


def suspects(identities: Identities, namespace: str, home: Path) -> list[dict[str, Any]]:
    """`kubemedic diagnose namespace NAMESPACE --json`'s suspects, as the bot's read identity."""
    env = {"KUBECONFIG": str(identities.read.kubeconfig), "HOME": str(home)}
    result = kubemedic_in_process("diagnose", "namespace", namespace, "--json", env=env)
    assert result.code == 0, result.stderr
    body = result.json()
    print(json.dumps(body.get("suspects"), indent=1))
    assert "suspects" in body, f"the answer has no suspects: {sorted(body)}"
    found: list[dict[str, Any]] = body["suspects"]
    return found


def assert_each_service_named(found: list[dict[str, Any]], want: dict[str, str]) -> None:
    """A node's fault, which every Service shows alike: the first suspect is a Service of the
    shop with the cause and the object to change ($service: its workload), and every Service
    is a suspect with that cause."""
    assert found, f"no suspect; expected {want}"
    name = found[0].get("object", "").partition("/")[2]
    assert name in SERVICES, f"first suspect {found[0].get('object')}, expected a shop Service"
    assert_first(
        found,
        {
            **want,
            "object": f"service/{name}",
            "resource": want["resource"].replace("$service", name),
        },
    )
    covered = {s.get("object") for s in found if s.get("id") == want["id"]}
    assert covered == {f"service/{s}" for s in SERVICES}, f"{want['id']} on {sorted(covered)}"


def assert_first(found: list[dict[str, Any]], want: dict[str, str]) -> None:
    assert found, f"no suspect; expected {want}"
    first = {key: found[0].get(key) for key in want}
    ranked = [(s.get("object"), s.get("id"), s.get("confidence")) for s in found]
    assert first == want, f"first suspect {first}, expected {want}; all: {ranked}"


async def slack_answer(tmp_path: Path, identities: Identities, namespace: str) -> str:
    """The text of the bot's answer to `/diagnose namespace NAMESPACE`."""
    async with running_bot(tmp_path, kubeconfig=identities.read.kubeconfig) as bot:
        await bot.send(bot.requests.slash_command(f"namespace {namespace}", channel_id=CHANNEL))
        [posted] = await bot.slack.wait_for("chat.postMessage", timeout=SLOW)
        return block_text(posted.blocks)


def assert_leads_with(text: str, want: dict[str, str], namespace: str) -> None:
    """The first catalog id the answer names is the cause; the first shop object it names
    (a Service's or Deployment's name, the namespace's own name aside) is the faulty one
    (any of them for "service/*")."""
    named = [word for word in re.findall(r"`([a-z0-9-]+)`", text) if word in CATALOG_IDS]
    assert named and named[0] == want["id"], f"ids {named}, expected {want['id']} first:\n{text}"
    kind, name = want["object"].split("/", 1)
    if kind != "service" or name not in (*SERVICES, "*"):
        return
    rest = text.replace(namespace, "")
    seen = sorted((rest.find(s), s) for s in SERVICES if rest.find(s) >= 0)
    assert seen and name in ("*", seen[0][1]), (
        f"objects in order {seen}, expected {name} first:\n{text}"
    )


def replace(admin: Api, obj: Obj) -> None:
    """Replace the object by the healthy manifest (a Service keeps its ClusterIP)."""
    kind, meta = obj["kind"], obj["metadata"]
    current = admin.get(kind, meta["name"], meta["namespace"])
    body = {**obj, "metadata": {**meta, "resourceVersion": current["metadata"]["resourceVersion"]}}
    if kind == "Service":
        body["spec"] = {**obj["spec"], "clusterIP": current["spec"]["clusterIP"]}
    where = {
        "Service": "/api/v1/namespaces/{}/services/{}",
        "Deployment": "/apis/apps/v1/namespaces/{}/deployments/{}",
        "RoleBinding": "/apis/rbac.authorization.k8s.io/v1/namespaces/{}/rolebindings/{}",
    }[kind]
    admin.request("PUT", where.format(meta["namespace"], meta["name"]), body=body)


def restart(admin: Api, namespace: str, name: str) -> None:
    """`kubectl rollout restart deployment/NAME`: a new ReplicaSet tries at once."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    annotations = {"kubectl.kubernetes.io/restartedAt": now}
    patch = {"spec": {"template": {"metadata": {"annotations": annotations}}}}
    admin.request(
        "PATCH",
        f"/apis/apps/v1/namespaces/{namespace}/deployments/{name}",
        body=patch,
        content_type="application/merge-patch+json",
    )


def undo(admin: Api, node: RealNode, fault: Fault, namespace: str) -> None:
    """Back to the healthy manifests: the edited objects replaced, the added ones deleted."""
    healthy = {f"{o['kind']}/{o['metadata']['name']}": o for o in objects(SHOP, node, namespace)}
    for key in fault.edits:
        replace(admin, healthy[key])
    for key in documents(fault.added) if fault.added else {}:
        kind, name = key.split("/", 1)
        admin.request("DELETE", f"/api/v1/namespaces/{namespace}/{kind.lower()}s/{name}")
    if fault.restart:  # the ones short of pods: their ReplicaSets back off, a new one tries now
        for name in SERVICES:
            deployment = admin.get("Deployment", name, namespace)
            if deployment.get("status", {}).get("replicas", 0) < deployment["spec"]["replicas"]:
                restart(admin, namespace, name)
    for name in fault.rollout:
        restart(admin, namespace, name)


DNS_ENDPOINTS = "/api/v1/namespaces/kube-system/endpoints/kube-dns"


def change_dns(admin: Api, node: RealNode, *, on: bool) -> None:
    """The cluster DNS Service without endpoints (`on`), or with its one again (.ci/cluster_dns.py
    on the host's bridge address, as .ci/kube-node.sh publishes it)."""
    current = admin.request("GET", DNS_ENDPOINTS)
    address = {
        "addresses": [{"ip": node.host_ip}],
        "ports": [{"name": "dns", "port": 53, "protocol": "UDP"}],
    }
    admin.request("PUT", DNS_ENDPOINTS, body={**current, "subsets": [] if on else [address]})


def change_node(admin: Api, node: RealNode, how: str, *, on: bool) -> None:
    """Cordon or taint the node (`on`), or undo it, keeping any other taint; or the cluster DNS."""
    if how == "dns":
        change_dns(admin, node, on=on)
        return
    current = admin.get("Node", node.name)
    if how == "cordon":
        patch: Obj = {"spec": {"unschedulable": True if on else None}}
    else:
        others = [t for t in current["spec"].get("taints") or [] if t.get("key") != TAINT["key"]]
        patch = {"spec": {"taints": [*others, TAINT] if on else others}}
    admin.request(
        "PATCH",
        f"/api/v1/nodes/{node.name}",
        body=patch,
        content_type="application/merge-patch+json",
    )


@pytest.fixture(scope="module")
def copies(shops: ShopCopies) -> dict[str, str]:
    """Fault name (or "healthy") -> its copy's namespace (conftest applies them at the start)."""
    return shops.applied()


def release(copies: dict[str, str], admin: Api, name: str) -> None:
    """Delete a copy the tier is done with (its pods go while the next tests run, not at
    the node's stop)."""
    delete_namespace(admin, copies.pop(name))


# ---------------------------------------------------------------- the untouched shop


def test_the_untouched_shop_works_through_service_names_and_gets_no_suspect(
    copies: dict[str, str], admin: Api, identities: Identities, tmp_path: Path
) -> None:
    namespace = copies["healthy"]
    try:
        # every call by Service name answered: cluster DNS and kube-proxy route them
        wait(healed, admin, namespace, 240, "every service up and every call answered")
        assert suspects(identities, namespace, tmp_path) == []
    finally:
        release(copies, admin, "healthy")


# ---------------------------------------------------------------- the node's faults, one at a time


@pytest.mark.parametrize("fault", ON_NODE, ids=[f.name for f in ON_NODE])
def test_a_node_fault_is_named_first(
    fault: Fault,
    copies: dict[str, str],
    admin: Api,
    node: RealNode,
    identities: Identities,
    tmp_path: Path,
) -> None:
    # first, while no other copy needs a new pod; the node is restored right after
    namespace = copies[fault.name] = open_namespace(admin, f"shop-{fault.name}")
    want = expected(fault, namespace, node)
    try:
        change_node(admin, node, fault.node, on=True)
        apply_all(admin, objects(f"{SHOP}---\n{CHRONIC}", node, namespace))
        wait(fault.visible, admin, namespace, fault.timeout, "the fault")
        found = suspects(identities, namespace, tmp_path)
        if not fault.asserted:
            return  # shown, printed; healed by test_once_undone_the_namespace_reads_healthy
        if fault.node == "dns":  # one cause outside the namespace, named by its Service
            assert_first(found, want)
        else:
            assert_each_service_named(found, want)
        assert_leads_with(
            asyncio.run(slack_answer(tmp_path, identities, namespace)), want, namespace
        )
    finally:
        change_node(admin, node, fault.node, on=False)


# ---------------------------------------------------------------- the others, applied at the start


@pytest.mark.parametrize("fault", CONCURRENT, ids=[f.name for f in CONCURRENT])
def test_the_faulty_object_and_its_cause_come_first(
    fault: Fault,
    copies: dict[str, str],
    admin: Api,
    node: RealNode,
    identities: Identities,
    tmp_path: Path,
) -> None:
    namespace = copies[fault.name]
    wait(fault.visible, admin, namespace, fault.timeout, "the fault")
    want = expected(fault, namespace, node)
    try:
        found = suspects(identities, namespace, tmp_path)
        if not fault.asserted:
            return  # shown, printed; healed below
        assert_first(found, want)
        # the chronic noise (a Service never deployed) is seen, and follows the fault
        assert CHRONIC_OBJECT in [s.get("object") for s in found[1:]], found
        answer = asyncio.run(slack_answer(tmp_path, identities, namespace))
        assert_leads_with(answer, want, namespace)
    finally:
        undo(admin, node, fault, namespace)  # it heals while the next faults are checked


# ---------------------------------------------------------------- every copy, its fault undone


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_once_undone_the_namespace_reads_healthy(
    fault: Fault, copies: dict[str, str], admin: Api, identities: Identities, tmp_path: Path
) -> None:
    namespace = copies[fault.name]
    try:
        wait(healed, admin, namespace, 240, "the shop healed")
        # only the chronic noise is left: the Service never deployed
        found = suspects(identities, namespace, tmp_path)
        assert [s.get("object") for s in found] == [CHRONIC_OBJECT], found
    finally:
        release(copies, admin, fault.name)  # its pods go while the next copies are checked
