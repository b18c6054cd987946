"""A Diagnosis as a Slack Block Kit message: the answer's first screen, and its details.

The reply shows what the AnswerView puts first (responses.answer_build): the
cause, its facts, the one fix and why, about a dozen lines. Block Kit has no
collapsible section, so the rest sits behind a "Details" button whose click
posts `details_blocks` in the thread (bot.answering.flow).

Slack rejects a whole message when one limit is broken (50 blocks, 3000
chars per section, 150 per header), and pasted logs can be any size, so
the limits are enforced here rather than hoped for: blocks are plain
dicts built within Slack's limits (tests/responses check them against
slack_sdk's models, which validate every limit), texts are clipped as
they are made, and when the message is still too large the least
important parts (matched lines, links, notes) are shrunk or left out
first, and the message says so. A part's shorter levels are
rendered only when the message needs them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from responses import messages
from responses.answer_blocks import (
    another,
    details_parts,
    facts,
    fix,
    head,
    notes,
    pods,
    rivals,
    where,
)
from responses.answer_build import answer_view
from responses.answer_view import AnswerView, Details
from responses.block_notices import MAX_BLOCKS, SeenInfo, seen_block
from responses.block_parts import (
    Part,
    context,
    fixed,
    header,
    section,
)
from responses.buttons import ButtonSpec, button_rows
from responses.diagnosis import Diagnosis
from responses.mrkdwn import clip, escape, safe
from responses.suspect_blocks import suspect_details, suspect_fallback, suspect_parts

__all__ = ["details_blocks", "diagnosis_blocks", "fallback_text"]

MAX_MESSAGE_BYTES = 30_000
"""Budget for the blocks' JSON; Slack's ceiling is about 40 KB per message."""
FALLBACK_LIMIT = 3000


def diagnosis_blocks(
    diagnosis: Diagnosis,
    *,
    buttons: Sequence[ButtonSpec] = (),
    show_others: bool = True,
    seen: SeenInfo | None = None,
) -> list[dict[str, Any]]:
    """The reply's first screen as block dicts, within Slack's limits for any input: the cause, its
    facts, the one fix and why; the rest waits behind the Details button (among `buttons`)."""
    fix_row, feedback_row = button_rows(buttons)
    view = answer_view(diagnosis)
    parts = _parts(view, show_others=show_others, fix_row=fixed(*fix_row))
    if view.preface:
        parts.insert(1, fixed(context(safe(view.preface, 500))))
    if seen is not None:
        parts.insert(1, fixed(seen_block(seen.count, seen.last_seen)))
    return _fit(parts, tail=feedback_row)


def details_blocks(details: Details, *, title: str) -> list[dict[str, Any]]:
    """What the Details button posts in the thread: every folded part, within Slack's limits."""
    lead = fixed(section(messages.details_of(safe(title, 300))))
    suspects = suspect_details(details.suspects)
    return _fit([lead, *_present(suspects), *details_parts(details)], tail=[])


def _present(*parts: Part | None) -> list[Part]:
    return [part for part in parts if part is not None]


def _parts(view: AnswerView, *, show_others: bool, fix_row: Part) -> list[Part]:
    if view.state == "overview":
        return _overview_parts(view, fix_row=fix_row)
    if not view.problems:
        return _no_answer_parts(view, show_others=show_others) + [fix_row]
    return _problem_parts(view, fix_row=fix_row, as_header=True)


def _problem_parts(view: AnswerView, *, fix_row: Part, as_header: bool) -> list[Part]:
    first, *more = view.problems
    parts = [head(first, view, as_header=as_header), *_present(facts(first), fix(first)), fix_row]
    for number, problem in enumerate(more, start=2):
        parts += another(problem, number, len(view.problems))
    return parts


def _no_answer_parts(view: AnswerView, *, show_others: bool) -> list[Part]:
    title = messages.no_problem if view.state == "healthy" else messages.no_confident_match
    parts = [fixed(header(title(view.subject)), context(*where(view)))]
    if view.state != "healthy":
        parts.append(fixed(section(messages.no_match_detail())))
    closest = rivals(view.closest, messages.CLOSEST) if show_others else None
    unread = notes(view.unread, label=f"⚠️ {messages.COULD_NOT_READ}", priority=2)
    return parts + _present(notes(view.notes), unread, closest)


def _overview_parts(view: AnswerView, *, fix_row: Part) -> list[Part]:
    """A namespace or node: its pods with their causes, then the top cause's first screen; a walked
    namespace or Service leads with its suspects (the object most likely at fault first)."""
    overview = view.overview
    head_part = [fixed(header(messages.many_title(view.subject)), context(*where(view)))]
    kept = list(view.notes)
    if view.suspects:
        head_part += suspect_parts(view)
        kept = messages.beside_suspects(view.notes)
    rows = (
        pods(overview.pods, overview.counts, more=overview.more) if overview is not None else None
    )
    parts = [*head_part, *_present(notes(kept), rows)]
    if not view.problems or overview is None or overview.in_full is None:
        unread = notes(view.unread, label=f"⚠️ {messages.COULD_NOT_READ}", priority=2)
        return parts + _present(unread) + [fix_row]
    lead = fixed(context(safe(overview.in_full, 300)))
    return [*parts, lead, *_problem_parts(view, fix_row=fix_row, as_header=False)]


def _size(blocks: Sequence[dict[str, Any]]) -> int:
    return len(json.dumps(blocks, ensure_ascii=False).encode()) if blocks else 0


class _Levels:
    """Each part at its chosen level of detail (0: whole), each level rendered and sized once."""

    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts
        self.rendered: list[dict[int, tuple[dict[str, Any], ...]]] = [{} for _ in parts]
        self.sizes: list[dict[int, int]] = [{} for _ in parts]
        self.chosen = [0] * len(parts)

    def level(self, i: int) -> tuple[dict[str, Any], ...]:
        n = self.chosen[i]
        if n not in self.rendered[i]:
            self.rendered[i][n] = self.parts[i].render(n)
        return self.rendered[i][n]

    def size(self, i: int) -> int:
        n = self.chosen[i]
        if n not in self.sizes[i]:
            self.sizes[i][n] = _size(self.level(i))
        return self.sizes[i][n]

    def over(self, reserve_blocks: int, reserve_bytes: int) -> bool:
        """Too many blocks or bytes, with room kept for what follows the parts."""
        count = range(len(self.parts))
        if sum(len(self.level(i)) for i in count) + reserve_blocks > MAX_BLOCKS:
            return True
        return sum(self.size(i) for i in count) + reserve_bytes > MAX_MESSAGE_BYTES

    def shrink(self) -> bool:
        """Shrink the lowest-priority part that can shrink a level; False when none can."""
        shrinkable = [
            i
            for i, part in enumerate(self.parts)
            if part.priority and self.chosen[i] + 1 < part.count
        ]
        if not shrinkable:
            return False
        self.chosen[max(shrinkable, key=lambda i: (self.parts[i].priority, i))] += 1
        return True


def _fit(parts: list[Part], *, tail: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shrink the lowest-priority parts a level at a time until blocks and bytes fit."""
    levels = _Levels(parts)
    level, chosen = levels.level, levels.chosen
    reserve_blocks, reserve_bytes = len(tail) + 1, _size(tail) + 600  # + the "shortened" note
    while levels.over(reserve_blocks, reserve_bytes) and levels.shrink():
        pass
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
    view = answer_view(diagnosis)
    if view.suspects:
        text = messages.many_title(diagnosis.subject) + where_ + suspect_fallback(view.suspects)
    elif diagnosis.pods or diagnosis.counts:
        text = messages.many_title(diagnosis.subject) + where_
        if answer is not None:
            text += f": top cause {answer.match.entry.title} (`{answer.match.id}`)"
    elif answer is not None:
        match = answer.match
        text = (
            f"{match.entry.title} (`{match.id}`, {messages.confidence(match.confidence)})"
            f" — {diagnosis.subject}{where_}"
        )
    elif view.state == "healthy":
        text = messages.no_problem(diagnosis.subject) + where_
    else:
        text = messages.no_confident_match(diagnosis.subject) + where_
    return clip(escape(text[:20_000]), FALLBACK_LIMIT)
