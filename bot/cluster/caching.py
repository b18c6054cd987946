"""A reader that asks each identical question once, for many-pod diagnoses.

Fifty pods in a namespace share a handful of nodes, one ReplicaSet, one
Service list and one quota list; without sharing, a namespace diagnosis
would repeat those requests per pod.  Concurrent identical calls share one
in-flight request, and failures are shared too (a 403 is asked once).
Logs are never cached: each is per container anyway.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from bot.cluster.moments import judged_at
from bot.cluster.reader import ClusterReader, JsonObject, Kind


class CachingReader:
    """Wraps a ClusterReader; get/list results are shared for the wrapper's lifetime."""

    def __init__(self, inner: ClusterReader) -> None:
        self._inner = inner
        self._calls: dict[tuple[Any, ...], asyncio.Future[Any]] = {}

    @property
    def cluster_name(self) -> str:
        return self._inner.cluster_name

    def as_of(self) -> datetime:
        """The moment the inner reader shows (bot/cluster/moments.py)."""
        return judged_at(self._inner)

    async def _once(self, key: tuple[Any, ...], make: Any) -> Any:
        future = self._calls.get(key)
        if future is None:
            future = asyncio.ensure_future(make())
            future.add_done_callback(_mark_seen)
            self._calls[key] = future
        return await asyncio.shield(future)

    async def get(self, kind: Kind, name: str, namespace: str | None = None) -> JsonObject:
        result: JsonObject = await self._once(
            ("get", kind, name, namespace), lambda: self._inner.get(kind, name, namespace)
        )
        return result

    async def list(
        self,
        kind: Kind,
        namespace: str | None = None,
        *,
        field_selector: str | None = None,
        label_selector: str | None = None,
        limit: int | None = None,
    ) -> list[JsonObject]:
        key = ("list", kind, namespace, field_selector, label_selector, limit)
        result: list[JsonObject] = await self._once(
            key,
            lambda: self._inner.list(
                kind,
                namespace,
                field_selector=field_selector,
                label_selector=label_selector,
                limit=limit,
            ),
        )
        return result

    async def logs(
        self,
        namespace: str,
        pod: str,
        container: str,
        *,
        previous: bool = False,
        tail_lines: int = 200,
        limit_bytes: int = 64 * 1024,
    ) -> str:
        return await self._inner.logs(
            namespace,
            pod,
            container,
            previous=previous,
            tail_lines=tail_lines,
            limit_bytes=limit_bytes,
        )


def _mark_seen(future: asyncio.Future[Any]) -> None:
    """Retrieve a shared call's error so a caller that left early (its shield
    cancelled) does not make asyncio log a traceback for it later."""
    if not future.cancelled():
        future.exception()
