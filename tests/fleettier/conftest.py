"""The fleet tier: two hub replicas on PostgreSQL and two agents, each reading its own real kube-apiserver.

What runs, all as processes on loopback: `kubemedic serve --http --hub` twice sharing one
PostgreSQL database (a server of the tier's own, which a test restarts: tests/fleettier/
own_postgres.py), behind a TCP balancer standing in for the hub's Service (it keeps to their
/readyz, as a Service keeps to its pods' readiness; agents and chat requests both go through
it); `kubemedic agent` twice, each on its own API server (the `.ci/kube-apiserver.sh` server
and its `second`); the Slack stand-in. alpha's agent runs with the RBAC the chart renders for an agent that opted in
to remediation and may impersonate two people (fleet-alice, who may read nothing, and
fleet-bob, who may read what kubemedic reads); the hubs map two Slack users to them. beta's
agent has the read-only ServiceAccount of deploy/base, and its token and key reach beta's API
server as the docs install them: `kubemedic fleet token issue beta --secret | kubectl apply
--server-side -f -`; alpha's token is bound to the key its agent made (`agent --public-key`). Without the servers the tier skips, naming the commands; under CI it
fails instead.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.ci import in_ci
from tests.cli.runner import kubemedic_in_process
from tests.deploy.kustomize import KUBECTL
from tests.fleettier.own_postgres import OwnPostgres, installed
from tests.realserver.api import Api
from tests.realserver.identities import install, rendered
from tests.realserver.kubelet import running_kubelet
from tests.realserver.lab import Case, Lab
from tests.realserver.server import RealServer
from tests.standins.bot_process import BotProcess
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests, post_sync
from tests.standins.tcp_balancer import Balancer
from tests.standins.tcp_balancer import start_in_thread as start_balancer
from tests.storage.backends import fresh_postgres_database
from tests.tiers import grouped_run_required
from tests.waiting import PATIENCE

HERE = Path(__file__).parent
SECRET = "fleet-tier-signing-secret-000001"
TOKEN = "xoxb-kubemedic-fleet"
SERVERS = {"alpha": "KUBEMEDIC_TEST_KUBECONFIG", "beta": "KUBEMEDIC_TEST_SECOND_KUBECONFIG"}
START_HINT = 'eval "$(bash .ci/kube-apiserver.sh)" && eval "$(bash .ci/kube-apiserver.sh second)"'
LEASE_SECONDS = 2
ADMIN = "U0FLEETADM"
ALARMS = "C0ALARMS01"
PEOPLE = {"U0FLEETAL1": "fleet-alice", "U0FLEETBO1": "fleet-bob"}
"""Slack user -> the Kubernetes user alpha's agent impersonates for them."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if str(item.path).startswith(f"{HERE}/"):  # a string test: this runs on every item
            item.add_marker(pytest.mark.fleet)


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI is set but {reason}; start them with: {START_HINT}")
    pytest.skip(f"FLEET TIER SKIPPED: {reason}; start them with: {START_HINT}")


class AgentProcess:
    """`kubemedic agent` as a child process."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        with open(self.log_path, "ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "bot", "agent"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )

    def restart(self, **env: str) -> None:
        self.stop()
        self.env.update(env)
        self.process = self._start()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class Cluster:
    """One real API server with a broken pod in a lab namespace, and its agent."""

    name: str
    lab: Lab
    pod: str
    node: str
    agent: AgentProcess
    public_key: str
    """The public half of the key its token is bound to (KUBEMEDIC_AGENT_KEY_FILE)."""
    fixable: Case | None = None
    """alpha: a TiKV pod whose answer offers a remediation button (in a lab of its own)."""

    @property
    def ref(self) -> str:
        return f"{self.name}:{self.lab.namespace}/{self.pod}"

    def ask(self, verb: str) -> str:
        """The text of `/diagnose VERB ...` about this cluster's broken pod, its namespace or its node
        (a hub reuses an identical diagnosis for a while: each test asks its own)."""
        return {
            "pod": f"pod {self.ref}",
            "namespace": f"namespace {self.name}:{self.lab.namespace}",
            "node": f"node {self.name}:{self.node}",
        }[verb]


@dataclass
class Fleet:
    hubs: list[BotProcess]
    slack: SlackStandIn
    requests: SlackRequests
    database_url: str
    hub_url: str
    """The balancer: the hub's Service, where agents dial in and chat requests arrive."""
    hub_env: dict[str, str]
    postgres: OwnPostgres
    clusters: dict[str, Cluster] = field(default_factory=dict)

    def command(
        self, text: str, *, channel: str, to: int | None = None, user: str = "U0ALICE001"
    ) -> str:
        """`/diagnose text` to hub replica `to` (default: the first one running; -1: through the
        Service, whichever replica is ready); the ack's text."""
        request = self.requests.slash_command(text, channel_id=channel, user_id=user)
        url = self.hub_url if to == -1 else self.hubs[self._running(to)].url
        status, body = post_sync(f"{url}/slack/events", request.body, request.headers)
        assert status == 200, body
        return str(json.loads(body).get("text", ""))

    def click(self, posted: Any, *, user: str, to: int | None = None) -> None:
        """Click the remediation button of `posted` as `user`, as Slack sends it."""
        request = self.requests.click(posted, "remediate", user_id=user)
        status, body = post_sync(
            f"{self.hubs[self._running(to)].url}/slack/events", request.body, request.headers
        )
        assert status == 200, body

    def _running(self, to: int | None) -> int:
        return (
            to
            if to is not None
            else next(number for number, hub in enumerate(self.hubs) if hub.process.poll() is None)
        )

    def issue(self, cluster: str, *options: str) -> str:
        issued = kubemedic_in_process(
            "fleet",
            "token",
            "issue",
            cluster,
            *options,
            env={"KUBEMEDIC_DATABASE_URL": self.database_url},
        )
        assert issued.code == 0, issued.stderr
        return issued.stdout.strip()

    def wait_connected(self, *names: str, timeout: float = PATIENCE) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            listing = self.command("clusters", channel="C0LISTING1")
            if all(f"`{name}`: 🟢 connected" in listing for name in names):
                return
            time.sleep(0.2)
        raise AssertionError(
            f"agents {names} not connected: {listing}\n"
            + "\n".join(self.clusters[n].agent.log()[-2000:] for n in names if n in self.clusters)
        )

    def posts_in(self, channel: str) -> list[Any]:
        return [
            call
            for call in self.slack.calls_to("chat.postMessage", ok=True)
            if call.params.get("channel") == channel
        ]


def _server(variable: str) -> RealServer:
    path = os.environ.get(variable, "")
    if not path or not Path(path).is_file():
        _unavailable(f"{variable} is unset or names no file")
    return RealServer(Path(path), Path(path).parent)


@pytest.fixture(scope="module")
def fleet(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Fleet]:
    grouped_run_required(request.config, "tests/fleettier (tests/realserver restarts its server)")
    if KUBECTL is None:
        _unavailable("kubectl (to render deploy/ with kustomize) is not installed")
    servers = {name: _server(variable) for name, variable in SERVERS.items()}
    if not installed():
        _unavailable("PostgreSQL is not installed (its own server is started for this tier)")
    tmp = tmp_path_factory.mktemp("fleet")
    with ExitStack() as stack:
        postgres = OwnPostgres()
        base_url = postgres.start()
        stack.callback(postgres.stop)
        database_url = stack.enter_context(
            fresh_postgres_database(base_url, prefix="kubemedic_fleet")
        )
        slack = SlackStandIn(bot_token=TOKEN)
        stack.enter_context(start_slack(slack))
        identities = tmp / "identities.yaml"
        identities.write_text(
            json.dumps({"users": {slack: {"user": name} for slack, name in PEOPLE.items()}})
        )
        hub_env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "KUBECONFIG": "",
            "KUBEMEDIC_CONTEXTS": "",
            "KUBEMEDIC_DATABASE_URL": database_url,
            "KUBEMEDIC_WORK_LEASE_SECONDS": str(LEASE_SECONDS),
            "KUBEMEDIC_CACHE_DIR": str(tmp / "cache"),
            "KUBEMEDIC_CHANNEL_REPLIES_PER_MINUTE": "100",
            "KUBEMEDIC_USER_REQUESTS_PER_MINUTE": "1000",  # the restart tests ask twice a second
            "KUBEMEDIC_ADMINS": ADMIN,
            "KUBEMEDIC_IDENTITY_FILE": str(identities),
            "KUBEMEDIC_ALERT_CHANNEL": ALARMS,  # where a token used from two places is alarmed
        }
        hubs = [
            stack.enter_context(BotProcess(hub_env, tmp / f"hub-{n}.log", args=("--hub",)))
            for n in (1, 2)
        ]
        for hub in hubs:
            hub.wait_ready()
        balancer = start_balancer(
            Balancer([("127.0.0.1", hub.port) for hub in hubs], ready_path="/readyz")
        )
        stack.callback(balancer.stop)
        fleet = Fleet(
            hubs,
            slack,
            SlackRequests(SECRET, standin=slack),
            database_url,
            balancer.url,
            hub_env,
            postgres,
        )
        for name, server in servers.items():
            fleet.clusters[name] = _cluster(name, server, fleet, stack, tmp)
        fleet.wait_connected(*servers)
        yield fleet
        for cluster in fleet.clusters.values():
            cluster.agent.stop()
        for hub in fleet.hubs:  # a replica a test started again too
            hub.stop()


def _cluster(name: str, server: RealServer, fleet: Fleet, stack: ExitStack, tmp: Path) -> Cluster:
    """The cluster's lab (a pod broken its own way) and its agent (see the module docstring)."""
    from tests.realserver import lab as scenarios

    api = Api(server.kubeconfig)
    stack.callback(api.close)
    kubelet = stack.enter_context(running_kubelet(*server.serving_cert))
    alpha = name == "alpha"
    rbac = _agent_rbac() if alpha else rendered("base")
    identity = install(server, api, rbac, f"fleet-{uuid.uuid4().hex[:6]}", tmp)
    lab = Lab.open(api, kubelet, prefix=f"fleet-{name}")
    case = scenarios.oom_killed(lab) if alpha else scenarios.image_pull_backoff(lab)
    fixable = (
        scenarios.tikv_cluster_id_mismatch(Lab.open(api, kubelet, prefix="fleet-fix"))
        if alpha
        else None
    )
    if alpha:  # fleet-bob may read what kubemedic reads; fleet-alice nothing
        api.apply(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRoleBinding",
                "metadata": {"name": "fleet-bob-reads"},
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "ClusterRole",
                    "name": "kubemedic-read",
                },
                "subjects": [
                    {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "fleet-bob"}
                ],
            }
        )
    key_file = tmp / f"{name}-agent.key"
    if alpha:  # a plain process: its own key, the hub binds the token to its public half
        public = _public_key(key_file)
        token = fleet.issue(name, "--remediation", f"--key={public}")
    else:  # as the chart runs it: token and key from the Secret the hub printed
        token, pem = _installed_token(fleet, server)
        key_file.write_text(pem)
        key_file.chmod(0o400)
        public = _public_key(key_file)
    agent = AgentProcess(
        {
            "KUBECONFIG": str(identity.kubeconfig),
            "KUBEMEDIC_HUB_URL": fleet.hub_url,
            "KUBEMEDIC_AGENT_TOKEN": token,
            "KUBEMEDIC_AGENT_KEY_FILE": str(key_file),
            "KUBEMEDIC_AGENT_REMEDIATION": str(alpha).lower(),
            "KUBEMEDIC_AGENT_STATUS_FILE": str(tmp / f"{name}.status"),
            "KUBEMEDIC_CACHE_DIR": str(tmp / "cache"),
        },
        tmp / f"agent-{name}.log",
    )
    stack.callback(agent.kill)
    return Cluster(name, lab, case.pod, case.node, agent, public, fixable)


def _public_key(key_file: Path) -> str:
    """`kubemedic agent --public-key` (the key file made when missing), as docs/fleet.md runs it."""
    printed = kubemedic_in_process(
        "agent", "--public-key", env={"KUBEMEDIC_AGENT_KEY_FILE": str(key_file)}
    )
    assert printed.code == 0, printed.stderr
    return printed.stdout.strip()


def _agent_rbac() -> list[dict[str, Any]]:
    """The RBAC the chart renders for an agent that opted in to remediation and impersonates PEOPLE."""
    from tests.deploy.helm import render_chart

    values = {
        "mode": "agent",
        "remediation": {"enabled": True},
        "agent": {
            "hubUrl": "https://kubemedic.example.com",
            "impersonate": {"users": list(PEOPLE.values())},
        },
    }
    namespace = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "kubemedic"},
    }  # helm -n makes it
    return [
        namespace,
        *(
            doc
            for doc in render_chart(values)
            if doc["kind"] in ("ServiceAccount", "ClusterRole", "ClusterRoleBinding")
        ),
    ]


def _installed_token(fleet: Fleet, server: RealServer) -> tuple[str, str]:
    """The agent's token and key as docs/fleet.md installs them: printed as a Secret by the hub,
    piped into the cluster with server-side apply, read back from the cluster."""
    issued = kubemedic_in_process(
        "fleet",
        "token",
        "issue",
        "beta",
        "--secret",
        "--namespace",
        "fleet-agent",
        env={"KUBEMEDIC_DATABASE_URL": fleet.database_url},
    )
    assert issued.code == 0, issued.stderr
    kubectl = [str(KUBECTL), "--kubeconfig", str(server.kubeconfig)]
    applied = subprocess.run(
        [*kubectl, "apply", "--server-side", "-f", "-"],
        input=issued.stdout,
        text=True,
        capture_output=True,
        timeout=PATIENCE,
        check=False,
    )
    assert applied.returncode == 0, applied.stderr
    read = [*kubectl, "-n", "fleet-agent", "get", "secret", "kubemedic-agent", "-o"]
    stored = subprocess.run(
        [*read, "jsonpath={.data.token} {.data.key}"],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert stored.returncode == 0, stored.stderr
    token, key = stored.stdout.split()
    return base64.b64decode(token).decode(), base64.b64decode(key).decode()
