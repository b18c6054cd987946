"""A caller that gives up on a shared cluster call leaves no stray traceback behind."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

from bot.cluster.caching import CachingReader
from bot.cluster.errors import Unreachable


class _RefusingReader:
    """Every list fails after a moment, as an unreachable API server does."""

    cluster_name = "prod"

    async def list(self, *_args: Any, **_kwargs: Any) -> list[Any]:
        await asyncio.sleep(0.05)
        raise Unreachable("cannot reach the API server: connection refused")


async def _abandon_a_shared_call() -> list[dict[str, Any]]:
    reported: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: reported.append(ctx))
    reader = CachingReader(_RefusingReader())  # type: ignore[arg-type]
    caller = asyncio.ensure_future(reader.list("services", "shop"))
    await asyncio.sleep(0.01)
    caller.cancel()  # the pod GET failed first: the prefetch is dropped
    await asyncio.sleep(0.2)
    del reader, caller
    gc.collect()
    await asyncio.sleep(0)
    return reported


def test_an_abandoned_shared_call_that_fails_is_not_reported_as_never_retrieved() -> None:
    assert asyncio.run(_abandon_a_shared_call()) == []


async def _share_a_failure() -> tuple[str, str]:
    reader = CachingReader(_RefusingReader())  # type: ignore[arg-type]
    first, second = await asyncio.gather(
        reader.list("services", "shop"), reader.list("services", "shop"), return_exceptions=True
    )
    return str(first), str(second)


def test_callers_still_see_the_shared_error() -> None:
    first, second = asyncio.run(_share_a_failure())
    assert "connection refused" in first and first == second
