"""A Diagnosis as a Slack Block Kit message.

Slack rejects a whole message when one limit is broken (50 blocks, 3000
chars per section, 150 per header), and pasted logs can be any size, so
the limits are enforced here rather than hoped for: blocks are plain
dicts built within Slack's limits (tests/responses check them against
slack_sdk's models, which validate every limit), texts are clipped as
they are made, and when the message is still too large the least
important parts (other matches, matched lines, links, notes) are shrunk
or left out first, and the reply says so. A part's shorter levels are
rendered only when the message needs them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from responses import messages
from responses.block_notices import (
    MAX_BLOCKS,
    Outcome,
    SeenInfo,
    ephemeral_refusal,
    error_blocks,
    expired_action,
    outcome_blocks,
    progress_blocks,
    seen_block,
    seen_note,
    usage_blocks,
    with_seen_note,
)
from responses.block_parts import (
    Part,
    context,
    divider,
    evidence,
    finding_head,
    fix,
    fixed,
    gaps,
    header,
    is_healthy,
    links,
    notes,
    others,
    pods,
    root_cause,
    section,
    where,
    why,
)
from responses.buttons import (
    ButtonSpec,
    ConfirmSpec,
    button_rows,
    feedback_buttons,
    remediation_button,
)
from responses.diagnosis import Diagnosis, Finding
from responses.mrkdwn import clip, escape, safe
from responses.redact import redact

__all__ = [
    "ButtonSpec", "ConfirmSpec", "Outcome", "SeenInfo", "diagnosis_blocks", "ephemeral_refusal",
    "error_blocks", "expired_action", "fallback_text", "feedback_buttons", "outcome_blocks",
    "progress_blocks", "remediation_button", "seen_note", "usage_blocks", "with_seen_note",
]

MAX_MESSAGE_BYTES = 30_000
"""Budget for the blocks' JSON; Slack's ceiling is about 40 KB per message."""
FALLBACK_LIMIT = 3000


def diagnosis_blocks(
    diagnosis: Diagnosis, *, buttons: Sequence[ButtonSpec] = (), show_others: bool = True,
    seen: SeenInfo | None = None,
) -> list[dict[str, Any]]:
    """The whole reply as block dicts, within Slack's limits for any input."""
    fix_row, feedback_row = button_rows(buttons)
    parts = _parts(diagnosis, show_others=show_others, fix_row=fixed(*fix_row))
    if seen is not None:
        parts.insert(1, fixed(seen_block(seen.count, seen.last_seen)))
    return _fit(parts, tail=feedback_row)


def _parts(diagnosis: Diagnosis, *, show_others: bool, fix_row: Part) -> list[Part]:
    answer = diagnosis.answer
    if diagnosis.pods or diagnosis.counts:
        return _many_parts(diagnosis, fix_row=fix_row)
    if answer is None:
        return _no_answer_parts(diagnosis, show_others=show_others) + [fix_row]
    problems = diagnosis.answers
    rest = diagnosis.others
    parts = _finding_parts(answer, diagnosis, as_header=True, fix_row=fix_row)
    for number, finding in enumerate(problems[1:], start=2):
        # one section per further independent problem, its own root cause and fix
        parts += [fixed(divider(), section(messages.another_problem(number, len(problems)))),
                  *_present(finding_head(finding, diagnosis, as_header=False), root_cause(finding.match.entry),
                            evidence(finding), fix(finding.match.entry), links(finding.match.entry))]
    return [
        *parts,
        *_present(others(rest, messages.OTHERS, answer) if show_others else None, notes(diagnosis.notes)),
    ]


def _present(*parts: Part | None) -> list[Part]:
    return [part for part in parts if part is not None]


def _finding_parts(finding: Finding, diagnosis: Diagnosis, *, as_header: bool,
                   fix_row: Part) -> list[Part]:
    entry = finding.match.entry
    return _present(finding_head(finding, diagnosis, as_header=as_header), root_cause(entry),
                    evidence(finding), gaps(diagnosis), fix(entry), fix_row, links(entry),
                    why(finding))


def _no_answer_parts(diagnosis: Diagnosis, *, show_others: bool) -> list[Part]:
    healthy = is_healthy(diagnosis)
    title = messages.no_problem if healthy else messages.no_confident_match
    parts = [fixed(header(title(diagnosis.subject)), context(*where(diagnosis)))]
    if not healthy:
        parts.append(fixed(section(messages.no_match_detail())))
    closest = others(diagnosis.findings, messages.CLOSEST) if show_others else None
    return parts + _present(notes(diagnosis.notes), gaps(diagnosis), closest)


def _many_parts(diagnosis: Diagnosis, *, fix_row: Part) -> list[Part]:
    """A namespace or node: its pods with their causes, then the top cause in full."""
    head = fixed(header(messages.many_title(diagnosis.subject)), context(*where(diagnosis)))
    parts = [head, *_present(notes(diagnosis.notes), pods(diagnosis))]
    if diagnosis.answer is None:
        return parts + _present(gaps(diagnosis)) + [fix_row]
    lead = fixed(context(safe(messages.in_full(diagnosis.answer_pod, diagnosis.subject), 300)))
    return [*parts, lead, *_finding_parts(diagnosis.answer, diagnosis, as_header=False, fix_row=fix_row)]


def _size(blocks: Sequence[dict[str, Any]]) -> int:
    return len(json.dumps(blocks, ensure_ascii=False).encode()) if blocks else 0


def _fit(parts: list[Part], *, tail: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shrink the lowest-priority parts a level at a time until blocks and bytes fit."""
    rendered: list[dict[int, tuple[dict[str, Any], ...]]] = [{} for _ in parts]
    sizes: list[dict[int, int]] = [{} for _ in parts]
    chosen = [0] * len(parts)
    reserve_blocks, reserve_bytes = len(tail) + 1, _size(tail) + 600  # + the "shortened" note

    def level(i: int) -> tuple[dict[str, Any], ...]:
        n = chosen[i]
        if n not in rendered[i]:
            rendered[i][n] = parts[i].render(n)
        return rendered[i][n]

    def size(i: int) -> int:
        n = chosen[i]
        if n not in sizes[i]:
            sizes[i][n] = _size(level(i))
        return sizes[i][n]

    def over() -> bool:
        if sum(len(level(i)) for i in range(len(parts))) + reserve_blocks > MAX_BLOCKS:
            return True
        return sum(size(i) for i in range(len(parts))) + reserve_bytes > MAX_MESSAGE_BYTES

    while over():
        shrinkable = [i for i, part in enumerate(parts) if part.priority and chosen[i] + 1 < part.count]
        if not shrinkable:
            break
        victim = max(shrinkable, key=lambda i: (parts[i].priority, i))
        chosen[victim] += 1
    blocks = [block for i in range(len(parts)) for block in level(i)]
    shrunk = [_shrunk(parts[i], level(i)) for i in range(len(parts)) if chosen[i]]
    if shrunk:
        blocks.append(context(messages.trimmed(shrunk)))
    blocks += tail
    if len(blocks) > MAX_BLOCKS:
        raise RuntimeError(f"diagnosis rendered to {len(blocks)} blocks (limit {MAX_BLOCKS})")
    return blocks


def _shrunk(part: Part, level: Sequence[dict[str, Any]]) -> str:
    return f"{part.name} left out" if not level else f"{part.name} shortened"


def fallback_text(diagnosis: Diagnosis) -> str:
    """The plain `text` of the message (notifications, screen readers); names the catalog id."""
    answer = diagnosis.answer
    where_ = f" in cluster {diagnosis.cluster}" if diagnosis.cluster else ""
    if diagnosis.pods or diagnosis.counts:
        text = messages.many_title(diagnosis.subject) + where_
        if answer is not None:
            text += f": top cause {answer.match.entry.title} (`{answer.match.id}`)"
    elif answer is not None:
        match = answer.match
        text = (f"{match.entry.title} (`{match.id}`, {messages.confidence(match.confidence)})"
                f" — {diagnosis.subject}{where_}")
    elif is_healthy(diagnosis):
        text = messages.no_problem(diagnosis.subject) + where_
    else:
        text = messages.no_confident_match(diagnosis.subject) + where_
    return clip(escape(redact(text[:20_000])), FALLBACK_LIMIT)
