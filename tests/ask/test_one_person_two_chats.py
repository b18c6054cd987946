"""One person with a Slack and a Mattermost account on the same database is still one person:
their second account cannot confirm the example their first one made (a real SQLite store)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.answering.examples import confirm_helpful, example_of, teach
from bot.storage.sql import SqlStore
from responses.redaction import redact_paste
from tests.ask.flows import UNSURE

ALICE_SLACK, ALICE_MATTERMOST = "U0ALICE001", "8f3kq1wz7bnd4x9c2mvr6tyh5e"
BOB_SLACK, CAROL_MATTERMOST = "U0BOB00001", "p2w9c4hx8ne1tq6zk3rb7ymf5a"
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def test_a_second_account_of_the_same_person_confirms_nothing_a_second_person_does(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        store = SqlStore(f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}")
        await store.start()
        try:
            text = redact_paste(UNSURE)

            def choice(user: str) -> object:
                return example_of(
                    text, "oom-killed", chosen_by=user, chooser="alice", chosen_at=NOW, channel="C1"
                )

            first = await teach(store, choice(ALICE_SLACK), admin=False)  # type: ignore[arg-type]
            again = await teach(store, choice(ALICE_MATTERMOST), admin=False)  # type: ignore[arg-type]
            assert first.confirmed_by is None and again.confirmed_by is None
            helpful = await confirm_helpful(
                store, text, "oom-killed", user=ALICE_MATTERMOST, admin=False, now=NOW
            )
            assert helpful == 0
            assert [e.confirmed_by for e in await store.list_examples()] == [None, None]
            by_bob = await confirm_helpful(
                store, text, "oom-killed", user=BOB_SLACK, admin=False, now=NOW
            )
            assert by_bob == 1  # her Slack example: bob is another Slack user
            # her Mattermost example waits for another Mattermost user (bob's Mattermost
            # account, for all anyone knows, could be hers)
            by_carol = await confirm_helpful(
                store, text, "oom-killed", user=CAROL_MATTERMOST, admin=False, now=NOW
            )
            assert by_carol == 1
            # both chosen at NOW: their order is the store's, not a rule's
            assert sorted(str(e.confirmed_by) for e in await store.list_examples()) == sorted(
                [BOB_SLACK, CAROL_MATTERMOST]
            )
        finally:
            await store.close()

    asyncio.run(scenario())
