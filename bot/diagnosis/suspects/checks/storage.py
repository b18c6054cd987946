"""Storage checks: why a workload's claim stays Pending.

A claim that names a StorageClass nobody created waits forever; one that names a volume bound
to another claim does too; a claim without a class binds only to an Available volume of the
same (empty) class whose access modes, capacity and labels fit it. Each is compared here with
the volumes there are, and the evidence says which part does not fit: the fix differs (create
the class, free or pick another volume, ask for what a volume offers). A storage fault is named
by the workload's Service; the claim is what to change.
"""

from __future__ import annotations

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import affected, names, workload_chain
from bot.diagnosis.suspects.clues import CONFIRMED, INFERRED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, labels_of, name_of, selects
from bot.evidence.common import quantity
from intents.walk_findings import WalkFinding


def _claims(workload: Workload) -> list[str]:
    specs = [workload.spec, *((p.get("spec") or {}) for p in workload.pods)]
    return list(
        dict.fromkeys(
            str(v["persistentVolumeClaim"]["claimName"])
            for spec in specs
            for v in spec.get("volumes") or []
            if isinstance(v.get("persistentVolumeClaim"), dict)
            and v["persistentVolumeClaim"].get("claimName")
        )
    )


def _class(obj: JsonObject) -> str:
    return str((obj.get("spec") or {}).get("storageClassName") or "")


def _bound_elsewhere(volume: JsonObject, claim: str, namespace: str) -> str | None:
    ref = (volume.get("spec") or {}).get("claimRef") or {}
    other = (str(ref.get("namespace") or ""), str(ref.get("name") or ""))
    return f"{other[0]}/{other[1]}" if ref and other != (namespace, claim) else None


def _misfit(claim: JsonObject, volume: JsonObject) -> str | None:
    """What of the claim the volume does not offer (access modes, capacity, selector), or None."""
    spec, offered = claim.get("spec") or {}, volume.get("spec") or {}
    modes = set(spec.get("accessModes") or [])
    if modes and not modes <= set(offered.get("accessModes") or []):
        return (
            f"access modes: the claim asks {', '.join(sorted(modes))}, volume {name_of(volume)} "
            f"offers {', '.join(offered.get('accessModes') or []) or 'none'}"
        )
    wanted = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    has = (offered.get("capacity") or {}).get("storage")
    if wanted and has and quantity(wanted) > quantity(has):
        return f"capacity: the claim requests {wanted}, volume {name_of(volume)} holds {has}"
    selector = {
        str(k): str(v) for k, v in ((spec.get("selector") or {}).get("matchLabels") or {}).items()
    }
    if selector and not selects(selector, labels_of(volume)):
        shown = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
        return (
            f"selector: the claim selects volumes labelled {shown}, volume {name_of(volume)} is not"
        )
    return None


def _why_pending(graph: Graph, claim: JsonObject) -> tuple[WalkFinding, str, float] | None:
    """(finding, evidence, weight) of why one Pending claim does not bind."""
    name, klass = name_of(claim), _class(claim)
    said = any(
        f'"{klass}" not found' in e.message
        for e in graph.events_of("PersistentVolumeClaim", [name])
    )
    # an empty listing of StorageClasses may be one that was not read (a dump without them)
    listed = graph.complete("storageclasses") and bool(graph.classes)
    if klass and klass not in graph.classes and (listed or said):
        return (
            "storageclass_missing",
            (
                f"claim {name} asks for StorageClass {klass}, which does not exist (there are: "
                f"{', '.join(sorted(graph.classes)) or 'none'})"
            ),
            CONFIRMED,
        )
    wanted = str((claim.get("spec") or {}).get("volumeName") or "")
    if wanted and wanted in graph.volumes:
        other = _bound_elsewhere(graph.volumes[wanted], name, graph.namespace)
        if other:
            return (
                "volume_bound_elsewhere",
                f"claim {name} names volume {wanted}, which is bound to another claim ({other})",
                CONFIRMED,
            )
    if (
        klass
        and klass in graph.classes
        and "no-provisioner" not in str(graph.classes[klass].get("provisioner") or "")
    ):
        return None  # a dynamic class provisions its own volume: pvc-pending's ground
    same = [v for v in graph.volumes.values() if _class(v) == klass]
    free = [v for v in same if (v.get("status") or {}).get("phase") == "Available"]
    taken = [(v, o) for v in same if (o := _bound_elsewhere(v, name, graph.namespace))]
    misfits = [m for v in free if (m := _misfit(claim, v))]
    if misfits:
        return "volume_misfit", f"claim {name}: {misfits[0]}", CONFIRMED
    if not free and taken:
        volume, other = taken[0]
        return (
            "volume_bound_elsewhere",
            (
                f"claim {name}: the volume it could use ({name_of(volume)}) is bound to another "
                f"claim ({other})"
            ),
            OBSERVED,
        )
    if free:
        return (
            "volume_misfit",
            (
                f"claim {name} does not bind to the Available volume(s) "
                f"{', '.join(name_of(v) for v in free)}: their access modes, capacity or labels do "
                "not fit it"
            ),
            INFERRED,
        )
    return (
        "volume_misfit",
        (f"claim {name}: no volume of class {klass or '(none)'} exists and nothing provisions one"),
        OBSERVED,
    )


def check(graph: Graph) -> list[Clue]:
    clues = []
    for workload in graph.workloads.values():
        for claim_name in _claims(workload):
            claim = graph.claims.get(claim_name)
            if claim is None or (claim.get("status") or {}).get("phase") != "Pending":
                continue
            found = _why_pending(graph, claim)
            if found is None:
                continue
            finding, evidence, weight = found
            clues.append(
                Clue(
                    finding,
                    graph.known_as(workload),
                    f"persistentvolumeclaim/{claim_name}",
                    (evidence,),
                    workload_chain(
                        graph,
                        workload,
                        f"claim {claim_name} Pending",
                        evidence.partition(": ")[2] or evidence,
                    ),
                    weight,
                    affects=affected(graph, [workload]),
                    names=names(graph, workload) | {claim_name},
                    why=("the workload's claim cannot bind",),
                    fix_names={
                        "claim": claim_name,
                        "namespace": graph.namespace,
                        "storageclass": _class(claim),
                    },
                )
            )
    return clues
