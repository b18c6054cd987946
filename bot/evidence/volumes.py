"""The pod's PersistentVolumeClaims, their PersistentVolumes and StorageClasses.

A Pending claim is explained by its own events (ProvisioningFailed,
FailedBinding) and by whether the StorageClass it names exists at all; both
are read in parallel with the claim itself.
"""

from __future__ import annotations

import asyncio

from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.reader import ClusterReader
from bot.evidence.common import gap
from bot.evidence.events import object_events
from intents.facts.model import EventFacts, PodFacts, VolumeFacts

MAX_STORAGE_CLASSES = 500


async def _storage_classes(reader: ClusterReader, *, gaps: list[str]) -> set[str] | None:
    """Names of all StorageClasses (a short cluster-wide list), None if unreadable."""
    try:
        classes = await reader.list("storageclasses", limit=MAX_STORAGE_CLASSES)
    except ClusterError as exc:
        gaps.append(gap("StorageClasses", exc))
        return None
    return {str((c.get("metadata") or {}).get("name")) for c in classes}


async def _volume_phase(reader: ClusterReader, name: str | None, *, gaps: list[str]) -> str | None:
    if not name:
        return None
    try:
        volume = await reader.get("persistentvolumes", name)
    except ClusterError as exc:
        gaps.append(gap(f"PersistentVolume {name}", exc))
        return None
    return str((volume.get("status") or {}).get("phase"))


async def _claim_events(
    reader: ClusterReader, namespace: str, name: str, *, gaps: list[str]
) -> list[EventFacts]:
    try:
        return await object_events(
            reader, "PersistentVolumeClaim", name, namespace=namespace, fallback_when_empty=False
        )
    except ClusterError as exc:
        gaps.append(gap(f"events of PersistentVolumeClaim {name}", exc))
        return []


async def claim_facts(
    reader: ClusterReader, namespace: str, name: str, *, gaps: list[str]
) -> tuple[VolumeFacts, list[EventFacts]]:
    """One claim with its StorageClass, events and (if bound) volume.

    The claim, its events and the StorageClass list are read in parallel.  A
    Bound claim's volume is Bound to it by definition; the volume is read only
    for a claim that is not (Lost: its volume was deleted or released).
    """
    claim, classes, events = await asyncio.gather(
        reader.get("persistentvolumeclaims", name, namespace),
        _storage_classes(reader, gaps=gaps),
        _claim_events(reader, namespace, name, gaps=gaps),
        return_exceptions=True,
    )
    if isinstance(claim, NotFound):
        return VolumeFacts(claim=name, phase="Missing"), []
    for result in (claim, classes, events):
        if isinstance(result, BaseException):
            raise result
    assert isinstance(claim, dict) and not isinstance(events, BaseException)
    spec = claim.get("spec") or {}
    storage_class = spec.get("storageClassName")
    phase = str((claim.get("status") or {}).get("phase") or "Unknown")
    known = classes if isinstance(classes, set) else None
    facts = VolumeFacts(
        claim=name,
        phase=phase,
        storage_class=storage_class,
        storage_class_exists=(storage_class in known)
        if known is not None and storage_class
        else None,
        volume=spec.get("volumeName"),
        volume_phase=await _volume_phase(reader, spec.get("volumeName"), gaps=gaps)
        if phase != "Bound"
        else "Bound",
        uid=str(uid) if (uid := (claim.get("metadata") or {}).get("uid")) else None,
    )
    return facts, events


class VolumesCollector:
    """Every PersistentVolumeClaim the pod mounts."""

    what = "volumes"

    async def collect(self, facts: PodFacts, *, reader: ClusterReader) -> None:
        results = await asyncio.gather(
            *(
                claim_facts(reader, facts.namespace, claim, gaps=facts.gaps)
                for claim in facts.claims
            )
        )
        for volume, events in results:
            facts.volumes.append(volume)
            facts.events.extend(events)
