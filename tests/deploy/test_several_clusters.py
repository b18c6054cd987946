"""components/clusters, run for real: the bot started with exactly the environment the
rendered Deployment gives it (settings ConfigMap, env, mounted paths), a kubeconfig Secret
as `kubemedic install-manifests clusters` writes it (the home cluster through the pod's own
service-account token file, another cluster through the credentials copied from the user's
kubeconfig), answering signed /diagnose commands
against two Kubernetes API stand-ins that each accept only their own token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
import yaml

from tests.cli.runner import kubemedic
from tests.deploy.kustomize import Doc, bot_container, needs_kubectl, only
from tests.deploy.test_workload import config_map
from tests.slack.harness import block_text
from tests.standins import kube_scenarios as scenarios
from tests.standins.bot_process import BotProcess
from tests.standins.kube_api import KubeStandIn
from tests.standins.kube_api import start_in_thread as start_kube
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests, post_sync

pytestmark = needs_kubectl

SECRET = "clusters-test-signing-secret-01"
BOT_TOKEN = "xoxb-kubemedic-clusters"
SERVICE_ACCOUNT = PurePosixPath("/var/run/secrets/kubernetes.io/serviceaccount")


def pod_environment(docs: list[Doc], root: Path) -> dict[str, str]:
    """The container's environment as Kubernetes would set it, with every mounted path moved
    under `root` (Secret references are left out: the test supplies Slack's)."""
    container = bot_container(docs)
    environment = dict(config_map(docs, container))
    environment |= {e["name"]: e["value"] for e in container["env"] if "value" in e}
    mounts = sorted((m["mountPath"] for m in container["volumeMounts"]), key=len, reverse=True)
    for name, value in environment.items():
        for mount in mounts:
            if value.startswith((mount, f"sqlite+aiosqlite:///{mount}")):
                environment[name] = value.replace(mount, str(root / mount.lstrip("/")), 1)
                break
    for mount in mounts:
        (root / mount.lstrip("/")).mkdir(parents=True, exist_ok=True)
    return environment


def kubeconfig_secret(home_url: str, prod_url: str, token_dir: Path, tmp_path: Path) -> str:
    """The Secret's `config` key as `kubemedic install-manifests clusters --context prod` writes it
    from the user's kubeconfig, with the pod's in-cluster addresses moved to the test's: the
    API server's Service to the home stand-in (plain HTTP: no CA), the mounted token to `token_dir`."""
    mine = tmp_path / "my-kubeconfig"
    mine.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "prod",
                "clusters": [{"name": "prod-cluster", "cluster": {"server": prod_url}}],
                "users": [{"name": "prod-reader", "user": {"token": "prod-cluster-token"}}],
                "contexts": [
                    {"name": "prod", "context": {"cluster": "prod-cluster", "user": "prod-reader"}}
                ],
            }
        )
    )
    result = kubemedic(
        "install-manifests", "clusters", "--context", "prod", "--kubeconfig", str(mine)
    )
    assert result.code == 0, result.stderr
    assert (
        "--set clusters.kubeconfigSecret=kubemedic-kubeconfig --set 'clusters.contexts={home,prod}'"
        in result.stderr
    )
    secret = yaml.safe_load(result.stdout)
    assert (secret["kind"], secret["metadata"]) == (
        "Secret",
        {"name": "kubemedic-kubeconfig", "namespace": "kubemedic"},
    )
    config = yaml.safe_load(secret["stringData"]["config"])
    [home] = [c["cluster"] for c in config["clusters"] if c["name"] == "home"]
    assert home == {
        "server": "https://kubernetes.default.svc",
        "certificate-authority": f"{SERVICE_ACCOUNT}/ca.crt",
    }
    home.pop("certificate-authority")
    home["server"] = home_url
    [user] = [u["user"] for u in config["users"] if u["name"] == "home"]
    assert user == {"tokenFile": f"{SERVICE_ACCOUNT}/token"}
    user["tokenFile"] = str(token_dir / "token")
    return yaml.safe_dump(config)


@dataclass
class Install:
    bot: BotProcess
    slack: SlackStandIn
    home: KubeStandIn
    prod: KubeStandIn
    requests: SlackRequests
    healthy_at_home: scenarios.Scenario
    oom_in_prod: scenarios.Scenario

    def diagnose(self, text: str) -> str:
        """/diagnose TEXT: the immediate answer's text."""
        status, body = post_sync(f"{self.bot.url}/slack/events", *self._signed(text))
        assert status == 200
        return str(json.loads(body)["text"])

    def _signed(self, text: str) -> tuple[bytes, dict[str, str]]:
        request = self.requests.slash_command(text)
        return request.body, request.headers


@pytest.fixture
def install(clusters: list[Doc], tmp_path: Path) -> Iterator[Install]:
    home = KubeStandIn(latency=0.0, token="home-service-account-token")
    prod = KubeStandIn(latency=0.0, token="prod-cluster-token")
    healthy = scenarios.healthy(home, namespace="shop", name="catalog")
    oom = scenarios.oom_killed_deployment(prod, namespace="shop", name="checkout")
    with ExitStack() as stack:
        slack = SlackStandIn(bot_token=BOT_TOKEN)
        stack.enter_context(start_slack(slack))
        home_url = stack.enter_context(start_kube(home)).url
        prod_url = stack.enter_context(start_kube(prod)).url
        root = tmp_path / "pod"
        environment = pod_environment(clusters, root)
        token_dir = root / SERVICE_ACCOUNT.relative_to("/")
        token_dir.mkdir(parents=True)
        (token_dir / "token").write_text("home-service-account-token")
        Path(environment["KUBECONFIG"]).write_text(
            kubeconfig_secret(home_url, prod_url, token_dir, tmp_path)
        )
        environment |= {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
        }
        bot = stack.enter_context(BotProcess(environment, tmp_path / "bot.log"))
        bot.wait_ready()
        yield Install(bot, slack, home, prod, SlackRequests(SECRET, standin=slack), healthy, oom)


def test_the_rendered_settings_name_the_mounted_kubeconfig_and_the_contexts(
    clusters: list[Doc],
) -> None:
    container = bot_container(clusters)
    assert {"name": "KUBECONFIG", "value": "/etc/kubemedic/kubeconfig/config"} in container["env"]
    assert config_map(clusters, container)["KUBEMEDIC_CONTEXTS"] == "home,prod"
    assert (
        only(clusters, "Deployment")["spec"]["template"]["spec"]["automountServiceAccountToken"]
        is True
    )


def test_the_bot_reads_each_allowed_cluster_with_its_own_credentials(install: Install) -> None:
    oom, healthy = install.oom_in_prod, install.healthy_at_home
    assert f"Diagnosing pod {oom.namespace}/{oom.pod}" in install.diagnose(
        f"pod prod:{oom.namespace}/{oom.pod}"
    )
    [answer] = install.slack.wait_for_sync("chat.postMessage")
    assert "oom-killed" in block_text(answer.blocks) and "prod" in block_text(answer.blocks)
    install.diagnose(
        f"pod {healthy.namespace}/{healthy.pod}"
    )  # the kubeconfig's current context: home
    answers = install.slack.wait_for_sync("chat.postMessage", count=2)
    assert "no problem" in block_text(answers[-1].blocks).lower()
    assert "home" in block_text(answers[-1].blocks)
    # each stand-in accepts only its own token: every request got through, to the right cluster
    for cluster, asked, other in (
        (install.prod, oom.pod, healthy.pod),
        (install.home, healthy.pod, oom.pod),
    ):
        assert cluster.requests and {r.status for r in cluster.requests} <= {200, 404}
        assert [r for r in cluster.requests if f"/pods/{asked}" in r.path]
        assert not [r for r in cluster.requests if str(other) in r.path]


def test_a_context_outside_the_allowlist_is_refused_naming_the_allowed_ones(
    install: Install,
) -> None:
    install.diagnose(f"pod staging:shop/{install.oom_in_prod.pod}")
    [private] = install.slack.wait_for_sync("response_url")
    answer = str(private.params.get("text"))
    assert (
        "'staging' is not allowed" in answer
        and "home, prod" in answer
        and len(answer.splitlines()) == 1
    )
    assert install.slack.calls_to("chat.postMessage") == []
    assert install.home.requests == [] and install.prod.requests == []
