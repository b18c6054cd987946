"""The real-node tier: real pods failing on a real kubelet (.ci/kube-node.sh), diagnosed by the product.

Every test here is marked `realnode`. Without a node they skip, naming the
script; under CI (CI=1/true) they fail instead, so CI never passes by skipping.

- `node`: the running node (admin kubeconfig, state directory, busybox image,
  registry stub, `script("stop-kubelet")`).
- `admin`: raw-JSON admin access for setup (tests/realserver/api.py).
- `identities`: the rendered deploy/ RBAC applied and a TokenRequest token per
  ServiceAccount, as in tests/realserver (`.read`, `.remediation`, `.trimmed`).
- `cli`: the installed `kubemedic` console script run as an identity.
- `incidents`: every scenario of tests/realnode/scenarios.py applied at once, each
  in its own namespace, when the tier starts (autouse): they fail concurrently, so
  the tier waits for the slowest failure once instead of for each in turn.
- `shops`: likewise (in the background), a copy of tests/realnode/shop.py's shop per
  fault of shop_faults.py (but the node's own, which wait their turn), and one untouched.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.ci import in_ci
from tests.deploy.kustomize import KUBECTL
from tests.realnode.node import KUBECONFIG_ENV, START_HINT, RealNode
from tests.realnode.scenarios import SCENARIOS
from tests.realnode.shop import SHOP, objects
from tests.realnode.shop_faults import CHRONIC, FAULTS
from tests.realserver.api import Api, ApiError, Obj
from tests.realserver.conftest import Identities, cli  # noqa: F401 - the `cli` fixture, shared
from tests.realserver.server import AuditLog
from tests.tiers import grouped_run_required
from tests.waiting import PATIENCE

HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "realnode: runs on a real node from .ci/kube-node.sh")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if str(item.path).startswith(f"{HERE}/"):  # a string test: this runs on every item
            item.add_marker(pytest.mark.realnode)


def unavailable(reason: str) -> None:
    """Fail under CI, skip (loudly, naming the script) elsewhere."""
    if in_ci():
        pytest.fail(f"CI is set but {reason}; start it with: {START_HINT}")
    pytest.skip(f"REAL NODE TESTS SKIPPED: {reason}; start one with: {START_HINT}")


@pytest.fixture(scope="session")
def node(request: pytest.FixtureRequest) -> RealNode:
    # it stops the kubelet, and its last test the node: one worker runs the whole node group
    grouped_run_required(request.config, "tests/realnode")
    found = RealNode.from_env()
    if found is None:
        unavailable(f"{KUBECONFIG_ENV} is unset or names no file")
        raise AssertionError("unreachable")
    api = Api(found.kubeconfig)
    try:
        ready = [
            c for c in api.get("Node", found.name)["status"]["conditions"] if c["type"] == "Ready"
        ]
    except Exception as exc:  # whatever the failure, the node is not usable
        unavailable(f"the node in {found.kubeconfig} does not answer ({exc})")
        raise
    finally:
        api.close()
    if not ready or ready[0]["status"] != "True":
        unavailable(f"node {found.name} is not Ready")
    return found


@pytest.fixture(scope="session")
def admin(node: RealNode) -> Iterator[Api]:
    api = Api(node.kubeconfig)
    yield api
    api.close()


@pytest.fixture(scope="session")
def audit(node: RealNode) -> AuditLog:
    return AuditLog(node.server.audit_log)


@pytest.fixture(scope="session")
def identities(node: RealNode, admin: Api, tmp_path_factory: pytest.TempPathFactory) -> Identities:
    if KUBECTL is None:
        unavailable("kubectl (to render deploy/ with kustomize) is not installed")
    return Identities(node.server, admin, tmp_path_factory.mktemp("identities"))


def open_namespace(admin: Api, prefix: str) -> str:
    """A new namespace whose `default` ServiceAccount has its token Secret: until then the
    ServiceAccount admission plugin (1.20) refuses pods ("No API token found ...")."""
    [name] = open_namespaces(admin, [prefix])
    return name


def open_namespaces(admin: Api, prefixes: list[str]) -> list[str]:
    """open_namespace for each prefix, the controllers making their tokens at the same time."""
    names = [f"{prefix}-{secrets.token_hex(3)}" for prefix in prefixes]
    for name in names:
        admin.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    deadline = time.monotonic() + PATIENCE
    for name in names:
        while not (admin.find("ServiceAccount", "default", name) or {}).get("secrets"):
            assert time.monotonic() < deadline, (
                f"no token for ServiceAccount default in {name} after {PATIENCE:.0f} s"
            )
            time.sleep(0.2)
    return names


def apply_all(admin: Api, objects: list[Obj]) -> None:
    """Create the objects in order, as `kubectl apply` of one file would; a ResourceQuota is
    waited for until the quota controller has filled in its status (only then is it enforced)."""
    for obj in objects:
        try:
            created = admin.create(obj)
        except ApiError as exc:
            raise AssertionError(f"{obj['kind']} {obj['metadata'].get('name')}: {exc}") from exc
        deadline = time.monotonic() + PATIENCE
        while obj["kind"] == "ResourceQuota" and not created.get("status", {}).get("hard"):
            assert time.monotonic() < deadline, (
                f"ResourceQuota without status after {PATIENCE:.0f} s: {created}"
            )
            time.sleep(0.2)
            created = admin.get(
                "ResourceQuota", obj["metadata"]["name"], obj["metadata"]["namespace"]
            )


def delete_namespace(admin: Api, name: str) -> None:
    """Delete without waiting (the namespace controller and the kubelet finish it)."""
    try:
        admin.request("DELETE", f"/api/v1/namespaces/{name}")
    except ApiError as exc:
        if exc.status != 404:
            raise


@pytest.fixture(scope="session")
def scratch(node: RealNode, admin: Api) -> Iterator[Callable[[str], str]]:
    """`scratch(prefix)`: a new namespace (see open_namespace), deleted when the tier ends."""
    opened: list[str] = []

    def open_one(prefix: str) -> str:
        opened.append(open_namespace(admin, prefix))
        return opened[-1]

    yield open_one
    if node.state.exists():  # (the last test stops the node)
        for namespace in opened:
            delete_namespace(admin, namespace)


def whole_tier(session: pytest.Session) -> bool:
    """Whether this run holds tests of the tier beyond its smoke test and the teardown check
    (`.ci/check` runs those two alone: they need neither the scenarios nor the shop)."""
    return any(
        str(item.path).startswith(f"{HERE}/") and item.get_closest_marker("smoke") is None
        for item in session.items
    )


@pytest.fixture(scope="session", autouse=True)
def incidents(
    node: RealNode, admin: Api, request: pytest.FixtureRequest
) -> Iterator[dict[str, str]]:
    """Scenario name -> the namespace it was applied in (all applied when the tier starts)."""
    if not whole_tier(request.session):
        yield {}
        return
    opened = open_namespaces(admin, [f"rn-{scenario.name}" for scenario in SCENARIOS])
    applied = {scenario.name: namespace for scenario, namespace in zip(SCENARIOS, opened)}
    for scenario in SCENARIOS:
        apply_all(admin, scenario.objects(node, applied[scenario.name]))
    yield applied
    if node.state.exists():  # (the last test stops the node)
        for namespace in applied.values():
            delete_namespace(admin, namespace)


class ShopCopies:
    """The shop's copies (tests/realnode/shop.py), applied in the background when the tier
    starts so that the other tests need not wait for their ~110 objects."""

    def __init__(self, node: RealNode) -> None:
        self.node = node
        self.namespaces: dict[str, str] = {}
        self.failure: list[Exception] = []
        self.thread = threading.Thread(target=self.apply, name="shop-copies", daemon=True)

    def apply(self) -> None:
        api = Api(self.node.kubeconfig)  # its own client: the thread must not share `admin`
        try:
            copies = [
                ("healthy", SHOP),
                *((f.name, f"{f.manifests()}---\n{CHRONIC}") for f in FAULTS if not f.node),
            ]
            names = open_namespaces(api, [f"shop-{name}" for name, _ in copies])
            self.namespaces.update(zip([name for name, _ in copies], names, strict=True))
            for (_, manifests), namespace in zip(copies, names, strict=True):
                apply_all(api, objects(manifests, self.node, namespace))
        except Exception as exc:  # noqa: BLE001 - raised again in the test that waits
            self.failure.append(exc)
        finally:
            api.close()

    def applied(self) -> dict[str, str]:
        """Fault name (or "healthy") -> its copy's namespace, once every copy is applied."""
        self.thread.join(timeout=300)
        assert not self.thread.is_alive(), "the shop's copies are not applied after 300 s"
        if self.failure:
            raise self.failure[0]
        return self.namespaces


@pytest.fixture(scope="session", autouse=True)
def shops(
    node: RealNode, incidents: dict[str, str], request: pytest.FixtureRequest
) -> Iterator[ShopCopies]:
    """A copy of the shop per fault of shop_faults.py (but the node's own, which wait their
    turn in test_shop.py) and one untouched, applied in the background from the start;
    test_shop.py deletes each once it is done with it, the rest go when the tier ends."""
    copies = ShopCopies(node)
    if not whole_tier(request.session):
        yield copies  # never started: nothing to apply, nothing to delete
        return
    copies.thread.start()
    yield copies
    copies.thread.join(timeout=300)
    if node.state.exists():  # (the last test stops the node)
        admin = Api(node.kubeconfig)
        for namespace in copies.namespaces.values():
            delete_namespace(admin, namespace)
        admin.close()
