"""The real-server tier: the bot and CLI against a real kube-apiserver (.ci/kube-apiserver.sh).

Every test here is marked `realserver`. Without a server they skip, naming
the script; under CI (CI=1/true) they fail instead, so CI never passes by
skipping. Fixtures, for any test that needs the real server:

- `realserver`: the running server (admin kubeconfig, version, `restart()`).
- `admin`: raw-JSON admin access for setup (`tests/realserver/api.py`).
- `kubelet`: a kubelet stand-in serving container logs through the API server's
  real log proxy (nodes made by `lab.node()` point at it).
- `lab`: a fresh namespace with helpers to create nodes, pods with status,
  events and logs (`tests/realserver/lab.py`; ready scenarios there too).
- `identities`: the rendered deploy/ RBAC applied and a TokenRequest token per
  ServiceAccount: `.read` (deploy/ base), `.remediation` (overlays/remediation)
  and `.trimmed` (base without `pods/log`), each with its own kubeconfig.
- `cli`: run the installed `kubemedic` console script as an identity.
- `audit`: the API server's audit log of service-account requests.
- `watch`: open real watch streams (closed after the test); with
  `realserver.restart()` a test can restart the API server mid-watch.

A command checking permissions runs as `cli(identities.read, "doctor")` (all
granted) or `cli(identities.trimmed, ...)` (no `pods/log`); another trim is
`install(..., trim={"kubemedic-read": without_resource("nodes")})`. The bot
itself runs against the server with `running_bot(tmp_path,
kubeconfig=identities.read.kubeconfig)` (tests/slack/harness.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.ci import in_ci
from tests.cli.runner import Result, kubemedic
from tests.deploy.kustomize import KUBECTL
from tests.realserver.api import Api
from tests.realserver.identities import Identity, install, rendered, without_resource
from tests.realserver.kubelet import KubeletLogs, running_kubelet
from tests.realserver.lab import Lab
from tests.realserver.server import KUBECONFIG_ENV, START_HINT, AuditLog, RealServer
from tests.realserver.watch import WatchStream
from tests.tiers import grouped_run_required

HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "realserver: runs against a real kube-apiserver from .ci/kube-apiserver.sh"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if str(item.path).startswith(f"{HERE}/"):  # a string test: this runs on every item
            item.add_marker(pytest.mark.realserver)


def unavailable(reason: str) -> None:
    """Fail under CI, skip (loudly, naming the script) elsewhere."""
    if in_ci():
        pytest.fail(f"CI is set but {reason}; start it with: {START_HINT}")
    pytest.skip(f"REAL API SERVER TESTS SKIPPED: {reason}; start one with: {START_HINT}")


@pytest.fixture(scope="session")
def realserver(request: pytest.FixtureRequest) -> RealServer:
    grouped_run_required(request.config, "tests/realserver (it restarts the server)")
    server = RealServer.from_env()
    if server is None:
        unavailable(f"{KUBECONFIG_ENV} is unset or names no file")
        raise AssertionError("unreachable")
    api = Api(server.kubeconfig)
    try:
        api.request("GET", "/version", timeout=5.0)
    except Exception as exc:  # noqa: BLE001 - whatever the failure, the server is not usable
        unavailable(f"the API server in {server.kubeconfig} does not answer ({exc})")
    finally:
        api.close()
    return server


@pytest.fixture(scope="session")
def admin(realserver: RealServer) -> Iterator[Api]:
    api = Api(realserver.kubeconfig)
    yield api
    api.close()


@pytest.fixture(scope="session")
def kubelet(realserver: RealServer) -> Iterator[KubeletLogs]:
    cert, key = realserver.serving_cert
    with running_kubelet(cert, key) as logs:
        yield logs


@pytest.fixture
def lab(admin: Api, kubelet: KubeletLogs) -> Lab:
    return Lab.open(admin, kubelet)


@pytest.fixture(scope="session")
def audit(realserver: RealServer) -> AuditLog:
    return AuditLog(realserver.audit_log)


class Identities:
    """The bot's ServiceAccounts, one per RBAC variant (see the module docstring)."""

    def __init__(self, server: RealServer, api: Api, folder: Path) -> None:
        self.read: Identity = install(server, api, rendered("base"), "kubemedic-read", folder)
        self.remediation: Identity = install(
            server, api, rendered("with_remediation"), "kubemedic-remediation", folder
        )
        self.trimmed: Identity = install(
            server,
            api,
            rendered("base"),
            "kubemedic-trimmed",
            folder,
            trim={"kubemedic-read": without_resource("pods/log")},
        )


@pytest.fixture(scope="session")
def identities(
    realserver: RealServer, admin: Api, tmp_path_factory: pytest.TempPathFactory
) -> Identities:
    if KUBECTL is None:
        unavailable("kubectl (to render deploy/ with kustomize) is not installed")
    return Identities(realserver, admin, tmp_path_factory.mktemp("identities"))


CLI = Callable[..., Result]


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    """`cli(identity, "diagnose", "pod", ...)`: the console script with the identity's kubeconfig."""

    def run(identity: Identity, *args: str) -> Result:
        return kubemedic(*args, env={"KUBECONFIG": str(identity.kubeconfig), "HOME": str(tmp_path)})

    return run


@pytest.fixture
def watch(admin: Api) -> Iterator[Callable[[str, str], WatchStream]]:
    """`watch(path, resource_version)`: a started real watch stream (admin credentials)."""
    streams: list[WatchStream] = []

    def start(path: str, resource_version: str) -> WatchStream:
        stream = WatchStream(admin.client, path, resource_version).start()
        streams.append(stream)
        return stream

    yield start
    for stream in streams:
        stream.close()
