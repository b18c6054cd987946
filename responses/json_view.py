"""The JSON shape of a diagnosis (the contract's `--json` output), with the answer's fold: "short"
(the first screen) and "details" (what the Details control and --verbose show)."""

from __future__ import annotations

from typing import Any

from intents.checked import as_dict
from intents.decision.explain import lost_to
from intents.schema import CatalogEntry
from responses.answer_build import answer_view
from responses.diagnosis import Diagnosis, Finding, PodRow
from responses.redaction import already_redacted


def entry_fields(entry: CatalogEntry) -> dict[str, Any]:
    """What a catalog entry contributes to any JSON view of it."""
    return {
        "id": entry.id,
        "title": entry.title,
        "summary": entry.summary,
        "links": [link.url for link in entry.links],
        "link_titles": {link.url: link.title for link in entry.links},
        "sources": list(entry.sources),
        "tags": list(entry.tags),
        "pack": entry.pack,
        "origin": entry.origin,
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    match = finding.match
    return {
        **entry_fields(match.entry),
        "score": match.score,
        "confidence": match.confidence,
        "root_cause": match.entry.root_cause,
        "fix": [as_dict(step, exclude_none=True) for step in match.entry.fix],
        "evidence": list(finding.evidence),
        "confirmed": finding.confirmed,
        "text_score": finding.text_score,
        "because": list(finding.because),
        "why": [{"rule": step.rule, "effect": step.effect} for step in match.why],
        "matched": [
            {
                "line": line.line,
                "symptom": line.symptom,
                "score": line.score,
                "kind": str(line.kind),
            }
            for line in match.matched
        ],
    }


def pod_row_to_dict(row: PodRow) -> dict[str, Any]:
    """One pod of a namespace or node diagnosis; "cause" is its top finding, if any."""
    finding = row.finding
    return {
        "pod": row.pod,
        "status": row.status,
        "severity": row.severity,
        "diagnosed": row.diagnosed,
        "cause": finding.match.id if finding else None,
        "confidence": finding.match.confidence if finding else None,
        "evidence": list(finding.evidence) if finding else [],
        "gaps": list(row.gaps),
        "history": row.history,
    }


def diagnosis_to_dict(diagnosis: Diagnosis) -> dict[str, Any]:
    answer = diagnosis.answer
    extra: dict[str, Any] = {}
    if diagnosis.pods or diagnosis.counts:
        extra = {
            "pods": [pod_row_to_dict(row) for row in diagnosis.pods],
            "counts": dict(diagnosis.counts),
        }
    if diagnosis.suspects is not None:
        extra["suspects"] = [suspect.to_dict() for suspect in diagnosis.suspects]
    return (
        {
            "subject": diagnosis.subject,
            "cluster": diagnosis.cluster,
            "answer": answer.match.id if answer else None,
            "answers": [finding.match.id for finding in diagnosis.answers],
            "matches": [
                _with_loss(finding_to_dict(finding), finding, answer)
                for finding in diagnosis.findings
            ],
            "gaps": list(diagnosis.gaps),
            "notes": list(diagnosis.notes),
        }
        | extra
        | answer_view(diagnosis).to_dict()
    )


def _with_loss(view: dict[str, Any], finding: Finding, answer: Finding | None) -> dict[str, Any]:
    """A match that is not the answer says why it lost to it."""
    if answer is not None and finding is not answer:
        view["lost"] = lost_to(finding, answer)
    return view


CATALOG_TEXTS = ("summary", "root_cause", "fix", "sources", "tags")
"""Fields a catalog id brings back from the catalog: not worth storing with every diagnosis."""


def diagnosis_record_dict(diagnosis: Diagnosis) -> dict[str, Any]:
    """What the store keeps of a diagnosis: the JSON view without the catalog's own texts.

    The ids, titles, links, scores, evidence and matched lines stay (the summary, "show other
    matches" and `kubemedic stats` read them), and so do the answer's folded "details" (a Details
    click posts them, in the names and facts of the moment it was answered). Its strings are
    marked `Redacted`: a diagnosis is made of redacted text (every entry point takes it) and the
    bot's own words, so the store writes it without a second pass."""
    view = diagnosis_to_dict(diagnosis)
    view["matches"] = [
        {key: value for key, value in match.items() if key not in CATALOG_TEXTS}
        for match in view["matches"]
    ]
    view["headline"] = view.pop("short")[
        "headline"
    ]  # the Details click needs only the title of the first screen
    marked: dict[str, Any] = already_redacted(view)
    return marked
