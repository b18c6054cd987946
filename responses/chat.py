"""What the interaction flow says in a chat, before a platform draws it.

The use cases say these (bot.answering.flow); each chat draws them with its renderer from the
registry (responses.renderers) and sends the result its own way, so a third chat is an adapter
and a renderer, nothing more. Sentences (`Notice.line`) are written as the bot writes every
sentence, in Slack's mrkdwn (`<@user>`, `*bold*`); a renderer turns them into its own markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from responses.alert_view import AlertView
from responses.answer_actions import ButtonSpec, SeenInfo
from responses.answer_view import Details
from responses.block_notices import Outcome
from responses.choice_blocks import Offered
from responses.diagnosis import Diagnosis
from responses.fleet_messages import ClusterLine
from responses.summary import Summary


@dataclass(frozen=True)
class AnswerMessage:
    """A diagnosis' first screen and its buttons (`seen`: how often, for a repeat's update)."""

    diagnosis: Diagnosis
    buttons: tuple[ButtonSpec, ...] = ()
    seen: SeenInfo | None = None


@dataclass(frozen=True)
class QuestionMessage:
    """ "Is it one of these?" (or "Which one do you mean?", `which`), a button per candidate."""

    question_id: str
    candidates: Sequence[Offered]
    which: bool = False


@dataclass(frozen=True)
class ChosenMessage:
    """A question once answered: who (`by`, inside `<@...>`) chose which entry, and Undo."""

    question_id: str
    by: str
    title: str
    entry: str


@dataclass(frozen=True)
class Notice:
    """One of the bot's sentences: a refusal, a withdrawn choice, a hand-off note, a listing."""

    line: str


@dataclass(frozen=True)
class DetailsMessage:
    """What an answer folded away, posted when its Details button is clicked."""

    title: str
    details: Details


@dataclass(frozen=True)
class OutcomeMessage:
    """What a remediation click did (`by`: the clicker's handle, where a chat names people)."""

    outcome: Outcome
    by: str = ""


@dataclass(frozen=True)
class UsageMessage:
    """How to ask kubemedic (`/diagnose help`)."""


@dataclass(frozen=True)
class SummaryMessage:
    """An incident channel's summary."""

    summary: Summary


@dataclass(frozen=True)
class AgentReply:
    """The team's agent answered a hand-off: its text, marked as the agent's."""

    agent: str
    text: str
    seconds: float


@dataclass(frozen=True)
class ClustersMessage:
    """`/diagnose clusters` on a fleet hub: its agents (`default`: the channel's own cluster)."""

    lines: Sequence[ClusterLine]
    now: datetime
    default: str | None = None


@dataclass(frozen=True)
class AlertMessage:
    """An alert or watcher message, as its stored state reads now."""

    view: AlertView


ChatMessage = (
    AnswerMessage
    | QuestionMessage
    | ChosenMessage
    | Notice
    | DetailsMessage
    | OutcomeMessage
    | UsageMessage
    | SummaryMessage
    | AgentReply
    | ClustersMessage
    | AlertMessage
)


@dataclass(frozen=True)
class PickerDialog:
    """The "Not this" dialog: what was answered, the other candidates, and what else it offers."""

    question_id: str
    answered: str | None
    others: Sequence[Offered]
    options: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class ConfirmDialog:
    """Asks before a button that changes the cluster acts, in chats whose buttons cannot ask."""

    title: str
    text: str
    confirm: str


ChatDialog = PickerDialog | ConfirmDialog


@dataclass(frozen=True)
class DetailsPosted:
    """A clicked answer's Details are in its thread now (asked by `user`)."""

    user: str


Settled = OutcomeMessage | DetailsPosted
"""What a clicked button did, shown on its message so it is not clicked twice."""
