"""`kubemedic doctor` on the real RBAC engine, as the bot's own ServiceAccount.

deploy/'s rendered roles are applied unchanged (tests/realserver/identities.py);
the API server's authorizer answers every SelfSubjectAccessReview. Slack and
the database are the usual stand-ins, healthy, so the cluster lines decide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cluster.permissions import READ, REMEDIATION
from tests.cli.runner import Result, kubemedic
from tests.doctor.install import ADMIN, APP_TOKEN, BOT_TOKEN, lines, migrated_sqlite, status
from tests.realserver.conftest import Identities
from tests.realserver.identities import Identity
from tests.realserver.server import RealServer
from tests.slack.harness import SECRET
from tests.standins.slack_api import SlackStandIn, start_in_thread

Doctor = Callable[..., Result]
CLUSTER = "(cluster realserver)"


@pytest.fixture
def doctor(tmp_path: Path) -> Iterator[Doctor]:
    """`doctor(identity, **env)`: the console script with that identity's kubeconfig."""
    with start_in_thread(SlackStandIn(bot_token=BOT_TOKEN, app_token=APP_TOKEN)) as slack:
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "HOME": str(tmp_path),
            "KUBEMEDIC_DATABASE_URL": migrated_sqlite(tmp_path / "kubemedic.db"),
        }

        def run(identity: Identity, **extra: str) -> Result:
            return kubemedic("doctor", env={**env, "KUBECONFIG": str(identity.kubeconfig), **extra})

        yield run


def _cluster_lines(result: Result) -> dict[str, str]:
    return {
        name.removesuffix(f" {CLUSTER}"): line
        for name, line in lines(result).items()
        if CLUSTER in name
    }


def test_the_remediation_install_passes_under_the_real_rbac(
    doctor: Doctor, identities: Identities, realserver: RealServer
) -> None:
    result = doctor(identities.remediation, KUBEMEDIC_ADMINS=ADMIN)
    assert result.code == 0, result.stdout + result.stderr
    assert set(status(result).values()) == {"ok"}
    found = _cluster_lines(result)
    assert found["API server"].endswith(f"reachable, Kubernetes {realserver.version}")
    assert found["read permissions"].endswith(f"all {len(READ)} granted")
    assert found["remediation permissions"].endswith(f"all {len(REMEDIATION)} granted")


def test_the_read_only_install_passes_when_no_one_may_remediate(
    doctor: Doctor, identities: Identities
) -> None:
    result = doctor(identities.read)
    assert result.code == 0, result.stdout
    assert _cluster_lines(result)["remediation permissions"].startswith("info  ")


def test_a_role_without_pods_log_fails_naming_the_missing_verb(
    doctor: Doctor, identities: Identities
) -> None:
    result = doctor(identities.trimmed)
    assert result.code == 1
    line = _cluster_lines(result)["read permissions"]
    assert line.startswith(
        f"FAIL  read permissions {CLUSTER}: missing 1 of {len(READ)}: get pods/log; fix: "
    )
    assert "clusterrole-read.yaml" in line


def test_admins_on_the_read_only_role_fail_naming_every_write(
    doctor: Doctor, identities: Identities
) -> None:
    result = doctor(identities.read, KUBEMEDIC_ADMINS=ADMIN, KUBEMEDIC_NAMESPACES="shop")
    assert result.code == 1
    line = _cluster_lines(result)["remediation permissions"]
    for verb in (
        "delete pods in namespace shop",
        "patch nodes",
        "patch deployments.apps/scale in namespace shop",
        "delete apiservices.apiregistration.k8s.io",
    ):
        assert verb in line
