"""Slack's renderer: every chat message (responses.chat) as Block Kit, and its dialogs as views.

A message is drawn as the keyword arguments of chat.postMessage, chat.update or a response_url
(`blocks` and the fallback `text`); a sentence is drawn as `text` alone, as Slack shows a reply
to the clicker. The edits of a clicked message (its buttons giving way to what they did) are
drawn here too, from the blocks the click carried.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import singledispatch
from typing import Any

from responses import ask_messages as say
from responses import messages
from responses.alert_blocks import alert_blocks
from responses.alert_blocks import fallback_text as alert_fallback
from responses.block_kit import details_blocks, diagnosis_blocks, fallback_text
from responses.block_notices import details_moved, outcome_blocks, outcome_text, usage_blocks
from responses.chat import (
    AgentReply,
    AlertMessage,
    AnswerMessage,
    ChatDialog,
    ChatMessage,
    ChosenMessage,
    ClustersMessage,
    DetailsMessage,
    DetailsPosted,
    Notice,
    OutcomeMessage,
    PickerDialog,
    QuestionMessage,
    Settled,
    SummaryMessage,
    UsageMessage,
)
from responses.choice_blocks import chosen_blocks, question_blocks, question_fallback
from responses.choice_modal import not_this_view
from responses.fleet_messages import clusters_text
from responses.handoff_blocks import agent_reply_message
from responses.summary_blocks import summary_blocks, summary_fallback

SlackMessage = dict[str, Any]
"""`blocks` (when the message has any) and `text`, as chat.postMessage takes them."""


@singledispatch
def draw(message: ChatMessage) -> SlackMessage:
    """The message as Slack shows it."""
    raise TypeError(f"Slack draws no {type(message).__name__}")


@draw.register
def _answer(message: AnswerMessage) -> SlackMessage:
    blocks = diagnosis_blocks(message.diagnosis, buttons=message.buttons, seen=message.seen)
    return {"blocks": blocks, "text": fallback_text(message.diagnosis)}


@draw.register
def _question(message: QuestionMessage) -> SlackMessage:
    return {
        "blocks": question_blocks(message.question_id, message.candidates, which=message.which),
        "text": question_fallback(message.candidates, which=message.which),
    }


@draw.register
def _chosen(message: ChosenMessage) -> SlackMessage:
    return {
        "blocks": chosen_blocks(
            message.question_id, by=message.by, title=message.title, entry=message.entry
        ),
        "text": say.chosen_line(message.by, message.title, message.entry),
    }


@draw.register
def _notice(message: Notice) -> SlackMessage:
    return {"text": message.line}


@draw.register
def _details(message: DetailsMessage) -> SlackMessage:
    return {
        "blocks": details_blocks(message.details, title=message.title),
        "text": messages.details_fallback(message.title),
    }


@draw.register
def _outcome(message: OutcomeMessage) -> SlackMessage:
    return {"text": outcome_text(message.outcome.detail, 3000)}


@draw.register
def _usage(message: UsageMessage) -> SlackMessage:
    return {"blocks": usage_blocks(), "text": messages.USAGE_TITLE}


@draw.register
def _summary(message: SummaryMessage) -> SlackMessage:
    return {"blocks": summary_blocks(message.summary), "text": summary_fallback(message.summary)}


@draw.register
def _agent(message: AgentReply) -> SlackMessage:
    return agent_reply_message(message.agent, message.text, message.seconds)


@draw.register
def _clusters(message: ClustersMessage) -> SlackMessage:
    return {"text": clusters_text(message.lines, now=message.now, default=message.default)}


@draw.register
def _alert(message: AlertMessage) -> SlackMessage:
    return {"blocks": alert_blocks(message.view), "text": alert_fallback(message.view)}


def dialog(form: ChatDialog) -> dict[str, Any]:
    """A dialog as a modal view (Slack's buttons confirm themselves: no confirmation dialog)."""
    if not isinstance(form, PickerDialog):
        raise TypeError("Slack buttons carry their own confirmation")
    return not_this_view(form.question_id, answered=form.answered, others=form.others)


def settled(blocks: Sequence[Mapping[str, Any]], done: Settled) -> list[dict[str, Any]] | None:
    """The clicked message with its button giving way to what it did (None: nothing to change)."""
    if isinstance(done, DetailsPosted):
        return details_moved(blocks, done.user or None)
    return outcome_blocks(blocks, done.outcome)
