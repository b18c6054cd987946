"""Terminal rendering of a diagnosis: what an engineer reads in a shell."""

from __future__ import annotations

import textwrap

from intents.decision.explain import lost_to, why_line
from responses.diagnosis import Diagnosis, Finding, PodRow
from responses.messages import in_full

WIDTH = 88


def _wrap(text: str, indent: str = "  ", hanging: str | None = None) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), WIDTH, initial_indent=indent,
                         subsequent_indent=indent if hanging is None else hanging)


def _finding_lines(finding: Finding, chain: str | None = None) -> list[str]:
    match = finding.match
    entry = match.entry
    lines = [f"{entry.title}", f"  [{entry.id}]  confidence: {match.confidence} ({match.score:.2f})",
             *_wrap(f"why: {why_line(finding)}", "  ")]
    if chain:
        lines.extend(_wrap(chain))
    lines.append("")
    if finding.evidence:
        lines.append("Confirmed by:")
        lines.extend(f"  - {fact}" for fact in finding.evidence)
        lines.append("")
    lines.append("Root cause:")
    lines.extend(_wrap(entry.root_cause))
    lines += ["", "Fix:"]
    for number, step in enumerate(entry.fix, start=1):
        lines.extend(_wrap(f"{number}. {step.text}"))
        for block in (step.command, step.config):
            if block:
                lines.extend(f"       {row}" for row in block.rstrip().splitlines())
    lines += ["", "Links:"]
    lines.extend(f"  - {link.title}: {link.url}" for link in entry.links)
    if match.matched:
        lines += ["", "Matched:"]
        for line in match.matched[:2]:
            lines.extend(_wrap(f"> {line.line}  (score {line.score:.2f})", "  "))
    return lines


def _pod_table(rows: tuple[PodRow, ...]) -> list[str]:
    width = max(len(row.pod) for row in rows)
    status = max(len(row.status) for row in rows)
    lines = [f"{'POD':<{width}}  {'STATUS':<{status}}  CAUSE"]
    for row in rows:
        cause = "(not diagnosed in depth)" if not row.diagnosed else "-"
        if row.finding is not None:
            cause = f"{row.finding.match.id} ({row.finding.match.confidence})"
        lines.append(f"{row.pod:<{width}}  {row.status:<{status}}  {cause}")
    return lines


def render_many(diagnosis: Diagnosis) -> str:
    """A namespace or node diagnosis: a table of unhealthy pods, then the top cause in full."""
    lines = [f"Cluster: {diagnosis.cluster}"] if diagnosis.cluster else []
    lines.append(f"Diagnosis of {diagnosis.subject}")
    lines.extend(diagnosis.notes)
    if diagnosis.pods:
        lines += ["", *_pod_table(diagnosis.pods)]
    if diagnosis.counts:
        lines += ["", "Pods by status: " + ", ".join(f"{k} {v}" for k, v in diagnosis.counts)]
    if diagnosis.answer is not None:
        lines += ["", in_full(diagnosis.answer_pod, diagnosis.subject), "",
                  *_finding_lines(diagnosis.answer, diagnosis.chain(diagnosis.answer))]
    lines.extend(f"Evidence gap: {gap}" for gap in diagnosis.gaps)
    return "\n".join(lines) + "\n"


def render_text(diagnosis: Diagnosis) -> str:
    """The whole diagnosis as plain text."""
    if diagnosis.pods or diagnosis.counts:
        return render_many(diagnosis)
    lines: list[str] = []
    if diagnosis.cluster:
        lines.append(f"Cluster: {diagnosis.cluster}")
    answer = diagnosis.answer
    if answer is None and not diagnosis.findings and diagnosis.notes:
        lines.extend(diagnosis.notes)
        lines.extend(f"Evidence gap: {gap}" for gap in diagnosis.gaps)
        return "\n".join(lines) + "\n"
    problems = diagnosis.answers
    if answer is None:
        lines.append(f"No confident match for {diagnosis.subject}.")
    elif len(problems) == 1:
        lines.extend(_finding_lines(answer, diagnosis.chain(answer)))
    else:
        lines.append(f"{len(problems)} problems found:")
        for number, finding in enumerate(problems, start=1):
            lines += ["", f"Problem {number} of {len(problems)}: {finding.match.entry.title}", ""]
            lines.extend(_finding_lines(finding, diagnosis.chain(finding)))
    others = diagnosis.others
    if others:
        lines += ["", "Other possible matches:" if answer else "Closest (low confidence):"]
        for f in others:
            lost = f" — {lost_to(f, answer)}" if answer else ""
            lines.extend(_wrap(f"- {f.match.id}: {f.match.entry.title} ({f.match.confidence}, "
                               f"{f.match.score:.2f}){lost}", "  ", "    "))
    for gap in diagnosis.gaps:
        lines.append(f"Evidence gap: {gap}")
    lines.extend(diagnosis.notes)
    return "\n".join(lines) + "\n"
