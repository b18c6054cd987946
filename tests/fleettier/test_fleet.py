"""A fleet as it runs: two hub replicas on PostgreSQL, two agents on two real API servers, Slack's stand-in.

Each test leaves the fleet as it found it (both agents connected), so they hold in any order.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.cli.runner import kubemedic_in_process
from tests.fleettier.conftest import ADMIN, PEOPLE, Fleet
from tests.slack.harness import block_text
from tests.standins.bot_process import BotProcess
from tests.waiting import PATIENCE


def _answer_in(fleet: Fleet, channel: str, timeout: float = PATIENCE) -> str:
    [posted] = fleet.slack.wait_for_sync(
        "chat.postMessage",
        timeout=timeout,
        predicate=lambda call: call.params.get("channel") == channel,
    )
    return block_text(posted.blocks)


def _told(fleet: Fleet, words: str, timeout: float = PATIENCE) -> str:
    [told] = fleet.slack.wait_for_sync(
        "response_url",
        timeout=timeout,
        predicate=lambda call: words in str(call.params.get("text")),
    )
    return str(told.params["text"])


def test_each_cluster_is_answered_from_its_own_api_server_whichever_replica_is_asked(
    fleet: Fleet,
) -> None:
    _revive(fleet, 0)  # when a replica-kill test ran before, on this process
    alpha, beta = fleet.clusters["alpha"], fleet.clusters["beta"]
    for to in (0, 1):  # each replica asks both: half the asks are routed through the database
        assert "Diagnosing" in fleet.command(f"pod {alpha.ref}", channel=f"C0ALPHA00{to}", to=to)
        assert "Diagnosing" in fleet.command(f"pod {beta.ref}", channel=f"C0BETA000{to}", to=to)
    for to in (0, 1):
        alpha_answer, beta_answer = (
            _answer_in(fleet, f"C0ALPHA00{to}"),
            _answer_in(fleet, f"C0BETA000{to}"),
        )
        assert "oom-killed" in alpha_answer and "cluster *alpha*" in alpha_answer
        assert "image-not-found" in beta_answer and "cluster *beta*" in beta_answer
        assert "exit code 137" in alpha_answer  # evidence read from alpha's API server by its agent
    listing = fleet.command("clusters", channel="C0LISTING1", to=1)
    assert "`alpha`: 🟢 connected" in listing and "`beta`: 🟢 connected" in listing


def test_an_agent_killed_is_reported_unreachable_and_answers_again_once_restarted(
    fleet: Fleet,
) -> None:
    alpha = fleet.clusters["alpha"]
    alpha.agent.kill()
    deadline = time.monotonic() + PATIENCE
    while "`alpha`: 🔴 unreachable" not in fleet.command("clusters", channel="C0LISTING1"):
        assert time.monotonic() < deadline, "the hub never noticed the killed agent"
        time.sleep(0.2)
    fleet.command(alpha.ask("node"), channel="C0KILLED01")
    assert "cluster alpha is unreachable" in _told(fleet, "cluster alpha is unreachable")
    alpha.agent.restart()
    fleet.wait_connected("alpha")
    fleet.command(alpha.ask("namespace"), channel="C0KILLED01", to=1)
    answer = _answer_in(fleet, "C0KILLED01")
    assert "oom-killed" in answer and "cluster *alpha*" in answer


def test_a_hub_replica_killed_mid_request_loses_nothing(fleet: Fleet) -> None:
    beta = fleet.clusters["beta"]
    fleet.command(
        beta.ask("namespace"), channel="C0REPLICA1", to=0
    )  # acked: the ask is stored as work
    fleet.hubs[0].kill()  # SIGKILL: nothing runs after it; its agents dial the other replica
    assert "image-not-found" in _answer_in(fleet, "C0REPLICA1")
    time.sleep(LEASE_SETTLE)
    assert len(fleet.posts_in("C0REPLICA1")) == 1  # answered once, not lost, not twice
    fleet.wait_connected("alpha", "beta")  # both agents serve through the replica left


def test_a_revoked_token_is_refused_and_its_agent_stops(fleet: Fleet) -> None:
    beta = fleet.clusters["beta"]
    result = kubemedic_in_process(
        "fleet", "token", "revoke", "beta", env={"KUBEMEDIC_DATABASE_URL": fleet.database_url}
    )
    assert result.code == 0 and "revoked 1 token(s)" in result.stdout
    assert beta.agent.process.wait(20) == 2  # closed by the hub, it exits with its one line
    assert "revoked" in beta.agent.log().splitlines()[-1]
    beta.agent.restart()  # the same (revoked) token: refused before the upgrade
    assert beta.agent.process.wait(20) == 2
    assert "HTTP 401" in beta.agent.log().splitlines()[-1]
    fleet.command(beta.ask("node"), channel="C0REVOKED1")
    assert "cluster beta is unreachable" in _told(fleet, "cluster beta is unreachable")
    beta.agent.restart(KUBEMEDIC_AGENT_TOKEN=fleet.issue("beta"))
    fleet.wait_connected("beta")


LEASE_SETTLE = 2.5
"""Seconds past a work lease, for a second answer (there must be none) to show up."""


def _revive(fleet: Fleet, index: int) -> None:
    """Start the killed replica again on its port, so the balancer and later tests have both."""
    dead = fleet.hubs[index]
    if dead.process.poll() is None:
        return
    fleet.hubs[index] = BotProcess(
        fleet.hub_env, dead.log_path.with_suffix(".again.log"), port=dead.port, args=("--hub",)
    ).wait_ready()


def test_a_person_reads_only_what_their_own_rbac_allows(fleet: Fleet) -> None:
    alpha = fleet.clusters["alpha"]
    alice, bob = (slack for slack in PEOPLE)
    fleet.command(
        f"pod {alpha.ref}", channel="C0PEOPLE01", user=alice
    )  # fleet-alice may read nothing
    refused = _told(fleet, "forbidden")
    assert (
        alpha.pod in refused
        and "in cluster alpha" in refused
        and "read as Kubernetes user fleet-alice" in refused
    )
    fleet.command(
        f"pod {alpha.ref}", channel="C0PEOPLE02", user=bob
    )  # fleet-bob reads what kubemedic reads
    assert "oom-killed" in _answer_in(fleet, "C0PEOPLE02")
    assert not fleet.posts_in("C0PEOPLE01")


def test_a_click_is_carried_out_by_the_agent_in_its_own_api_server_and_audited(
    fleet: Fleet,
) -> None:
    alpha = fleet.clusters["alpha"]
    assert alpha.fixable is not None
    fix = alpha.fixable
    fleet.command(f"pod alpha:{fix.namespace}/{fix.pod}", channel="C0REMEDY01", user=ADMIN)
    [posted] = fleet.slack.wait_for_sync(
        "chat.postMessage",
        predicate=lambda call: call.params.get("channel") == "C0REMEDY01",
    )
    assert "tikv-cluster-id-mismatch" in block_text(posted.blocks)
    fleet.click(posted, user=ADMIN)
    [done] = fleet.slack.wait_for_sync(
        "chat.postMessage",
        predicate=lambda call: (
            call.params.get("channel") == "C0REMEDY01" and call.params.get("thread_ts")
        ),
    )
    said = str(done.params.get("text"))
    assert "deleted" in said and "in cluster `alpha`" in said, said
    pod = alpha.lab.api.find("Pod", fix.pod, fix.namespace)
    assert pod is None or "deletionTimestamp" in pod["metadata"]  # no kubelet confirms the delete
    [row] = [row for row in asyncio.run(_audit(fleet.database_url)) if row.outcome == "done"]
    assert row.cluster == "alpha" and row.user == ADMIN and "dryRun=All" in str(row.dry_run_result)


async def _audit(database_url: str) -> list[Any]:
    from bot.storage.sql import SqlStore

    store = SqlStore(database_url)
    await store.start()
    try:
        return list(await store.list_audit(limit=50))
    finally:
        await store.close()
