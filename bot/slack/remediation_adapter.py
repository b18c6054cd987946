"""Connect the Slack layer's remediation port to the remediation service.

Offers come from the diagnosis and the facts it was built from; the writer
for a cluster shares the gateway's credentials and connection pool, one per
cluster for the life of the process.
"""

from __future__ import annotations

from bot.cluster.gateway import KubeGateway
from bot.cluster.writer import KubeWriter
from bot.errors import UserFacingError
from bot.remediation.planning import offers
from bot.remediation.service import RemediationService
from bot.slack.deps import BotDeps
from bot.slack.flows import Result
from bot.slack.remediation_port import ClickResult
from responses.block_kit import ButtonSpec


class RemediationAdapter:
    """RemediationPort over `RemediationService`."""

    def __init__(self, deps: BotDeps) -> None:
        self._deps = deps
        self._writers: dict[str, KubeWriter] = {}
        self._service = RemediationService(deps.store, self._writer, deps.settings, clock=deps.clock)

    def _writer(self, cluster_name: str) -> KubeWriter:
        if cluster_name not in self._writers:
            reader = self._deps.clusters.reader_named(cluster_name)
            if not isinstance(reader, KubeGateway):
                raise UserFacingError(f"cluster {cluster_name!r} cannot be changed from here")
            self._writers[cluster_name] = KubeWriter.sharing(reader, clock=self._deps.clock)
        return self._writers[cluster_name]

    async def buttons(self, result: Result, *, diagnosis_id: str, channel: str,
                      thread_ts: str | None, user: str | None) -> list[ButtonSpec]:
        try:
            reader = self._deps.clusters.reader(result.context)
        except UserFacingError:
            reader = None
        offered = await offers(result.diagnosis, result.facts, settings=self._deps.settings,
                               reader=reader, text=result.text)
        prepared = await self._service.prepare(diagnosis_id, offered, channel=channel,
                                               thread_ts=thread_ts, user=user)
        return [button.spec() for button in prepared]

    async def click(self, value: str, *, user_id: str, channel_id: str) -> ClickResult:
        outcome = await self._service.execute(value, user_id=user_id, channel_id=channel_id)
        return ClickResult(outcome.status, outcome.text, outcome.kind)

    async def recover(self, value: str, *, user_id: str, channel_id: str) -> ClickResult:
        outcome = await self._service.recover(value, user_id=user_id, channel_id=channel_id)
        return ClickResult(outcome.status, outcome.text, outcome.kind)


def adapter_for(deps: BotDeps) -> RemediationAdapter:
    return RemediationAdapter(deps)
