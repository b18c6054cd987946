"""Revoking and removing as an operator does it, with agents connected and asks in flight (issue 76).

`fleet token revoke` with a token's id revokes exactly that token (it used to take the name for a
cluster's, print "revoked 0 token(s)" and exit 0); a name that is neither a cluster nor a token is
refused in one line. `fleet cluster remove` while an ask is in flight tells its asker at once (it
used to leave them waiting for minutes).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.storage.sql import SqlStore
from tests.cli.runner import Result, kubemedic_in_process
from tests.fleet.conftest import RawAgent, issue
from tests.slack.harness import running_bot


def _env(tmp_path: Path) -> dict[str, str]:
    return {"KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"}


def test_revoke_with_a_token_id_revokes_that_token_only_and_an_unknown_name_fails(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        store = SqlStore(_env(tmp_path)["KUBEMEDIC_DATABASE_URL"])
        await store.start()
        try:
            await issue(store, "prod")
            await issue(store, "prod")
            first, second = [token.id for token in await store.list_tokens()]
        finally:
            await store.close()

        async def run(name: str) -> Result:  # the operator's command line
            return await asyncio.to_thread(
                kubemedic_in_process, "fleet", "token", "revoke", name, env=_env(tmp_path)
            )

        one = await run(first)
        assert one.code == 0, one.stderr
        assert f"revoked token {first} of cluster prod" in one.stdout
        assert "1 other valid token(s)" in one.stdout
        again = await run(first)
        assert again.code == 0 and "already revoked" in again.stdout
        unknown = await run("staging")
        assert unknown.code == 2 and "no cluster or token 'staging'" in unknown.stderr
        assert len(unknown.stderr.strip().splitlines()) == 1
        listed = await asyncio.to_thread(
            kubemedic_in_process, "fleet", "token", "list", env=_env(tmp_path)
        )
        rows = {line.split("\t")[1]: line for line in listed.stdout.splitlines()[1:]}
        assert "revoked" in rows[first].split("\t")[3] and rows[second].split("\t")[3] == "valid"
        rest = await run("prod")
        assert rest.code == 0 and "revoked 1 token(s) of cluster prod" in rest.stdout
        none_left = await run("prod")
        assert none_left.code == 0 and "no valid token left" in none_left.stdout

    asyncio.run(scenario())


def test_removing_a_cluster_tells_the_asker_of_an_ask_in_flight_at_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(
            tmp_path, hub=True, KUBEMEDIC_FLEET_ANSWER_SECONDS="1800"
        ) as hub:  # a taken ask would otherwise wait half an hour for its answer
            token = await issue(hub.kubemedic.store, "prod")  # type: ignore[arg-type]
            async with RawAgent.connect(hub.url, token) as agent:
                await agent.next_of("welcome")
                await hub.send(hub.requests.slash_command("pod prod:shop/web-0"))
                ask = await agent.next_of("ask")
                await agent.send({"type": "accepted", "id": ask["id"]})  # and never answers
                for verb in (("token", "revoke", "prod"), ("cluster", "remove", "prod")):
                    done = await asyncio.to_thread(
                        kubemedic_in_process, "fleet", *verb, env=_env(tmp_path)
                    )
                    assert done.code == 0, done.stderr
                [told] = await hub.slack.wait_for("response_url")
                assert "cluster prod was removed from this hub" in str(told.params.get("text"))

    asyncio.run(scenario())
