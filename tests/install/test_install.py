"""The install as a user does it, on the real 1.20 node: docs/install.md's commands, as written.

The image is built without a daemon and loaded into the node's containerd by the docs' own
blocks (tests/install/conftest.py). Then, once with Kustomize and once with the Helm chart:
the docs' secrets (the optional Alertmanager one included: it must not stop the bot), the
docs' install with the lines uncommented a cluster without a StorageClass needs, in HTTP
mode with SLACK_API_URL pointing at the Slack stand-in on the host's bridge address; the
rollout, `kubemedic doctor` in the pod, a crash-looping pod diagnosed from a signed
`/diagnose pod` sent to the pod, the answer naming the catalog entry; then the docs'
uninstall, and nothing of the install is left in the cluster. Helm first runs the docs'
command as a user without a StorageClass would, and must stop naming the switches. Then the
docs' Mattermost install with Teams posts, by Helm, against a Mattermost stand-in and a Teams
webhook on the host's bridge address: Ready once its WebSocket is up, `doctor --mattermost`
green, a `/diagnose pod` slash command answered in the channel, uninstalled clean.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.install.conftest import Installer
from tests.install.docs import (
    EXAMPLE_GATEWAY,
    EXAMPLE_MATTERMOST,
    HELM_CHOICES,
    KUSTOMIZE_CHOICES,
    MATTERMOST_CHOICES,
    block,
    run,
)
from tests.realnode.conftest import delete_namespace, open_namespace
from tests.realnode.node import RealNode
from tests.realserver.api import Api, Obj
from tests.slack.harness import SECRET, block_text
from tests.standins.mattermost_api import MattermostStandIn, running_mattermost
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_requests import SlackRequests, post_sync
from tests.standins.teams_webhook import TeamsWebhookStandIn, running_teams_webhook
from tests.standins.threaded import ThreadedHost
from tests.waiting import PATIENCE

pytestmark = pytest.mark.timeout(900)

NAMESPACE = "kubemedic"
CHANNEL = "C0INSTALL1"
FATAL = "FATAL: could not connect to db:5432: connection refused"
#: doctor in the pod: every check but the request URL must pass (the docs' example host does not exist)
DOCTOR_OK = (
    "Slack token",
    "Slack scopes",
    "Database",
    "Catalog",
    "API server (cluster in-cluster)",
    "read permissions (cluster in-cluster)",
    "remediation permissions (cluster in-cluster)",
)


def wait_for(check: Callable[[], Any], what: str, timeout: float = PATIENCE) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what}: not after {timeout:.0f} s"
        time.sleep(0.5)
    return found


@pytest.fixture(scope="module")
def broken(node: RealNode, admin: Api) -> Iterator[str]:
    """The namespace of a Deployment whose container exits 1 after a FATAL line: made before the
    image is built (the fixture comes first), so it is crash-looping by the time the bot asks."""
    namespace = open_namespace(admin, "shop")
    admin.create(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "payments", "namespace": namespace},
            "spec": {
                "selector": {"matchLabels": {"app": "payments"}},
                "template": {
                    "metadata": {"labels": {"app": "payments"}},
                    "spec": {
                        "terminationGracePeriodSeconds": 1,
                        "containers": [
                            {
                                "name": "app",
                                "image": node.image,
                                "command": ["sh", "-c", f"echo '{FATAL}' >&2; exit 1"],
                            }
                        ],
                    },
                },
            },
        }
    )
    yield namespace
    delete_namespace(admin, namespace)


def crash_looping(admin: Api, namespace: str) -> str:
    """The name of the payments pod once it has crashed and been restarted."""

    def restarted() -> str | None:
        for pod in admin.list("Pod", namespace)["items"]:
            state = (pod["status"].get("containerStatuses") or [{}])[0]
            if state.get("restartCount", 0) >= 1 and "terminated" in state.get("lastState", {}):
                return str(pod["metadata"]["name"])
        return None

    name: str = wait_for(restarted, "a restarted payments pod")
    return name


def bot_pod(admin: Api) -> Obj:
    def ready() -> Obj | None:
        pod: Obj
        for pod in admin.list("Pod", NAMESPACE)["items"]:
            conditions = {c["type"]: c["status"] for c in pod["status"].get("conditions", [])}
            if "deletionTimestamp" not in pod["metadata"] and conditions.get("Ready") == "True":
                return pod
        return None

    pod: Obj = wait_for(ready, "a Ready kubemedic pod")
    return pod


def doctor_lines(installer: Installer, workdir: Path) -> dict[str, str]:
    """The docs' HTTP-mode doctor line, run in the pod: check name -> line."""
    [line] = [line for line in block("doctor").splitlines() if "--url" in line]
    done = run(line, env=installer.env, cwd=workdir, timeout=120)
    found = {}
    for text in done.stdout.splitlines():
        status, _, rest = text.partition(" ")
        if status in ("ok", "FAIL", "info", "skip"):
            found[rest.strip().partition(":")[0]] = f"{status} {rest.strip()}"
    assert found, done.stdout + done.stderr
    return found


def answers_in_the_pod(
    installer: Installer, workdir: Path, admin: Api, slack: SlackStandIn, broken: str, how: str
) -> None:
    """Ready; doctor green but for the example request URL; a signed /diagnose answered by name."""
    pod = bot_pod(admin)
    step = time.monotonic()
    found = doctor_lines(installer, workdir)
    installer.note(f"{how}: doctor in the pod", step)
    assert {name: found.get(name, "missing").split(" ")[0] for name in DOCTOR_OK} == dict.fromkeys(
        DOCTOR_OK, "ok"
    ), found
    assert found["Slack events and commands (HTTP)"].startswith(
        "FAIL Slack events and commands (HTTP): cannot reach https://kubemedic.example.com/slack/events"
    ), found
    # the optional Alertmanager Secret the docs create, without a channel: the bot runs, doctor says why
    assert "the Alertmanager receiver is off" in found["Alert routing"], found

    namespace, name = broken, crash_looping(admin, broken)
    request = SlackRequests(SECRET, standin=slack).slash_command(
        f"pod {namespace}/{name}", channel_id=CHANNEL
    )
    sent = time.monotonic()
    status, _ = post_sync(
        f"http://{pod['status']['podIP']}:3000/slack/events", request.body, request.headers
    )
    acked = time.monotonic() - sent
    assert status == 200
    [posted] = slack.wait_for_sync("chat.postMessage")
    answered = installer.note(f"{how}: signed /diagnose to the answer in the stand-in", sent)
    installer.figures.append(f"{how}: ack {acked * 1000:.0f} ms")
    if not any("to the first answer" in line for line in installer.figures):
        installer.note(f"{installer.first} to the first answer", installer.started)
    text = block_text(posted.blocks)
    assert "`dependency-unreachable`" in text, text
    assert FATAL in text, text
    assert answered < 60


def nothing_left(admin: Api, installer: Installer, workdir: Path) -> None:
    def gone() -> bool:
        return admin.find("Namespace", NAMESPACE) is None

    wait_for(gone, f"namespace {NAMESPACE} deleted")
    cluster_wide = [
        f"{kind}/{item['metadata']['name']}"
        for kind in ("ClusterRole", "ClusterRoleBinding")
        for item in admin.list(kind)["items"]
        if item["metadata"]["name"].startswith("kubemedic")
    ]
    assert cluster_wide == []
    labelled = [
        f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
        for pod in admin.request("GET", "/api/v1/pods")["items"]
        if pod["metadata"].get("labels", {}).get("app.kubernetes.io/part-of") == "kubemedic"
    ]
    assert labelled == []
    releases = run("helm list --all-namespaces --short", env=installer.env, cwd=workdir)
    assert (releases.returncode, releases.stdout.strip()) == (0, "")


def test_the_kustomize_install_of_the_docs_answers_a_signed_diagnose_and_uninstalls_clean(
    broken: str, installer: Installer, workdir: Path, admin: Api, slack: SlackStandIn
) -> None:
    started = time.monotonic()
    assert run(block("secrets"), env=installer.env, cwd=workdir).returncode == 0
    install = block(
        "kustomize", uncomment=KUSTOMIZE_CHOICES, replace={EXAMPLE_GATEWAY: slack.api_url}
    )
    done = run(install, env=installer.env, cwd=workdir, timeout=420)
    assert done.returncode == 0, done.stdout + done.stderr
    installer.note("kustomize: secrets to rollout done", started)
    answers_in_the_pod(installer, workdir, admin, slack, broken, "kustomize")

    step = time.monotonic()
    removed = run(
        block("uninstall-kustomize"), env=installer.env, cwd=workdir / "my-kubemedic", timeout=300
    )
    assert removed.returncode == 0, removed.stderr
    nothing_left(admin, installer, workdir)
    installer.note("kustomize: uninstall until nothing is left", step)


def test_the_helm_install_of_the_docs_answers_a_signed_diagnose_and_uninstalls_clean(
    broken: str, installer: Installer, workdir: Path, admin: Api, slack: SlackStandIn
) -> None:
    assert run(block("secrets"), env=installer.env, cwd=workdir).returncode == 0
    # as written (persistence on) on a node without a StorageClass: refused, naming both ways out
    refused = run(block("helm", uncomment=HELM_CHOICES[:1]), env=installer.env, cwd=workdir)
    assert refused.returncode != 0
    assert "no default StorageClass in this cluster (StorageClasses: none)" in refused.stderr, (
        refused.stderr
    )
    assert (
        "persistence.storageClass=NAME" in refused.stderr
        and "persistence.enabled=false" in refused.stderr
    )
    assert (
        run("helm list -n kubemedic --short", env=installer.env, cwd=workdir).stdout.strip() == ""
    )
    # several replicas on 1.20: the chart asks the server and picks the PodDisruptionBudget it serves
    several = run(
        'helm install kubemedic "$KUBEMEDIC/deploy/helm/kubemedic" -n kubemedic --dry-run=server '
        "--set image.repository=localhost/kubemedic --set replicaCount=2 "
        "--set database.existingSecret=kubemedic-database",
        env=installer.env,
        cwd=workdir,
    )
    assert several.returncode == 0, several.stderr
    assert "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget" in several.stdout

    started = time.monotonic()
    install = block("helm", uncomment=HELM_CHOICES, replace={EXAMPLE_GATEWAY: slack.api_url})
    done = run(install, env=installer.env, cwd=workdir, timeout=420)
    assert done.returncode == 0, done.stdout + done.stderr
    installer.note("helm: install to rollout done", started)
    pdb = run(
        "kubectl -n kubemedic get poddisruptionbudget -o name", env=installer.env, cwd=workdir
    )
    assert (
        pdb.stdout.strip() == ""
    )  # one replica: none (and no policy/v1 object a 1.20 server refuses)
    answers_in_the_pod(installer, workdir, admin, slack, broken, "helm")

    step = time.monotonic()
    removed = run(block("uninstall-helm"), env=installer.env, cwd=workdir, timeout=300)
    assert removed.returncode == 0, removed.stderr
    nothing_left(admin, installer, workdir)
    installer.note("helm: uninstall until nothing is left", step)


MM_USER = "aliceuser000000000000000a2"
MM_CHANNEL = "chgeneral0000000000000000c"
MM_COMMAND_TOKEN = "mm-command-token-install"
#: doctor --mattermost in the pod: the Service callback is an internal address (info, not ok)
MATTERMOST_DOCTOR_OK = (
    "Mattermost token",
    "Mattermost /diagnose",
    "Teams webhook",
    "Database",
    "Catalog",
    "API server (cluster in-cluster)",
    "read permissions (cluster in-cluster)",
    "remediation permissions (cluster in-cluster)",
)


@pytest.fixture
def mattermost(
    node: RealNode,
) -> Iterator[tuple[MattermostStandIn, ThreadedHost, TeamsWebhookStandIn]]:
    """The Mattermost stand-in (a channel Alice and the bot are in) and a Teams webhook, both on the
    host's bridge address: the pod's WebSocket, API calls and webhook checks reach them there."""
    standin = MattermostStandIn()
    standin.state.add_user(MM_USER, "alice")
    standin.state.add_channel(MM_CHANNEL, "general", members=(MM_USER,))
    teams = TeamsWebhookStandIn()
    server = ThreadedHost(
        lambda: running_mattermost(standin, host=node.host_ip), name="mattermost-on-bridge"
    )
    webhook = ThreadedHost(
        lambda: running_teams_webhook(teams, host=node.host_ip), name="teams-on-bridge"
    )
    server.start()
    webhook.start()
    try:
        yield standin, server, teams
    finally:
        webhook.stop()
        server.stop()


def test_the_helm_install_of_mattermost_with_teams_answers_in_the_channel_and_uninstalls_clean(
    broken: str,
    installer: Installer,
    workdir: Path,
    admin: Api,
    mattermost: tuple[MattermostStandIn, ThreadedHost, TeamsWebhookStandIn],
) -> None:
    standin, server, teams = mattermost
    env = {
        **installer.env,
        "KUBEMEDIC_MATTERMOST_TOKEN": standin.state.bot_token,
        "KUBEMEDIC_MATTERMOST_COMMAND_TOKEN": MM_COMMAND_TOKEN,
        "KUBEMEDIC_TEAMS_WEBHOOK_URL": teams.url,
    }
    started = time.monotonic()
    for name in ("secrets-mattermost", "secrets-teams"):
        done = run(block(name), env=env, cwd=workdir)
        assert done.returncode == 0, done.stderr
    install = block(
        "helm-mattermost",
        uncomment=MATTERMOST_CHOICES,
        replace={EXAMPLE_MATTERMOST: str(standin.url)},
    )
    done = run(
        install, env=env, cwd=workdir, timeout=420
    )  # rollout done: Ready only once the WebSocket is up
    assert done.returncode == 0, done.stdout + done.stderr
    installer.note("helm, Mattermost: install to rollout done", started)
    assert standin.connections >= 1

    [line] = [line for line in block("doctor").splitlines() if "--mattermost" in line]
    checked = run(line, env=env, cwd=workdir, timeout=120)
    found = {
        text.split(" ", 1)[1].partition(":")[0].strip(): text.split(" ", 1)[0]
        for text in checked.stdout.splitlines()
        if text.split(" ", 1)[0] in ("ok", "FAIL", "info", "skip")
    }
    assert {name: found.get(name, "missing") for name in MATTERMOST_DOCTOR_OK} == dict.fromkeys(
        MATTERMOST_DOCTOR_OK, "ok"
    ), checked.stdout
    assert teams.refused == [] and teams.messages == []  # the webhook was checked, nothing posted

    namespace, name = broken, crash_looping(admin, broken)
    pod = bot_pod(admin)
    status, ack = server.call(
        standin.command(
            f"http://{pod['status']['podIP']}:3000/mattermost/command",
            MM_COMMAND_TOKEN,
            channel=MM_CHANNEL,
            user=MM_USER,
            text=f"pod {namespace}/{name}",
        )
    )
    assert status == 200 and ack["response_type"] == "ephemeral", ack
    [created] = server.call(standin.wait_for("POST", "^/posts$"), timeout=90)
    assert created.body["channel_id"] == MM_CHANNEL
    assert (
        "`dependency-unreachable`" in created.body["message"] and FATAL in created.body["message"]
    )

    step = time.monotonic()
    removed = run(block("uninstall-helm"), env=env, cwd=workdir, timeout=300)
    assert removed.returncode == 0, removed.stderr
    nothing_left(admin, installer, workdir)
    installer.note("helm, Mattermost: uninstall until nothing is left", step)
