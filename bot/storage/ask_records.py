"""What asking stores: the questions kubemedic asked, and the team's examples (plain records).

A question is what "Is it one of these?", the "Not this" dialog and "which one?" offered, with
the redacted paste; its id is the only thing a button carries. An example is one choice: the
paste, the entry a person chose, who and when; it answers the same paste later
(intents.examples) until the chooser or an admin undoes it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from responses.redaction import Redacted

QuestionKind = Literal["ask", "not_this", "which"]
"""ask: "Is it one of these?"; not_this: the dialog behind an answer's "Not this";
which: "which one?" when a question names several cluster objects."""
QuestionState = Literal["open", "chosen", "none", "unanswered"]
"""open: waiting for a choice; chosen; none: "None of these"; unanswered: a direct ask with no
candidate at all (kept, like "none", for `kubemedic catalog suggest`)."""
ExampleSource = Literal["choice", "not_this", "import"]
UNANSWERED: tuple[QuestionState, ...] = ("none", "unanswered")
CHOICE_AUDIT_KINDS = frozenset({"choose", "choose_none", "undo_choice", "not_this_pick"})
"""The audit rows of choices: a person's answer to a question, not a change to a cluster."""


def new_question_id() -> str:
    """Opaque and unguessable: it is the only thing a choice button carries."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True, kw_only=True)
class QuestionRecord:
    """One question and what became of it."""

    id: str
    kind: QuestionKind
    state: QuestionState = "open"
    asked_via: str = "mention"
    """command, mention, dm, or message (an answer in a channel nobody addressed the bot in)."""
    channel: str
    thread_ts: str | None = None
    message_ts: str | None = None
    """The question's own message (for not_this: the answer it replaces)."""
    answer_ts: str | None = None
    """The answer posted for the choice."""
    asker: str | None = None
    text: Redacted | None = None
    """The redacted paste (None for a question about a cluster object)."""
    candidates: list[dict[str, Any]] = field(default_factory=list)
    diagnosis_id: str | None = None
    chosen_id: str | None = None
    chosen_by: str | None = None
    chosen_at: datetime | None = None
    created_at: datetime
    updated_at: datetime | None = None
    offered: list[str] | None = None
    """The entry ids the question put before people (a pick must name one of them; None: the
    candidates alone)."""

    def offers(self, entry_id: str) -> bool:
        """Whether a pick of `entry_id` is one of the entries this question offered."""
        offered = self.offered
        if offered is None:
            offered = [str(candidate.get("id")) for candidate in self.candidates]
        return entry_id in offered


@dataclass(frozen=True, kw_only=True)
class ExampleRecord:
    """One recorded choice: this paste is this entry."""

    id: str
    entry_id: str
    text: Redacted
    """The redacted paste."""
    lead: str
    """`intents.examples.lead_of` its words: what it is looked up by."""
    length: int
    """How many normalised words it has."""
    chosen_by: str
    """The chooser's Slack user id."""
    chooser: str
    """The chooser as people know them (a Slack handle)."""
    chosen_at: datetime
    channel: str | None = None
    question_id: str | None = None
    source: ExampleSource = "choice"
    undone_at: datetime | None = None
    undone_by: str | None = None
    confirmed_by: str | None = None
    """Who confirmed it (a second person, an admin, or an import): until then it answers only in
    its own channel."""
    confirmed_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AskStats:
    """How asking went: questions by state, examples kept and undone."""

    questions: dict[str, int] = field(default_factory=dict)
    examples: int = 0
    undone: int = 0
