"""Remediation through the agent: the hub's buttons, carried out in the cluster by its agent.

The hub keeps the click's safeguards (signed button, admins, expiry, audit); the agent makes the
change, dry run first, pinned by UID, only where its cluster opted in. With per-user identity
the agent reads and writes as the person, and the audit row names them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.runtime.clock import utc_now
from bot.storage.sql import SqlStore
from tests.fleet.conftest import issue, running_agent
from tests.slack.harness import ADMIN, Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn

CHANNEL = "C0PROD0001"
OPTED_IN = {"KUBEMEDIC_AGENT_REMEDIATION": "true"}
FRESH = {"KUBEMEDIC_REPEAT_WINDOW_MINUTES": "0", "KUBEMEDIC_RESULT_CACHE_SECONDS": "0"}
"""Each ask is read and posted anew (not an update of the earlier answer)."""


def _tikv() -> tuple[KubeStandIn, str]:
    kube = KubeStandIn(latency=0.0)
    return kube, str(scenarios.tikv_cluster_id_mismatch(kube).pod)


async def _diagnosed(hub: Bot, pod: str, *, user: str = "U0ALICE001") -> Any:
    await hub.send(
        hub.requests.slash_command(f"pod prod:tidb/{pod}", channel_id=CHANNEL, user_id=user)
    )
    [posted] = await hub.slack.wait_for("chat.postMessage")
    return posted


async def _audit(hub: Bot) -> list[Any]:
    store = hub.kubemedic.store
    assert isinstance(store, SqlStore)
    return await store.list_audit(limit=20)


def _changes(kube: KubeStandIn) -> list[Any]:
    """The writes that change something (the agent's permission reviews are POSTs too)."""
    return [w for w in kube.writes() if w.method != "POST"]


def _actions(posted: Any) -> list[str]:
    return [
        e.get("action_id", "")
        for b in posted.blocks
        for e in b.get("elements", [])
        if isinstance(e, dict)
    ]


async def test_a_click_on_the_hub_is_carried_out_by_the_agent_dry_run_first_and_audited(
    tmp_path: Path,
) -> None:
    kube, pod = _tikv()
    async with (
        running_bot(tmp_path, hub=True) as hub,
        running_agent(hub, tmp_path, cluster="prod", kube=kube, remediation=True, **OPTED_IN),
    ):
        posted = await _diagnosed(hub, pod)
        assert "tikv-cluster-id-mismatch" in block_text(posted.blocks)
        assert any(action.startswith("remediate") for action in _actions(posted))
        await hub.send(hub.requests.click(posted, "remediate", user_id=ADMIN))
        [done] = await hub.slack.wait_for(
            "chat.postMessage", predicate=lambda c: c.params.get("thread_ts")
        )
        assert "in cluster `prod`" in str(done.params.get("text")) and "deleted" in str(
            done.params.get("text")
        )
        writes = _changes(kube)
        assert [w.dry_run for w in writes[:2]] == [
            True,
            True,
        ]  # the dry run comes first, in the agent
        assert any(not w.dry_run and w.path.endswith(f"/pods/{pod}") for w in writes)
        assert all(
            w.body and w.body.get("preconditions", {}).get("uid") for w in writes
        )  # pinned by UID
        [row] = [row for row in await _audit(hub) if row.outcome == "done"]
        assert row.cluster == "prod" and row.user == ADMIN and row.identity is None


async def test_an_agent_that_declines_gets_no_buttons_and_a_click_is_refused_and_told(
    tmp_path: Path,
) -> None:
    kube, pod = _tikv()
    async with running_bot(tmp_path, hub=True, **FRESH) as hub:
        token = await issue(hub.kubemedic.store, "prod", remediation=True)
        async with running_agent(hub, tmp_path, cluster="prod", kube=kube, token=token):
            plain = await _diagnosed(hub, pod)
            assert not any(
                action.startswith("remediate") for action in _actions(plain)
            )  # never offered
        hub.slack.calls.clear()
        async with running_agent(hub, tmp_path, cluster="prod", kube=kube, token=token, **OPTED_IN):
            offered = await _diagnosed(hub, pod)
        async with running_agent(
            hub, tmp_path, cluster="prod", kube=kube, token=token
        ):  # opted out again
            await hub.send(hub.requests.click(offered, "remediate", user_id=ADMIN))
            [told] = await hub.slack.wait_for("response_url")
            assert (
                told.params["response_type"] == "ephemeral"
                and "has not opted in" in told.params["text"]
            )
            assert _changes(kube) == []
            # refused, and nothing else; under heavy load the refusal was once audited twice
            # (noted in the CHANGELOG as not yet explained)
            outcomes = [row.outcome for row in await _audit(hub)]
            assert outcomes and set(outcomes) == {"refused"}


async def test_the_opt_in_is_the_hubs_record_never_the_agents_claim(tmp_path: Path) -> None:
    """A token issued without --remediation: an agent (or a copy of its token) saying it opted in
    gets no buttons shown, a click is refused on the hub, and `/diagnose clusters` says nothing of it."""
    kube, pod = _tikv()
    async with running_bot(tmp_path, hub=True, **FRESH) as hub:
        token = await issue(hub.kubemedic.store, "prod")  # the hub's record: not opted in
        async with running_agent(hub, tmp_path, cluster="prod", kube=kube, token=token, **OPTED_IN):
            posted = await _diagnosed(hub, pod)
            assert "tikv-cluster-id-mismatch" in block_text(posted.blocks)
            assert not any(action.startswith("remediate") for action in _actions(posted))
            _, body = await hub.send(hub.requests.slash_command("clusters", channel_id=CHANNEL))
            listing = json.loads(body)["text"]
            assert "`prod`: 🟢 connected" in listing and "remediation on" not in listing
        hub.slack.calls.clear()
        async with running_agent(
            hub,
            tmp_path,
            cluster="prod",
            kube=kube,
            token=await issue(hub.kubemedic.store, "prod", remediation=True),
            **OPTED_IN,
        ):
            offered = await _diagnosed(hub, pod)
        assert any(action.startswith("remediate") for action in _actions(offered))
        hub.slack.calls.clear()
        await hub.kubemedic.store.revoke_tokens("prod", now=utc_now())
        async with running_agent(
            hub,
            tmp_path,
            cluster="prod",
            kube=kube,
            token=await issue(hub.kubemedic.store, "prod"),
            **OPTED_IN,
        ):
            await hub.send(hub.requests.click(offered, "remediate", user_id=ADMIN))
            [told] = await hub.slack.wait_for("response_url", timeout=15)
            assert "has not opted in" in told.params["text"]
            assert _changes(kube) == []


async def test_with_per_user_identity_the_agent_reads_and_writes_as_the_person(
    tmp_path: Path,
) -> None:
    kube, pod = _tikv()
    identities = tmp_path / "identities.yaml"
    identities.write_text(
        f"users:\n  {ADMIN}: {{user: admin@example.com, groups: [sre, oncall]}}\n"
        "  U0ALICE001: {user: alice@example.com}\n"
    )
    async with (
        running_bot(tmp_path, hub=True, KUBEMEDIC_IDENTITY_FILE=str(identities), **FRESH) as hub,
        running_agent(hub, tmp_path, cluster="prod", kube=kube, remediation=True, **OPTED_IN),
    ):
        posted = await _diagnosed(hub, pod)
        reads = [r for r in kube.requests if r.method == "GET" and "/pods/" in r.path]
        assert reads and all(
            r.headers.get("Impersonate-User") == "alice@example.com" for r in reads
        )
        await hub.send(hub.requests.click(posted, "remediate", user_id=ADMIN))
        await hub.slack.wait_for("chat.postMessage", predicate=lambda c: c.params.get("thread_ts"))
        writes = _changes(kube)
        assert writes and all(
            w.headers.get("Impersonate-User") == "admin@example.com" for w in writes
        )
        [row] = [row for row in await _audit(hub) if row.outcome == "done"]
        assert row.identity == "admin@example.com (groups sre, oncall)"
        hub.slack.calls.clear()
        before = len(kube.requests)
        await hub.send(
            hub.requests.slash_command(
                "namespace prod:tidb", channel_id=CHANNEL, user_id="U0BOB00001"
            )
        )
        await hub.slack.wait_for("chat.postMessage")  # unmapped: the agent's own identity
        assert kube.requests[before:] and not any(
            r.headers.get("Impersonate-User") for r in kube.requests[before:]
        )


async def test_a_person_the_identity_file_does_not_map_is_refused_when_it_says_so(
    tmp_path: Path,
) -> None:
    kube, pod = _tikv()
    identities = tmp_path / "identities.yaml"
    identities.write_text("unmapped: refuse\nusers:\n  U0ALICE001: {user: alice@example.com}\n")
    async with (
        running_bot(tmp_path, hub=True, KUBEMEDIC_IDENTITY_FILE=str(identities)) as hub,
        running_agent(hub, tmp_path, cluster="prod", kube=kube),
    ):
        before = len(kube.requests)
        await hub.send(
            hub.requests.slash_command(
                f"pod prod:tidb/{pod}", channel_id=CHANNEL, user_id="U0MALLORY1"
            )
        )
        [told] = await hub.slack.wait_for("response_url")
        assert "no Kubernetes identity on this hub" in told.params["text"]
        assert not any("/pods/" in r.path for r in kube.requests[before:])  # nothing read for them


def test_an_identity_file_with_mistakes_stops_the_hub_naming_each(tmp_path: Path) -> None:
    from bot.commands.serve_cmd import check_hub_settings
    from bot.errors import BadInput
    from bot.settings import Settings

    broken = tmp_path / "identities.yaml"
    broken.write_text(
        "unmapped: maybe\nusers:\n  U0ALICE001: {user: 'alice smith', group: [sre]}\n"
    )
    try:
        check_hub_settings(Settings(KUBEMEDIC_IDENTITY_FILE=str(broken)), mattermost=False)
    except BadInput as exc:
        assert (
            "unmapped" in exc.reason
            and "users.U0ALICE001.user" in exc.reason
            and "group" in exc.reason
        )
    else:
        raise AssertionError("the broken identity file was accepted")
