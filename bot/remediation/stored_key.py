"""The key the bot signs with when none is configured: made at its first start, kept in its database.

A key people choose can be guessed offline by anyone who reads a state it sealed, so with
KUBEMEDIC_SIGNING_KEY unset the bot makes its own (`kubemedic keygen`'s form, 32 random bytes)
and stores it; every later start, replica and worker reads the same one. A configured key wins,
and must itself come from `kubemedic keygen` (bot/runtime/signing_key.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import SecretStr

from bot.remediation.tokens import refuse_weak_keys
from bot.runtime import signing_key
from bot.runtime.clock import utc_now
from bot.settings import Settings


class KeyStore(Protocol):
    async def signing_key(self, *, candidate: str, now: datetime) -> str: ...


async def with_signing_key(settings: Settings, store: KeyStore) -> Settings:
    """`settings` whose KUBEMEDIC_SIGNING_KEY is the key to sign with: the configured one (refused,
    WeakSigningKey, unless `kubemedic keygen` made it), else the one stored in `store` (made now
    when there is none yet). The store must be started."""
    refuse_weak_keys(settings)
    if settings.signing_key is not None:
        return settings
    stored = await store.signing_key(candidate=signing_key.generate(), now=utc_now())
    return settings.model_copy(update={"signing_key": SecretStr(stored)})
