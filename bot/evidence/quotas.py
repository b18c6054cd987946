"""ResourceQuotas of the pod's namespace, and which resources are at their limit.

A full quota does not break a running pod, but it is why its replacement or
its siblings are never created (FailedCreate on the ReplicaSet).
"""

from __future__ import annotations

from bot.cluster.reader import ClusterReader, JsonObject
from bot.evidence.common import quantity
from intents.facts.model import PodFacts, QuotaFacts

MAX_QUOTAS = 50


def quota_facts(quota: JsonObject) -> QuotaFacts:
    status = quota.get("status") or {}
    hard, used = status.get("hard") or {}, status.get("used") or {}
    full = tuple(
        sorted(
            key
            for key, limit in hard.items()
            if key in used and quantity(used[key]) >= quantity(limit)
        )
    )
    return QuotaFacts(name=str((quota.get("metadata") or {}).get("name")), full=full)


class QuotasCollector:
    """The namespace's ResourceQuotas."""

    what = "resource quotas"

    @staticmethod
    async def prefetch(namespace: str, name: str, *, reader: ClusterReader) -> None:
        """Start listing the namespace's quotas together with the pod GET."""
        await reader.list("resourcequotas", namespace, limit=MAX_QUOTAS)

    async def collect(self, facts: PodFacts, *, reader: ClusterReader) -> None:
        quotas = await reader.list("resourcequotas", facts.namespace, limit=MAX_QUOTAS)
        facts.quotas.extend(quota_facts(q) for q in quotas)
