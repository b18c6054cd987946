"""Rank causes: what the cluster confirms beats what the text only suggests.

Groups, best first (inside a group, a text-matched entry comes before one
that is not, then the more specific confirming rule, then higher score,
then more evidence):
0. specific entries confirmed by the pod's own facts (containers, events,
   volumes, services),
1. catch-all (fallback) entries confirmed that way: crashloop-backoff holds
   for every crash-looping pod, so it yields to a specific cause confirmed
   on the same pod (on another pasted pod it stays in group 0),
2. entries confirmed only by the surroundings (the node's conditions, the
   owner): true, but not necessarily why this pod fails,
3. entries the text matched with medium or high confidence,
4. the rest.

Then causes go above symptoms (intents.causality): an entry confirmed, or
matched with high confidence, that explains a symptom entry found (the CNI
plugin not initialised explains Node NotReady) is placed just before it,
and the symptom's finding names it under `because`.

Confidence is adjusted explicitly: evidence alone is worth at least
"medium"; evidence plus a medium text match is worth at least "high".  A
text-only match for an entry whose evidence rules were all checked and none
held (no gaps) is contradicted by the cluster and drops to "low".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from bot.evidence.rules import Confirmation
from intents.advice import SeenContext, advice_for
from intents.causality import CausalGraph, declared_order, lead_with_causes
from intents.policy import POLICY
from intents.results import Match
from intents.schema import CatalogEntry
from responses.diagnosis import Finding, folded


def adjusted_score(text_score: float | None, *, confirmed: bool, contradicted: bool = False) -> float:
    """The score a finding is shown and ranked with."""
    if not confirmed:
        score = text_score or 0.0
        return min(score, POLICY.quiet_score) if contradicted else score
    if text_score is not None and text_score >= POLICY.medium:
        return max(text_score, POLICY.high)
    return max(text_score or 0.0, POLICY.medium)


def group(finding: Finding, confirmation: Confirmation, specific_on: frozenset[str]) -> int:
    """The ranking group (0 best) described in the module docstring. A catch-all confirmed on
    pasted objects yields only to a specific entry confirmed on one of the same objects
    (`specific_on`): an old Evicted pod in a `kubectl get pods` list is no cause of another
    pod's crash loop."""
    if confirmation:
        if not confirmation.direct:
            return 2
        if not finding.match.entry.fallback:
            return 0
        shares = not confirmation.subjects or bool(confirmation.subjects & specific_on)
        return 1 if shares else 0
    return 3 if finding.match.score >= POLICY.medium else 4


def combine(
    matches: Iterable[Match], confirmations: Mapping[str, Confirmation],
    entries: Mapping[str, CatalogEntry], *, top: int = 3, complete: bool = True,
    contradicted: Collection[str] | None = None, graph: CausalGraph | None = None,
    seen: SeenContext | None = None,
) -> list[Finding]:
    """Every confirmed entry, then the best text-only matches, up to `top` in all.

    `complete` says every collector succeeded, so a rule that did not hold
    really is false (and may contradict a text match).  `contradicted`, when
    given, names exactly the entries the facts contradict instead (a paste
    shows only part of the facts).  `graph` is the catalog's causes (built from
    `entries` when not given).  Each finding's entry keeps only the product-specific
    advice whose context `seen` meets (none when nothing was seen).
    """
    seen = seen if seen is not None else SeenContext()
    by_id = {match.id: match for match in matches}
    order = {entry_id: position for position, entry_id in enumerate(by_id)}
    # the pasted objects a specific entry's rule held on (`subjects` holds only direct holds)
    specific_on = frozenset().union(*(confirmation.subjects for entry_id, confirmation in confirmations.items()
                                      if not entries[entry_id].fallback))
    ranked = []
    for entry_id in sorted(set(by_id) | {k for k, v in confirmations.items() if v}):
        text, confirmation = by_id.get(entry_id), confirmations.get(entry_id, Confirmation())
        entry = entries[entry_id]
        refuted = (entry_id in contradicted if contradicted is not None
                   else complete and bool(entry.evidence) and not confirmation)
        text_score = text.score if text else None
        score = adjusted_score(text_score, confirmed=bool(confirmation), contradicted=refuted)
        finding = Finding(Match(advice_for(entry, seen), round(score, 3), text.matched if text else (),
                                context_missing=bool(text and text.context_missing and not confirmation)),
                          confirmation.evidence, text_score)
        matched = (text_score or 0.0) >= POLICY.medium
        key = (group(finding, confirmation, specific_on), not matched, -confirmation.strength, -score,
               -len(confirmation.evidence), order.get(entry_id, len(order)), entry_id)
        ranked.append((key, finding))
    ranked.sort(key=lambda item: item[0])
    findings = in_declared_order(causes_first([finding for _key, finding in ranked],
                                           graph if graph is not None else CausalGraph.of(entries.values())))
    confirmed = sum(1 for finding in findings if finding.confirmed)
    return within_slots(findings, max(top, confirmed))


def within_slots(findings: Sequence[Finding], top: int) -> list[Finding]:
    """The first `top` problems; a symptom whose `because` names a cause kept before it comes
    along without taking a slot (the answer names it in its chain, "CrashLoopBackOff because:
    ..."), so a symptom never pushes an independent problem out of the list."""
    kept: list[Finding] = []
    slots = 0
    for finding in findings:
        if not folded(finding, kept):
            if slots >= top:
                continue
            slots += 1
        kept.append(finding)
    return kept


def causes_first(findings: list[Finding], graph: CausalGraph) -> list[Finding]:
    """Each cause found just before the symptom it explains, named in the symptom's `because`.

    A cause counts as found when the cluster (or the paste's kubectl output) confirms it, or
    the text matched it with high confidence: a medium text guess does not displace a symptom.
    """
    ordered = lead_with_causes(findings, graph, id_of=lambda finding: finding.match.id,
                               present=_found, stated=_stated)
    return [replace(finding, because=because) if because else finding for finding, because in ordered]


def in_declared_order(findings: list[Finding]) -> list[Finding]:
    """The catalog's pairwise order (`outranks`) kept after the causes moved: an entry that
    outranks another shown ahead of it, at no lower score and no weaker standing (confirmed
    when the other is), moves just ahead of it. Putting a cause before its symptom must not
    undo it: a 503 from an aggregated API still leads the missing resource type it explains."""
    return declared_order(findings, lambda finding: finding.match.entry.outranks,
                          key_of=lambda finding: finding.match.id, may_lead=_may_lead)


def _may_lead(finding: Finding, other: Finding) -> bool:
    return finding.match.score >= other.match.score and (finding.confirmed or not other.confirmed)


def _stated(finding: Finding) -> bool:
    """The symptom itself is shown: confirmed, or matched at medium confidence or more."""
    return finding.confirmed or finding.match.score >= POLICY.medium


def _found(finding: Finding) -> bool:
    return finding.confirmed or finding.match.score >= POLICY.high
