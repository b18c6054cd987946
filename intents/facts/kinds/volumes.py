"""The claims the pod mounts, their volumes and StorageClasses."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, pod
from intents.facts.model import VolumeFacts


def _holds(rule: Rule, volume: VolumeFacts, phase: str) -> bool:
    if rule.pvc_phase is not None and phase != rule.pvc_phase:
        return False
    if (
        rule.no_available_volume is not None
        and volume.no_available_volume != rule.no_available_volume
    ):
        return False
    if rule.pvc_deleting is not None and volume.deleting != rule.pvc_deleting:
        return False
    missing = volume.storage_class_exists is False
    return rule.storageclass_missing is None or (
        volume.storage_class_exists is not None and missing == rule.storageclass_missing
    )


def check(rule: Rule, facts: Facts) -> str | None:
    for volume in found.volumes if (found := pod(facts)) else []:
        kind, name, phase = volume.described
        if not _holds(rule, volume, phase):
            continue
        fact = f"{kind} {name} is {phase}"
        if rule.storageclass_missing is not None:
            state = "does not exist" if volume.storage_class_exists is False else "exists"
            fact += f"; StorageClass {volume.storage_class} {state}"
        if rule.no_available_volume:
            fact += "; no PersistentVolume listed is Available"
        if rule.pvc_deleting:
            fact += "; its deletion is under way"
        return fact
    return None


KIND = FactKind(
    "volumes",
    50,
    "PodFacts.volumes",
    __doc__ or "",
    check=check,
    fields=(
        RuleField("pvc_phase", str | None, "A claim's phase (Pending, Lost...).", refutes=True),
        RuleField("storageclass_missing", bool | None, "A claim's StorageClass does not exist."),
        RuleField(
            "no_available_volume",
            bool | None,
            "A claim without a StorageClass, and no PersistentVolume listed Available to bind it.",
        ),
        RuleField("pvc_deleting", bool | None, "A claim or volume whose deletion is under way."),
    ),
)
