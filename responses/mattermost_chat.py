"""Mattermost's renderer: every chat message (responses.chat) as a Markdown post, its dialogs as forms.

A post is the Markdown of responses.mattermost_post and a row of buttons; a button's
`integration` carries only its context here (the action and the opaque value, and what a
confirmation dialog says), which the transport seals and points at its callback URL
(bot.mattermost.callbacks). The bot's sentences, written in Slack's mrkdwn, name people
instead of pinging them and turn `*bold*` into `**bold**` (`words`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import singledispatch
from typing import Any

from responses import ask_messages as say
from responses import messages
from responses.answer_actions import ButtonSpec
from responses.answer_build import answer_view
from responses.chat import (
    AgentReply,
    AlertMessage,
    AnswerMessage,
    ChatDialog,
    ChatMessage,
    ChosenMessage,
    ClustersMessage,
    ConfirmDialog,
    DetailsMessage,
    Notice,
    OutcomeMessage,
    PickerDialog,
    QuestionMessage,
    SummaryMessage,
    UsageMessage,
)
from responses.choice_blocks import (
    CHOOSE_NONE,
    UNDO_CHOICE,
    Offered,
    choose_action,
    own_line,
    pasted_line,
)
from responses.fleet_messages import clusters_text
from responses.mattermost_notes import alert_message, summary_message
from responses.mattermost_post import (
    Post,
    answer_post,
    buttons_attachment,
    details_message,
    notice,
    text,
)

PICK_CALLBACK = "not_this_pick"
CONFIRM_CALLBACK = "remediate"
_SLACK_MENTION = re.compile(r"<@([^>|]{1,80})(?:\|[^>]{0,200})?>")
_SHOWN = ("done", "failed", "dry-run")
"""The outcomes the channel sees (refused or expired: told to the clicker alone)."""


def words(line: str) -> str:
    """One of the bot's sentences (written with Slack's `<@user>`) as Mattermost Markdown: the person
    named, not pinged; `*bold*` as `**bold**`."""
    named = _SLACK_MENTION.sub(lambda m: m.group(1), line)
    return notice(re.sub(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])", r"**\1**", named))


def button_context(spec: ButtonSpec) -> dict[str, str]:
    """What a click on the button means: its action and value, and what its confirmation says."""
    fields = {"action": spec.action_id, "value": spec.value}
    if (
        spec.confirm is not None
    ):  # Mattermost buttons have no confirm: the bot opens a dialog with it
        fields |= {
            "title": spec.confirm.title,
            "text": spec.confirm.text,
            "confirm": spec.confirm.confirm,
            "label": spec.text,
        }
    return fields


def _unsealed(spec: ButtonSpec, number: int) -> dict[str, Any]:
    return {"context": button_context(spec)}


def _buttons(specs: Sequence[ButtonSpec]) -> list[dict[str, Any]]:
    return buttons_attachment(specs, _unsealed)


@singledispatch
def draw(message: ChatMessage) -> Post:
    """The message as a Mattermost post."""
    raise TypeError(f"Mattermost draws no {type(message).__name__}")


@draw.register
def _answer(message: AnswerMessage) -> Post:
    return answer_post(
        answer_view(message.diagnosis), message.buttons, _unsealed, seen=message.seen
    )


@draw.register
def _question(message: QuestionMessage) -> Post:
    label = say.DIAGNOSE_THIS if message.which else say.THIS_ONE
    specs = [
        ButtonSpec(choose_action(number), f"{number}. {label}", message.question_id, "primary")
        for number in range(1, len(message.candidates) + 1)
    ]
    specs.append(ButtonSpec(CHOOSE_NONE, say.NONE_OF_THESE, message.question_id))
    return Post(question_text(message.candidates, which=message.which), _buttons(specs))


def question_text(candidates: Sequence[Offered], *, which: bool) -> str:
    """The question's Markdown: the line that matched, quoted once, then each candidate and why."""
    lines = [
        f"### {say.WHICH_TITLE if which else say.QUESTION_TITLE}",
        say.WHICH_LEAD if which else say.QUESTION_LEAD,
    ]
    shown = "" if which else pasted_line(candidates)
    lines += [f"> {text(shown, 300)}", ""] if shown else []
    for number, candidate in enumerate(candidates, 1):
        lines += _candidate_lines(candidate, number, shown, which=which)
    return "\n".join(lines)


def _candidate_lines(candidate: Offered, number: int, shown: str, *, which: bool) -> list[str]:
    """One candidate of the question: its title (and id), its own line, and why."""
    lines = [
        f"{number}. **{text(candidate.title, 150)}**" + ("" if which else f" `{candidate.id}`")
    ]
    own = own_line(candidate, shown) if not which else ""
    lines += [f"   > {text(own, 300)}"] if own else []
    lines += [f"   _{text(candidate.why, 400)}_"] if candidate.why else []
    return lines


@draw.register
def _chosen(message: ChosenMessage) -> Post:
    line = words(say.chosen_line(message.by, message.title, message.entry))
    return Post(line, _buttons([ButtonSpec(UNDO_CHOICE, say.UNDO, message.question_id)]))


@draw.register
def _notice(message: Notice) -> Post:
    return Post(words(message.line))


@draw.register
def _details(message: DetailsMessage) -> Post:
    return Post(details_message(message.details, title=message.title))


@draw.register
def _outcome(message: OutcomeMessage) -> Post:
    outcome = message.outcome
    if outcome.status not in _SHOWN:
        return Post(words(outcome.detail))
    by = f"@{message.by or outcome.user_id}"
    detail = words(outcome.detail.replace(f"<@{outcome.user_id}>", by))
    return Post(messages.outcome_line(outcome.status, detail, by))


@draw.register
def _usage(message: UsageMessage) -> Post:
    return Post(
        "\n".join(
            [f"#### {messages.USAGE_TITLE}"]
            + [f"- `{form}` — {what}" for form, what in messages.USAGE]
        )
    )


@draw.register
def _summary(message: SummaryMessage) -> Post:
    return Post(summary_message(message.summary))


@draw.register
def _agent(message: AgentReply) -> Post:
    return Post(
        f"**{text(message.agent, 100)}** answered (an AI agent, not kubemedic's catalog) in "
        f"{message.seconds:.0f} s:\n{text(message.text, 12000)}"
    )


@draw.register
def _clusters(message: ClustersMessage) -> Post:
    return Post(
        clusters_text(message.lines, now=message.now, default=message.default, markdown=True)
    )


@draw.register
def _alert(message: AlertMessage) -> Post:
    return Post(alert_message(message.view))


def dialog(form: ChatDialog) -> dict[str, Any]:
    """An interactive dialog (its `state` the transport's to seal)."""
    if isinstance(form, ConfirmDialog):
        return {
            "callback_id": CONFIRM_CALLBACK,
            "title": form.title[:24],
            "introduction_text": notice(form.text),
            "elements": [],
            "submit_label": form.confirm,
            "notify_on_cancel": False,
        }
    assert isinstance(form, PickerDialog)
    options = [
        {"text": f"{title} ({entry})"[:150], "value": entry} for entry, title in form.options
    ]
    return {
        "callback_id": PICK_CALLBACK,
        "title": say.MODAL_TITLE[:24],
        "submit_label": say.MODAL_SUBMIT,
        "introduction_text": words(say.modal_lead(form.answered)),
        "elements": [
            {
                "display_name": say.MODAL_OTHERS,
                "name": "entry",
                "type": "select",
                "options": options,
            }
        ],
    }
