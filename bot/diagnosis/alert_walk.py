"""An alert that names a Service, a workload or a namespace but no pod: the walk ranks its suspects.

"checkout's error rate is high" (labels `namespace`, `service`) points at no pod, and its cause
may sit in another object: a selector, a quota, a node. The alert's target is walked as
`/diagnose service|namespace` walks it (bot/diagnosis/suspects), with the alert's summary as
the symptom, so the post leads with the same first suspect a person asking would get. A
Service label that names no Service in that namespace (kube-state-metrics' alerts carry the
exporter's own) walks the namespace; a workload keeps its own diagnosis (its pods) and gains the
suspects on its chain.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.cluster.errors import NotFound
from bot.cluster.reader import ClusterReader
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.walk import walk_namespace, walk_service
from bot.diagnosis.targets import AlertTarget
from bot.diagnosis.workload import diagnose_workload
from responses.diagnosis import Diagnosis, Suspect

WALK_DEEP_LIMIT = 3
"""Unhealthy pods diagnosed in depth beside the walk (an alert post shows a few)."""
WALKED = frozenset({"service", "namespace", "deployment", "statefulset", "daemonset"})
"""Targets walked (a Job, like a pod or a node, is diagnosed as before: the walk reads no Jobs)."""


async def walk_target(
    reader: ClusterReader, target: AlertTarget, *, judge: Judge, symptom: str, timeout: float
) -> Diagnosis:
    """The target's diagnosis led by its suspects (a Service, a namespace, or a workload)."""
    namespace = target.name if target.kind == "namespace" else target.namespace
    assert namespace is not None
    said = symptom or str(target)
    if target.kind == "service":
        try:
            await reader.get("services", target.name, namespace)
        except NotFound:
            return await walk_namespace(
                reader,
                namespace,
                judge=judge,
                symptom=said,
                deep_limit=WALK_DEEP_LIMIT,
                timeout=timeout,
            )
        return await walk_service(
            reader,
            namespace,
            target.name,
            judge=judge,
            symptom=said,
            deep_limit=WALK_DEEP_LIMIT,
            timeout=timeout,
        )
    if target.kind == "namespace":
        return await walk_namespace(
            reader,
            namespace,
            judge=judge,
            symptom=said,
            deep_limit=WALK_DEEP_LIMIT,
            timeout=timeout,
        )
    own = await diagnose_workload(
        reader, target.kind, namespace, target.name, judge=judge, timeout=timeout
    )
    walked = await walk_namespace(
        reader,
        namespace,
        judge=judge,
        symptom=f"{target.name} {said}",
        deep_limit=WALK_DEEP_LIMIT,
        timeout=timeout,
    )
    return replace(own, suspects=on_chain_of(walked.suspects or (), f"{target.kind}/{target.name}"))


def on_chain_of(suspects: tuple[Suspect, ...], ref: str) -> tuple[Suspect, ...]:
    """The suspects whose object, resource or chain names `ref` ("deployment/checkout")."""
    named = re.compile(rf"(?<![\w.-]){re.escape(ref)}(?![\w.-])")
    return tuple(
        suspect
        for suspect in suspects
        if any(named.search(text) for text in (suspect.object, suspect.resource, *suspect.chain))
    )


def leading_suspect(diagnosis: Diagnosis | None) -> Suspect | None:
    """The first suspect, when it is sure enough to lead an alert's post (high or medium)."""
    suspects = diagnosis.suspects if diagnosis is not None else None
    if suspects and suspects[0].confidence in ("high", "medium"):
        return suspects[0]
    return None
