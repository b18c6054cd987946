"""Helpers for the click tests: a watching store, the service, and buttons for a scenario."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.diagnosis.pod import Judge
from bot.remediation.buttons import PreparedButton
from bot.remediation.service import RemediationService
from bot.storage import SqlStore
from bot.storage.records import AuditRecord
from tests.remediation.conftest import CLUSTER, Clock, Kube, pod_offers, settings, stored_buttons
from tests.standins import kube_scenarios as ks
from tests.standins.kube_api import KubeStandIn

REJECTED = "batch-worker-7d9c-x2kq"
EXPIRED = "This button has expired or was already used — run /diagnose again."


@dataclass
class Recorder:
    """Delegates to the real store; notes each audit outcome and the cluster writes so far."""

    store: SqlStore
    standin: KubeStandIn
    audit: list[tuple[str, int]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    async def write_audit(self, record: AuditRecord) -> AuditRecord:
        self.audit.append((record.outcome, len(self.standin.writes())))
        return await self.store.write_audit(record)

    async def update_audit(self, id: str, **fields: Any) -> AuditRecord:
        self.audit.append((fields["outcome"], len(self.standin.writes())))
        return await self.store.update_audit(id, **fields)


def service(store: Any, kube: Kube, clock: Clock, **env: Any) -> RemediationService:
    return RemediationService(
        store, lambda cluster: {CLUSTER: kube.writer}[cluster], settings(**env), clock=clock
    )


async def buttons_for(
    kube: Kube, judge: Judge, svc: RemediationService, scenario: str, pod: str
) -> list[PreparedButton]:
    namespace = getattr(ks, scenario)(kube.standin).namespace
    found = await pod_offers(kube, judge, namespace, pod)
    assert found
    return await stored_buttons(svc, found)


def real_writes(kube: Kube) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in kube.writes() if not r.dry_run]
