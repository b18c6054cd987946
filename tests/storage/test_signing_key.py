"""The bot's own signing key in the database: made once, the same for every replica, stored whole.

Two replicas starting at once on one database (SQLite and PostgreSQL) each offer a key they made;
exactly one is kept and both sign with it. The value goes in as it is: the store's redacting
columns would have turned a random key into `[REDACTED]`, and a redacted key signs nothing.
"""

from __future__ import annotations

import asyncio

from bot.remediation.stored_key import with_signing_key
from bot.runtime import signing_key
from bot.runtime.clock import utc_now
from bot.settings import Settings
from tests.storage.backends import opened


async def test_two_replicas_starting_together_keep_one_key(db_url: str) -> None:
    async with opened(db_url) as first, opened(db_url) as second:
        offered = [signing_key.generate() for _ in range(6)]
        kept = await asyncio.gather(
            *(
                (first if n % 2 else second).signing_key(candidate=key, now=utc_now())
                for n, key in enumerate(offered)
            )
        )
        assert len(set(kept)) == 1 and kept[0] in offered
        assert signing_key.decode(kept[0])  # whole: not redacted on its way in or out
        later = await with_signing_key(Settings(), first)
        assert later.signing_key is not None and later.signing_key.get_secret_value() == kept[0]
