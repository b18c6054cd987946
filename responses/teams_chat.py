"""Teams' bot renderer: every chat message (responses.chat) as a message activity with one Adaptive
Card whose buttons call back (`Action.Execute`).

The words are Mattermost's (responses.mattermost_chat: the same Markdown, names not pinged,
untrusted text unable to form links or mentions), laid out as TextBlocks: a heading line is bold,
a fenced block monospace. Each button becomes an `Action.Execute` whose verb is its action id and
whose data is its context (the action, the opaque value and, for a remediation, what its
confirmation says): Teams sends it back in an `adaptiveCard/action` invoke (bot/teams/invokes.py).
Buttons that change the cluster are confirmed on a card of their own (`confirm_card`), since
`Action.Execute` cannot ask. "Not this" opens a task module instead (an `Action.Submit` whose
`msteams` data asks Teams for `task/fetch`): the picker (`picker_task`) is the answer to that
invoke, its pick comes back as `task/submit` (bot/teams/task_modules.py). Cards stay within
Teams' size as the webhook's do (responses.adaptive_card.card).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from responses import adaptive_card
from responses import ask_messages as say
from responses.adaptive_card import CONTENT_TYPE, Element, card
from responses.answer_actions import FEEDBACK_NOT_THIS
from responses.chat import ChatMessage, PickerDialog
from responses.mattermost_chat import draw as markdown_post

CONFIRM_VERB = "teams_confirm"
CANCEL_VERB = "teams_cancel"
PICK_VERB = "teams_pick"
PICK_INPUT = "entry"
ACTIVITY_TEXT = "application/vnd.microsoft.activity.message"
MAX_BUTTONS = 6


def draw(message: ChatMessage) -> dict[str, Any]:
    """The message as the activity the bot sends."""
    post = markdown_post(message)
    actions = [
        execute(action)
        for attachment in post.attachments
        for action in attachment.get("actions") or []
    ][:MAX_BUTTONS]
    return activity(card(blocks(post.message), actions), fallback=post.message)


def activity(content: Mapping[str, Any], *, fallback: str = "") -> dict[str, Any]:
    """A message activity carrying one card (its `text` what notifications show)."""
    first = next((line.lstrip("#* ") for line in fallback.splitlines() if line.strip()), "")
    return {
        "type": "message",
        "text": adaptive_card.plain(first, 200),
        "attachments": [{"contentType": CONTENT_TYPE, "content": dict(content)}],
    }


def execute(action: Mapping[str, Any]) -> Element:
    """A Mattermost action (its context: what a click means) as an `Action.Execute`; "Not this"
    as the `Action.Submit` that opens its task module."""
    context = dict((action.get("integration") or {}).get("context") or {})
    if context.get("action") == FEEDBACK_NOT_THIS:
        return {
            "type": "Action.Submit",
            "title": adaptive_card.plain(str(action.get("name") or "Not this"), 60),
            "data": {"msteams": {"type": "task/fetch"}, **{k: str(v) for k, v in context.items()}},
        }
    return {
        "type": "Action.Execute",
        "title": adaptive_card.plain(str(action.get("name") or "OK"), 60),
        "verb": str(context.get("action") or ""),
        "data": {key: str(value) for key, value in context.items()},
    }


def blocks(markdown: str) -> list[Element]:
    """Markdown lines as TextBlocks: headings bold, fenced blocks monospace, paragraphs as they are."""
    body: list[Element] = []
    paragraph: list[str] = []
    fence: list[str] | None = None
    for line in markdown.splitlines():
        if line.startswith("```"):
            if fence is None:
                _flush(body, paragraph)
                fence = []
            else:
                body.append(_text("\n".join(fence) or " ", mono=True))
                fence = None
        elif fence is not None:
            fence.append(line)
        elif line.startswith("#"):
            _flush(body, paragraph)
            body.append(_text(line.lstrip("# "), bold=True))
        elif line.strip():
            paragraph.append(line)
        else:
            _flush(body, paragraph)
    _flush(body, paragraph)
    return body or [_text(" ")]


def _flush(body: list[Element], paragraph: list[str]) -> None:
    if paragraph:
        body.append(_text("\n\n".join(paragraph)))
        paragraph.clear()


def _text(value: str, *, bold: bool = False, mono: bool = False) -> Element:
    element: Element = {"type": "TextBlock", "text": value[:4000] or " ", "wrap": True}
    if bold:
        element["weight"] = "Bolder"
    if mono:
        element["fontType"] = "Monospace"
    return element


def confirm_card(title: str, text: str, confirm: str, *, state: str) -> dict[str, Any]:
    """The question a remediation button asks before it acts: what will change, Confirm, Cancel;
    `state` is the sealed click (only its clicker's Confirm acts, once, in time)."""
    body = [_text(title, bold=True), *blocks(text)]
    actions = [
        {
            "type": "Action.Execute",
            "title": confirm,
            "verb": CONFIRM_VERB,
            "data": {"state": state},
        },
        {
            "type": "Action.Execute",
            "title": "Cancel",
            "verb": CANCEL_VERB,
            "data": {"state": state},
        },
    ]
    return card(body, actions)


def picker_task(dialog: PickerDialog) -> dict[str, Any]:
    """The "Not this" task module, in the words of the other chats' dialogs: what it was
    answered, a searchable choice of the candidates and entries offered, and Pick (its data
    names the question; the pick is its opener's alone: bot/answering/picking.py)."""
    choices = [
        {"title": adaptive_card.plain(f"{title} ({entry})", 150), "value": entry}
        for entry, title in dialog.options
    ]
    body: list[Element] = [
        *blocks(say.modal_lead(dialog.answered)),
        _text(say.MODAL_OTHERS, bold=True),
        {"type": "Input.ChoiceSet", "id": PICK_INPUT, "style": "filtered", "choices": choices},
    ]
    pick = {"verb": PICK_VERB, "value": dialog.question_id}
    content = card(body, [{"type": "Action.Submit", "title": say.MODAL_SUBMIT, "data": pick}])
    shown = {"title": say.MODAL_TITLE, "height": "medium", "width": "medium"}
    return {
        "task": {
            "type": "continue",
            "value": {**shown, "card": {"contentType": CONTENT_TYPE, "content": content}},
        }
    }


def task_message(text: str) -> dict[str, Any]:
    """A task module's answer that closes it with a line for its user."""
    return {"task": {"type": "message", "value": text[:4000] or "Done."}}


def invoke_text(text: str) -> dict[str, Any]:
    """An `adaptiveCard/action` invoke's answer: a line for the clicker."""
    return {"statusCode": 200, "type": ACTIVITY_TEXT, "value": text[:4000]}


def invoke_card(content: Mapping[str, Any]) -> dict[str, Any]:
    """An `adaptiveCard/action` invoke's answer: the card the clicked one becomes."""
    return {"statusCode": 200, "type": CONTENT_TYPE, "value": dict(content)}
