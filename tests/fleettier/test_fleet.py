"""A fleet as it runs: two hub replicas on PostgreSQL, two agents on two real API servers, Slack's stand-in.

Each test leaves the fleet as it found it (both agents connected), so they hold in any order.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

from tests.cli.runner import kubemedic_in_process
from tests.fleettier.conftest import ADMIN, ALARMS, PEOPLE, AgentProcess, Fleet
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
    beta.agent.restart(KUBEMEDIC_AGENT_TOKEN=fleet.issue("beta", f"--key={beta.public_key}"))
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


def _told_in(fleet: Fleet, channels: set[str]) -> list[str]:
    """What the hubs told privately (response_url) about the commands of `channels`."""
    hooks = fleet.slack.hooks
    return [
        str(call.params.get("text"))
        for call in fleet.slack.calls_to("response_url")
        if hooks.get(call.response_url_id or "", {}).get("channel") in channels
    ]


def _each_answered_once(fleet: Fleet, asked: list[tuple[str, str]]) -> None:
    """Every command answered (its cluster's cause), once; nobody told anything instead."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline and any(not fleet.posts_in(c) for c, _ in asked):
        time.sleep(0.5)
    time.sleep(LEASE_SETTLE)
    channels = {channel for channel, _ in asked}
    told = _told_in(fleet, channels)
    unanswered = [channel for channel, _ in asked if len(fleet.posts_in(channel)) != 1]
    assert unanswered == [] and told == [], (unanswered, told, _calls_about(fleet, unanswered))
    for channel, entry in asked:
        assert entry in block_text(fleet.posts_in(channel)[0].blocks)


def _calls_about(fleet: Fleet, channels: list[str]) -> list[tuple[str, Any]]:
    return [
        (call.method, call.params.get("text"))
        for call in fleet.slack.calls
        if call.params.get("channel") in channels
    ]


EXPECTED = {"alpha": "oom-killed", "beta": "image-not-found"}
"""The cause each cluster's broken pod is answered with."""


class Asking:
    """People asking about alpha and beta in turn, each command in a channel of its own, from a
    thread, until `stop()`; `to`: the replica asked (-1: through the Service)."""

    def __init__(self, fleet: Fleet, prefix: str, *, to: int = -1) -> None:
        self.fleet, self.prefix, self.to = fleet, prefix, to
        self.asked: list[tuple[str, str]] = []
        self.acked_otherwise: list[tuple[str, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._ask, name=f"asking-{prefix}")
        self._thread.start()

    def _ask(self) -> None:
        while not self._stop.is_set():
            cluster = self.fleet.clusters[("alpha", "beta")[len(self.asked) % 2]]
            channel = f"{self.prefix}{len(self.asked):04d}"
            acked = self.fleet.command(cluster.ask("pod"), channel=channel, to=self.to)
            self.asked.append((channel, EXPECTED[cluster.name]))
            if "Diagnosing" not in acked:  # told at once instead (a refusal, the busy line)
                self.acked_otherwise.append((channel, acked))
            time.sleep(0.4)

    def stop(self) -> list[tuple[str, str]]:
        self._stop.set()
        self._thread.join(60)
        assert self.acked_otherwise == []
        return self.asked


def test_a_rolling_restart_loses_nothing_and_tells_no_one_their_cluster_is_unreachable(
    fleet: Fleet,
) -> None:
    """Each replica in turn gets SIGTERM and is started again, as a rollout does, while people ask
    through the Service and the agents redial through it."""
    _revive(fleet, 0)
    fleet.wait_connected("alpha", "beta")
    asking = Asking(fleet, "C0ROLL")
    try:
        time.sleep(2)
        for index in (0, 1):
            fleet.hubs[index].stop()  # SIGTERM: not ready, agents refused, in-flight drained
            _revive(fleet, index)
            fleet.wait_connected("alpha", "beta")
        time.sleep(2)
    finally:
        asked = asking.stop()
    assert len(asked) >= 10
    _each_answered_once(fleet, asked)


def test_a_database_restart_mid_ask_fails_no_ask(fleet: Fleet) -> None:
    """The tier's own PostgreSQL restarts (about a second) while asks wait on their agents."""
    _revive(fleet, 0)
    fleet.wait_connected("alpha", "beta")
    asking = Asking(fleet, "C0PGRS", to=0)
    try:
        time.sleep(1.2)
        fleet.postgres.restart()
        time.sleep(3)
    finally:
        asked = asking.stop()
    _each_answered_once(fleet, asked)
    for hub in fleet.hubs:
        assert "went wrong" not in hub.log()


def test_a_copied_token_is_refused_shown_and_never_served(fleet: Fleet, tmp_path: Path) -> None:
    """A copy of alpha's token dials with a key of its own (it has not alpha's): refused, it stops
    saying why, the hub alarms in its channel naming both addresses, and alpha answers every ask."""
    alpha = fleet.clusters["alpha"]
    fleet.wait_connected("alpha")
    copy = AgentProcess(
        {
            **alpha.agent.env,
            "KUBEMEDIC_AGENT_STATUS_FILE": str(tmp_path / "copy.status"),
            "KUBEMEDIC_AGENT_KEY_FILE": str(tmp_path / "copier.key"),
        },
        tmp_path / "copy.log",
    )
    try:
        assert copy.process.wait(PATIENCE) == 2, copy.log()
        assert "bound to another agent's key" in copy.log().splitlines()[-1]
        assert "used from two places" in fleet.command("clusters", channel="C0LISTING1")
        [alarm] = fleet.slack.wait_for_sync(
            "chat.postMessage",
            predicate=lambda call: (
                call.params.get("channel") == ALARMS and not call.params.get("thread_ts")
            ),
        )
        said = block_text(alarm.blocks)
        assert "connected from 127.0.0.1 (its bound key proven)" in said
        assert "refused a connection from 127.0.0.1" in said
        asked = [(f"C0COPY{number:04d}", "oom-killed") for number in range(4)]
        for channel, _ in asked:
            fleet.command(alpha.ask("pod"), channel=channel, to=-1)
        _each_answered_once(fleet, asked)  # by alpha's own agent: the copy never gets a request
        doctor = kubemedic_in_process(
            "doctor", "--hub", env={**fleet.hub_env, "KUBEMEDIC_DATABASE_URL": fleet.database_url}
        )
        assert "used from two places" in doctor.stdout
    finally:
        copy.stop()
