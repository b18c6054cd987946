"""Block Kit for asking: "Is it one of these?", "which one?", and what a choice leaves behind.

The pasted line that matched is quoted once, under the lead; each candidate is a section (its
title, its catalog id, its own line only when another line matched it, and the one-line why)
with its own button; the buttons' action_ids are `choose_1`... and `choose_none`, and
every button's value is the stored question's opaque id, nothing else. Texts from the paste
are redacted and escaped (responses.mrkdwn) and clipped to Slack's limits here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from responses import ask_messages as say
from responses.buttons import ButtonSpec, button
from responses.mrkdwn import inline_code, safe

CHOOSE_PREFIX = "choose"
CHOOSE_NONE = "choose_none"
UNDO_CHOICE = "undo_choice"
QUESTION_BLOCK = "question"
SECTION_LIMIT = 3000
LINE_LIMIT = 300
WHY_LIMIT = 400
TITLE_LIMIT = 150

Block = dict[str, Any]


class Offered(Protocol):
    """A candidate as the question shows it (bot.answering.candidates.Candidate)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def line(self) -> str: ...
    @property
    def why(self) -> str: ...


def choose_action(number: int) -> str:
    return f"{CHOOSE_PREFIX}_{number}"


def choice_number(action_id: str) -> int | None:
    """1.. for `choose_<n>`; None for anything else."""
    head, _, number = action_id.partition("_")
    return int(number) if head == CHOOSE_PREFIX and number.isdigit() and len(number) <= 2 else None


def pasted_line(candidates: Sequence[Offered]) -> str:
    """The line the question quotes once, above its candidates: the first candidate's."""
    return next((candidate.line for candidate in candidates if candidate.line), "")


def own_line(candidate: Offered, shown: str) -> str:
    """A candidate's matched line when it is not the one quoted above (else "")."""
    return candidate.line if candidate.line != shown else ""


def _candidate_text(candidate: Offered, *, which: bool, shown: str = "") -> str:
    if which:
        return f"*{safe(candidate.title, TITLE_LIMIT)}*\n{safe(candidate.why, WHY_LIMIT)}"
    parts = [f"*{safe(candidate.title, TITLE_LIMIT)}* {inline_code(candidate.id, 100)}"]
    if own_line(candidate, shown):
        parts.append(f"> {safe(candidate.line, LINE_LIMIT)}")
    if candidate.why:
        parts.append(f"_{safe(candidate.why, WHY_LIMIT)}_")
    return "\n".join(parts)


def question_blocks(
    question_id: str, candidates: Sequence[Offered], *, which: bool = False
) -> list[Block]:
    """The question: a header, what to do, one section per candidate with its button, "None of these"."""
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": say.WHICH_TITLE if which else say.QUESTION_TITLE,
            },
        },
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": say.WHICH_LEAD if which else say.QUESTION_LEAD}
            ],
        },
    ]
    label = say.DIAGNOSE_THIS if which else say.THIS_ONE
    shown = "" if which else pasted_line(candidates)
    if shown:
        blocks.append(
            {
                "type": "section",
                "block_id": "pasted",
                "text": {"type": "mrkdwn", "text": f"> {safe(shown, LINE_LIMIT)}"},
            }
        )
    for number, candidate in enumerate(candidates, start=1):
        text = _candidate_text(candidate, which=which, shown=shown)
        blocks.append(
            {
                "type": "section",
                "block_id": f"{QUESTION_BLOCK}_{number}",
                "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]},
                "accessory": button(
                    ButtonSpec(choose_action(number), label, question_id, "primary")
                ),
            }
        )
    blocks.append(
        {
            "type": "actions",
            "block_id": CHOOSE_NONE,
            "elements": [button(ButtonSpec(CHOOSE_NONE, say.NONE_OF_THESE, question_id))],
        }
    )
    return blocks


def question_fallback(candidates: Sequence[Offered], *, which: bool = False) -> str:
    """The message's plain text: the question and the candidates' ids."""
    ids = ", ".join(c.title if which else c.id for c in candidates)
    return f"{say.WHICH_TITLE if which else say.QUESTION_TITLE} {ids}"[:3000]


def chosen_blocks(question_id: str, *, by: str, title: str, entry: str) -> list[Block]:
    """The question once answered: who chose what, and Undo."""
    return [
        {
            "type": "section",
            "block_id": "chosen",
            "text": {
                "type": "mrkdwn",
                "text": say.chosen_line(by, safe(title, TITLE_LIMIT), safe(entry, 100)),
            },
            "accessory": button(ButtonSpec(UNDO_CHOICE, say.UNDO, question_id)),
        }
    ]


def undo_button(question_id: str) -> ButtonSpec:
    """The Undo under an answer a person picked in the "Not this" dialog."""
    return ButtonSpec(UNDO_CHOICE, say.UNDO, question_id)


def notice_blocks(text: str) -> list[Block]:
    """One line in place of a message (none of these, a withdrawn answer)."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}]
