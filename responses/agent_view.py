"""Build the agent view (`agent_models`) from a diagnosis, through the CLI's JSON view.

Every candidate starts as the `--json` dict of its finding (`responses.json_view`),
so a field the matcher adds there reaches agents too. Nothing is redacted here: a
diagnosis is made of text redacted where it came in (a paste, a cluster read). An
answer is the diagnosis' own (`Diagnosis.answer`); no answer is an abstain with its
reason: the close-call note (`intents.decision.rules`), or nothing at medium
confidence or more.
"""

from __future__ import annotations

from typing import Any

from intents.decision.explain import lost_to
from intents.decision.judgements import CLOSE_CALL_NOTE
from intents.policy import POLICY
from responses.agent_models import (
    Abstain,
    Answered,
    Candidate,
    DiagnoseResult,
    MatchErrorResult,
    Verdict,
)
from responses.answer_build import fix_steps
from responses.diagnosis import Diagnosis, Finding, Suspect, folded
from responses.json_view import diagnosis_to_dict, finding_to_dict

HEALTHY = "no problem found"
"""How every healthy note begins (a pod, a namespace, a node, a pasted kubectl output)."""


def match_why(view: dict[str, Any]) -> list[dict[str, str]]:
    """The decision's trace for one match (`why` of the JSON view: rule and effect per step)."""
    return [{"rule": step["rule"], "effect": step["effect"]} for step in view["why"]]


def verdict_of(finding: Finding, diagnosis: Diagnosis) -> Verdict:
    """Confirmed by facts read; refuted when a cluster was read in full and none of the
    entry's evidence rules held; otherwise unknown (a paste shows only part of the facts)."""
    if finding.confirmed:
        return "confirmed"
    if (
        diagnosis.cluster is not None
        and any(not rule.states for rule in finding.match.entry.evidence)
        and not diagnosis.gaps
    ):
        return "refuted"
    return "unknown"


def standing_of(finding: Finding, diagnosis: Diagnosis) -> str:
    """Why this candidate is the answer, or why it lost."""
    answers = diagnosis.answers
    if answers and finding is answers[0]:
        return f"the answer ({finding.match.confidence} confidence" + (
            ", confirmed)" if finding.confirmed else ")"
        )
    if finding in answers:
        return "another problem the same input shows"
    if folded(finding, answers):
        return f"a symptom of {', '.join(finding.because)}, named in that answer"
    if verdict_of(finding, diagnosis) == "refuted":
        return "refuted: the cluster was read in full and none of its evidence rules held"
    if answers:
        return f"lost to {answers[0].match.id}: {lost_to(finding, answers[0])}"
    return _not_answered(finding, diagnosis)


def _not_answered(finding: Finding, diagnosis: Diagnosis) -> str:
    """Why a candidate of a diagnosis without an answer was not answered."""
    close = next((note for note in diagnosis.notes if CLOSE_CALL_NOTE in note), None)
    if close is not None and finding.match.id in close:
        return f"held back: {close.removeprefix('not answered: ')}"
    return f"below medium confidence ({finding.match.score:.2f} < {POLICY.medium:.2f})"


def abstain_of(diagnosis: Diagnosis) -> Abstain | None:
    """None when the diagnosis answers (or says the input is healthy); else why not."""
    if diagnosis.answer is not None or healthy(diagnosis):
        return None
    close = next((note for note in diagnosis.notes if CLOSE_CALL_NOTE in note), None)
    if close is not None:
        return Abstain(reason="candidates too close", detail=close)
    if not diagnosis.findings:
        return Abstain(
            reason="no entry matched", detail="; ".join(diagnosis.notes) or "no catalog entry fits"
        )
    top = diagnosis.findings[0].match
    return Abstain(
        reason="no entry matched",
        detail=f"the closest, {top.id}, scored {top.score:.2f} "
        f"({top.confidence}); an answer needs medium confidence ({POLICY.medium:.2f}) or more",
    )


def healthy(diagnosis: Diagnosis) -> bool:
    return not diagnosis.findings and any(note.startswith(HEALTHY) for note in diagnosis.notes)


def _steps(finding: Finding, first: str | None = None) -> list[dict[str, str | None]]:
    """The fix steps best first, as every door shows them (`first`: a suspect's fix in the
    cluster's names, before the catalog's others)."""
    steps = fix_steps(finding)
    listed = [{"text": s.text, "command": s.command, "config": s.config} for s in steps]
    return [{"text": first, "command": None, "config": None}, *listed[1:]] if first else listed


def _candidate(view: dict[str, Any], finding: Finding, diagnosis: Diagnosis) -> dict[str, Any]:
    titles = view.get("link_titles") or {}
    return {
        **view,
        "fix": _steps(finding),
        "links": [{"url": url, "title": titles.get(url, url)} for url in view["links"]],
        "verdict": verdict_of(finding, diagnosis),
        "why": match_why(view),
        "standing": standing_of(finding, diagnosis),
    }


def _summary(
    outcome: str, answer: Candidate | None, abstain: Abstain | None, notes: list[str]
) -> str:
    if answer is not None and answer.standing.startswith(FIRST_SUSPECT):
        return (
            f"suspect: {answer.standing.removeprefix(FIRST_SUSPECT)}: {answer.id} ({answer.confidence}, "
            f"{answer.score:.2f}, {answer.verdict}): {answer.title}"
        )
    if answer is not None:
        return f"answer: {answer.id} ({answer.confidence}, {answer.score:.2f}, {answer.verdict}): {answer.title}"
    if abstain is not None:
        return f"abstain: {abstain.reason}: {abstain.detail}"
    return f"healthy: {notes[0] if notes else HEALTHY}"


def _answered(diagnosis: Diagnosis, view: dict[str, Any]) -> dict[str, Any]:
    """The fields every result shares, as plain JSON from the diagnosis' JSON view (`_typed` redacts it)."""
    candidates = [
        _candidate(match, finding, diagnosis)
        for match, finding in zip(view["matches"], diagnosis.findings, strict=True)
    ]
    abstain = abstain_of(diagnosis)
    answer = diagnosis.answer
    first = candidates[0] if answer is not None else None
    outcome = "answer" if answer is not None else "abstain" if abstain is not None else "healthy"
    return {
        "outcome": outcome,
        "answer": first,
        "runner_ups": candidates[1:] if first else candidates,
        "abstain": abstain.model_dump() if abstain else None,
        "notes": view["notes"],
    }


def _typed(cls: type[Answered], plain: dict[str, Any]) -> Any:
    """Type the plain view and add its one-line summary (a diagnosis is made of redacted text)."""
    done = cls.model_validate(plain)
    return done.model_copy(
        update={"summary": _summary(done.outcome, done.answer, done.abstain, done.notes)}
    )


def match_result(diagnosis: Diagnosis) -> MatchErrorResult:
    """`match_error`'s result for a pasted text's diagnosis."""
    result: MatchErrorResult = _typed(
        MatchErrorResult, {**_answered(diagnosis, diagnosis_to_dict(diagnosis)), "summary": ""}
    )
    return result


FIRST_SUSPECT = "the first suspect: "


def _suspect_candidate(suspect: Suspect) -> dict[str, Any]:
    """The first suspect as the answer: its catalog entry, the facts the walk read, its object."""
    view = finding_to_dict(suspect.finding)
    titles = view.get("link_titles") or {}
    return {
        **view,
        "fix": _steps(suspect.finding, suspect.fix),
        "links": [{"url": url, "title": titles.get(url, url)} for url in view["links"]],
        "verdict": "unknown" if suspect.indirect else "confirmed",
        "why": match_why(view),
        "standing": f"{FIRST_SUSPECT}{suspect.object} (change {suspect.resource})",
    }


def _led_by_suspect(plain: dict[str, Any], suspects: tuple[Suspect, ...]) -> dict[str, Any]:
    """A namespace or Service whose first suspect is high or medium: that suspect is the answer (a
    pod's own cause, if there was one, becomes the first runner-up)."""
    if not suspects or suspects[0].confidence not in ("high", "medium"):
        return plain
    before = plain["answer"]
    demoted = (
        [{**before, "standing": "a pod's own cause; the first suspect ranks above it"}]
        if before
        else []
    )
    return {
        **plain,
        "outcome": "answer",
        "answer": _suspect_candidate(suspects[0]),
        "abstain": None,
        "runner_ups": [*demoted, *plain["runner_ups"]],
    }


def diagnose_result(diagnosis: Diagnosis) -> DiagnoseResult:
    """`diagnose`'s result for a pod, namespace, Service or node."""
    view = diagnosis_to_dict(diagnosis)
    pods = [{**row, "unread": row["gaps"]} for row in view.get("pods", [])]
    plain = {
        **_answered(diagnosis, view),
        "summary": "",
        "subject": view["subject"],
        "cluster": view["cluster"],
        "pods": pods,
        "unread": view["gaps"],
        "counts": view.get("counts", {}),
    }
    if diagnosis.suspects is not None:
        plain = _led_by_suspect({**plain, "suspects": view["suspects"]}, diagnosis.suspects)
    result: DiagnoseResult = _typed(DiagnoseResult, plain)
    return result
