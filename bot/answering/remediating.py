"""The remediation use case: offer buttons for a diagnosis, carry out a click.

Offers come from the diagnosis and the facts it was built from; the writer
for a cluster shares the reader's credentials and connection pool, one per
cluster for the life of the process.
"""

from __future__ import annotations

from bot.answering.ports import ClickResult
from bot.answering.requests import Place
from bot.answering.results import DiagnoseResult
from bot.cluster.directory import ClusterDirectory
from bot.cluster.gateway import KubeGateway
from bot.cluster.writer import KubeWriter
from bot.errors import UserFacingError
from bot.metrics import Metrics
from bot.remediation.planning import offers
from bot.remediation.service import RemediationService, Writes
from bot.runtime.clock import Clock
from bot.settings import Settings
from bot.storage.base import Store
from bot.storage.records import PendingAction
from responses.answer_actions import ButtonSpec


class Remediating:
    """`RemediationPort` over `RemediationService`, with the clusters it may write to."""

    def __init__(
        self,
        *,
        store: Store,
        clusters: ClusterDirectory,
        settings: Settings,
        metrics: Metrics,
        clock: Clock,
        writes: Writes | None = None,
    ) -> None:
        self._clusters = clusters
        self._settings = settings
        self._metrics = metrics
        self._clock = clock
        self._writers: dict[str, KubeWriter] = {}
        self._service = RemediationService(
            store, self._writer, settings, clock=clock, writes=writes
        )

    def _writer(self, cluster_name: str) -> KubeWriter:
        if cluster_name not in self._writers:
            reader = self._clusters.reader_named(cluster_name)
            if not isinstance(reader, KubeGateway):
                raise UserFacingError(f"cluster {cluster_name!r} cannot be changed from here")
            self._writers[cluster_name] = KubeWriter.sharing(reader, clock=self._clock)
        return self._writers[cluster_name]

    async def offer(
        self, result: DiagnoseResult, *, diagnosis_id: str, place: Place
    ) -> list[tuple[PendingAction, ButtonSpec]]:
        try:
            reader = self._clusters.reader(result.context)
        except UserFacingError:
            reader = None
        offered = await offers(
            result.diagnosis, result.facts, settings=self._settings, reader=reader, text=result.text
        )
        if not offered:
            return []
        prepared = self._service.unstored(
            diagnosis_id, offered, channel=place.channel, thread_ts=place.thread_ts, user=place.user
        )
        return [(pending, button.spec()) for pending, button in prepared]

    async def click(self, value: str, *, user_id: str, channel_id: str) -> ClickResult:
        outcome = await self._service.execute(value, user_id=user_id, channel_id=channel_id)
        return self._counted(ClickResult(outcome.status, outcome.text, outcome.kind))

    async def recover(self, value: str, *, user_id: str, channel_id: str) -> ClickResult:
        outcome = await self._service.recover(value, user_id=user_id, channel_id=channel_id)
        return self._counted(ClickResult(outcome.status, outcome.text, outcome.kind))

    async def refuse(self, value: str, *, user_id: str, channel_id: str, reason: str) -> None:
        await self._service.refuse(value, user_id=user_id, channel_id=channel_id, reason=reason)
        self._metrics.remediations.labels("unknown", "refused").inc()

    def _counted(self, result: ClickResult) -> ClickResult:
        self._metrics.remediations.labels(result.kind, result.status).inc()
        return result
