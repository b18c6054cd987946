"""Admission checks: a missing ServiceAccount, a full ResourceQuota, a LimitRange.

A controller whose pods the API server refuses records FailedCreate on itself; the same
events linger after a passing hiccup (a ServiceAccount created a moment after its Deployment),
so a refusal counts only while the workload still lacks pods. A quota is a namespace-wide
cause: its suspect is the namespace, the quota is what to change. A quota also refuses what is
not a pod: a Service that was never created (the workload has none while the quota is full)
or a claim that was never created (a pod waits for a claim "not found").
"""

from __future__ import annotations

import re

from bot.diagnosis.suspects.checks.common import affected, names, workload_chain
from bot.diagnosis.suspects.clues import CONFIRMED, INFERRED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from bot.evidence.common import quantity
from intents.facts.model import EventFacts

_EXCEEDED = re.compile(r"exceeded quota: (?P<quota>[\w.-]+), requested: (?P<requested>[^,]+)")
_SA_MISSING = re.compile(
    r"service ?account (?:\S+/)?(?P<name>[\w.-]+)\W{0,3} (?:was )?not found"
    r"|serviceaccounts? \W?(?P<quoted>[\w.-]+)\W? not found",
    re.IGNORECASE,
)
_LIMIT_RANGE = re.compile(r"(?:maximum|minimum) \w+ usage per (?:Container|Pod) is", re.IGNORECASE)
_CLAIM_MISSING = re.compile(r'persistentvolumeclaim "(?P<claim>[\w.-]+)" not found')
COUNTED = {
    "services": ("services", "count/services"),
    "persistentvolumeclaims": (
        "persistentvolumeclaims",
        "count/persistentvolumeclaims",
        "requests.storage",
    ),
}


def lacks_pods(graph: Graph, workload: Workload) -> bool:
    """The workload has fewer pods than it wants: counted when every pod was seen, else as its
    own status says (AVAILABLE of `get deploy`)."""
    if workload.kind == "Pod":
        return False
    if graph.complete("pods"):
        return len(workload.pods) < workload.wanted
    available = (workload.obj.get("status") or {}).get("availableReplicas")
    return isinstance(available, int) and available < workload.wanted


def _refusals(graph: Graph, workload: Workload) -> list[EventFacts]:
    return [
        e
        for e in graph.workload_events(workload)
        if e.reason == "FailedCreate" and e.type == "Warning"
    ]


def service_account_clues(graph: Graph, workload: Workload) -> list[Clue]:
    spec = workload.spec
    account = str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "default")
    said = [
        e
        for e in _refusals(graph, workload)
        if (m := _SA_MISSING.search(e.message)) and account in (m.group("name"), m.group("quoted"))
    ]
    # every namespace has at least "default": an empty listing is one that was not really read
    # (a dump without ServiceAccounts), never proof that the account is missing
    listed = graph.complete("serviceaccounts") and bool(graph.snapshot.of("serviceaccounts"))
    absent = listed and account not in {name_of(a) for a in graph.snapshot.of("serviceaccounts")}
    if not lacks_pods(graph, workload) or not (said or absent) or (listed and not absent):
        return []
    evidence = [f"{workload.ref} wants {workload.wanted} pod(s) and has {len(workload.pods)}"]
    evidence += [f"{e.object_kind} {e.object_name}: {e.message}" for e in said[:1]]
    evidence += [f"no ServiceAccount {account} in namespace {graph.namespace}"] if absent else []
    return [
        Clue(
            "serviceaccount_missing",
            graph.known_as(workload),
            f"serviceaccount/{account}",
            tuple(evidence),
            workload_chain(graph, workload, f"pods refused: ServiceAccount {account} not found"),
            CONFIRMED if said and absent else OBSERVED,
            names=names(graph, workload),
            why=("the API server refuses the workload's pods",),
            fix_names={
                "serviceaccount": account,
                "namespace": graph.namespace,
                "workload": workload.ref,
            },
        )
    ]


def _quota(graph: Graph, name: str) -> dict[str, tuple[float, float, str, str]]:
    """resource -> (used, hard, used as written, hard as written) of one quota."""
    for quota in graph.snapshot.of("resourcequotas"):
        if name_of(quota) == name:
            status = quota.get("status") or {}
            hard, used = status.get("hard") or {}, status.get("used") or {}
            return {
                str(r): (quantity(used.get(r, 0)), quantity(h), str(used.get(r, 0)), str(h))
                for r, h in hard.items()
            }
    return {}


def quota_event_clues(graph: Graph) -> list[Clue]:
    """FailedCreate "exceeded quota" or a LimitRange, on workloads still short of pods."""
    by_quota: dict[str, tuple[list[Workload], EventFacts]] = {}
    for workload in graph.workloads.values():
        if not lacks_pods(graph, workload):
            continue
        for event in _refusals(graph, workload):
            found = _EXCEEDED.search(event.message)
            key = (
                found.group("quota")
                if found
                else ("limitrange" if _LIMIT_RANGE.search(event.message) else None)
            )
            if key is not None:
                by_quota.setdefault(key, ([], event))[0].append(workload)
                break
    clues = []
    for quota, (workloads, event) in by_quota.items():
        found = _EXCEEDED.search(event.message)
        requested = found.group("requested").strip() if found else ""
        ranges = [name_of(r) for r in graph.snapshot.of("limitranges")]
        resource = (
            f"resourcequota/{quota}"
            if found
            else f"limitrange/{ranges[0]}"
            if len(ranges) == 1
            else f"namespace/{graph.namespace}"
        )
        what = (
            f"quota {quota} is full ({requested} refused)"
            if found
            else "a LimitRange refuses the pods"
        )
        refused = ", ".join(w.ref for w in workloads)
        clues.append(
            Clue(
                "quota_refused_pods" if found else "limit_range_refused",
                f"namespace/{graph.namespace}",
                resource,
                (
                    f"{event.object_kind} {event.object_name}: {event.message}",
                    f"{refused} short of pods",
                ),
                (f"namespace/{graph.namespace}", what, f"{refused} cannot create pods"),
                CONFIRMED,
                affects=affected(graph, workloads),
                names=frozenset(n for w in workloads for n in names(graph, w)),
                why=("the API server refuses pods over the quota",),
                fix_names={
                    "namespace": graph.namespace,
                    "quota": quota,
                    "quota-resource": requested.partition("=")[0],
                },
            )
        )
    return clues


def _full(graph: Graph, kinds: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """(quota, resource, used, hard) of quotas full on one of these resources."""
    found = []
    for quota in graph.snapshot.of("resourcequotas"):
        for resource, (used, hard, used_text, hard_text) in _quota(graph, name_of(quota)).items():
            if resource in kinds and (used >= hard or resource == "requests.storage"):
                found.append((name_of(quota), resource, used_text, hard_text))
    return found


def quota_object_clues(graph: Graph) -> list[Clue]:
    """Quotas that refused what is not a pod: a Service or a claim never created."""
    return [
        clue
        for clue in (_service_quota_clue(graph), _storage_quota_clue(graph))
        if clue is not None
    ]


def _service_quota_clue(graph: Graph) -> Clue | None:
    """A full Service quota and a workload whose Service is missing."""
    if not graph.complete("services"):
        return None  # a Service not shown is not a Service missing
    declared = {name_of(s) for s in graph.declared}
    unserved = [
        w
        for w in graph.workloads.values()
        if w.kind != "Pod" and not w.services and graph.service(w.name) is None
    ]
    unserved.sort(key=lambda w: w.name not in declared)
    served = sum(1 for w in graph.workloads.values() if w.services)
    full = _full(graph, COUNTED["services"])
    if not (unserved and full and served):
        return None
    quota, resource, used, hard = full[0]
    refs = ", ".join(w.ref for w in unserved)
    return Clue(
        "quota_full_services",
        f"namespace/{graph.namespace}",
        f"resourcequota/{quota}",
        (
            f"quota {quota}: {resource} {used}/{hard}",
            f"{refs} has no Service",
            *(f"Service {n} is declared but not in the cluster" for n in sorted(declared)),
        ),
        (
            f"namespace/{graph.namespace}",
            f"quota {quota}: {resource} {used}/{hard}",
            f"no Service for {refs}",
        ),
        OBSERVED,
        affects=frozenset(f"service/{w.name}" for w in unserved),
        names=frozenset(w.name for w in unserved),
        why=("a full Service quota and a workload without its Service",),
        fix_names={"namespace": graph.namespace, "quota": quota, "quota-resource": resource},
    )


def _storage_quota_clue(graph: Graph) -> Clue | None:
    """A full storage quota and a claim that was never created."""
    missing = {m.group("claim") for e in graph.events if (m := _CLAIM_MISSING.search(e.message))}
    missing -= set(graph.claims)
    storage = _full(graph, COUNTED["persistentvolumeclaims"])
    if not (missing and storage):
        return None
    quota, resource, used, hard = storage[0]
    waiting = [
        w
        for w in graph.workloads.values()
        if any(
            v.get("persistentVolumeClaim", {}).get("claimName") in missing
            for v in w.spec.get("volumes") or []
        )
    ]
    claims = ", ".join(sorted(missing))
    return Clue(
        "quota_full_storage",
        f"namespace/{graph.namespace}",
        f"resourcequota/{quota}",
        (
            f"quota {quota}: {resource} {used}/{hard}",
            f"claim {claims} was never created (pods wait for it: not found)",
        ),
        (
            f"namespace/{graph.namespace}",
            f"quota {quota} on {resource}",
            f"claim {claims} missing",
        ),
        INFERRED + 0.1,
        affects=affected(graph, waiting),
        names=frozenset(n for w in waiting for n in names(graph, w)),
        why=("a storage quota and a claim that does not exist",),
        fix_names={
            "namespace": graph.namespace,
            "quota": quota,
            "quota-resource": resource,
            **({"claim": claims} if len(missing) == 1 else {}),
        },
    )


def check(graph: Graph) -> list[Clue]:
    clues = [c for w in graph.workloads.values() for c in service_account_clues(graph, w)]
    return [*clues, *quota_event_clues(graph), *quota_object_clues(graph)]
