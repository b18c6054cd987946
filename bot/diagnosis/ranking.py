"""Rank causes: what the cluster confirms beats what the text only suggests.

Groups, best first (inside a group, a text-matched entry comes before one
that is not, then the more specific confirming rule, then higher score,
then more evidence):
0. specific entries confirmed by the pod's own facts (containers, events,
   volumes, services),
1. catch-all (fallback) entries confirmed that way: crashloop-backoff holds
   for every crash-looping pod, so it yields to a specific confirmed cause,
2. entries confirmed only by the surroundings (the node's conditions, the
   owner): true, but not necessarily why this pod fails,
3. entries the text matched with medium or high confidence,
4. the rest.

Confidence is adjusted explicitly: evidence alone is worth at least
"medium"; evidence plus a medium text match is worth at least "high".  A
text-only match for an entry whose evidence rules were all checked and none
held (no gaps) is contradicted by the cluster and drops to "low".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from bot.evidence.rules import Confirmation
from intents.results import HIGH_CONFIDENCE, MEDIUM_CONFIDENCE, Match
from intents.schema import CatalogEntry
from responses.diagnosis import Finding

CONTRADICTED_CAP = 0.49


def adjusted_score(text_score: float | None, *, confirmed: bool, contradicted: bool = False) -> float:
    """The score a finding is shown and ranked with."""
    if not confirmed:
        score = text_score or 0.0
        return min(score, CONTRADICTED_CAP) if contradicted else score
    if text_score is not None and text_score >= MEDIUM_CONFIDENCE:
        return max(text_score, HIGH_CONFIDENCE)
    return max(text_score or 0.0, MEDIUM_CONFIDENCE)


def group(finding: Finding, confirmation: Confirmation) -> int:
    """The ranking group (0 best) described in the module docstring."""
    if confirmation:
        if not confirmation.direct:
            return 2
        return 1 if finding.match.entry.fallback else 0
    return 3 if finding.match.score >= MEDIUM_CONFIDENCE else 4


def combine(
    matches: Iterable[Match], confirmations: Mapping[str, Confirmation],
    entries: Mapping[str, CatalogEntry], *, top: int = 3, complete: bool = True,
    contradicted: Collection[str] | None = None,
) -> list[Finding]:
    """Every confirmed entry, then the best text-only matches, up to `top` in all.

    `complete` says every collector succeeded, so a rule that did not hold
    really is false (and may contradict a text match).  `contradicted`, when
    given, names exactly the entries the facts contradict instead (a paste
    shows only part of the facts).
    """
    by_id = {match.id: match for match in matches}
    order = {entry_id: position for position, entry_id in enumerate(by_id)}
    ranked = []
    for entry_id in sorted(set(by_id) | {k for k, v in confirmations.items() if v}):
        text, confirmation = by_id.get(entry_id), confirmations.get(entry_id, Confirmation())
        entry = entries[entry_id]
        refuted = (entry_id in contradicted if contradicted is not None
                   else complete and bool(entry.evidence) and not confirmation)
        text_score = text.score if text else None
        score = adjusted_score(text_score, confirmed=bool(confirmation), contradicted=refuted)
        finding = Finding(Match(entry, round(score, 3), text.matched if text else ()),
                          confirmation.evidence, text_score)
        matched = (text_score or 0.0) >= MEDIUM_CONFIDENCE
        key = (group(finding, confirmation), not matched, -confirmation.strength, -score,
               -len(confirmation.evidence), order.get(entry_id, len(order)), entry_id)
        ranked.append((key, finding))
    ranked.sort(key=lambda item: item[0])
    findings = [finding for _key, finding in ranked]
    confirmed = sum(1 for finding in findings if finding.confirmed)
    return findings[: max(top, confirmed)]
