"""One answer, several renderings: the registry every transport draws through.

Each platform has one renderer: Slack's Block Kit and Mattermost's Markdown draw every chat
message (responses.chat) and their dialogs, and so do Teams' bot cards (Action.Execute buttons);
Teams' webhook cards, the terminal, the HTML preview and the MCP tools' agent view draw answers,
summaries and alerts. The chats' surfaces
(bot/slack, bot/mattermost), Teams' webhook and the MCP server take their renderer from here.
Adding a platform is one renderer and one line in `RENDERERS`, plus its transport in bot/; no use
case changes (.importlinter keeps the use cases free of chat SDKs).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from responses import adaptive_card, mattermost_chat, slack_chat, teams_chat
from responses.agent_view import diagnose_result, match_result
from responses.answer_build import answer_view
from responses.chat import AlertMessage, AnswerMessage, ChatDialog, ChatMessage, SummaryMessage
from responses.mattermost_post import Post
from responses.slack_preview import page_html
from responses.summary_text import render_summary_text
from responses.text import render_text

T = TypeVar("T")


@dataclass(frozen=True)
class Renderer(Generic[T]):
    """How one platform draws what kubemedic says (and, for a chat, its dialogs)."""

    name: str
    draw: Callable[[ChatMessage], T]
    dialog: Callable[[ChatDialog], dict[str, Any]] | None = None
    buttons: bool = False
    """Whether the platform shows buttons (Teams webhook cards carry links only)."""

    def form(self, dialog: ChatDialog) -> dict[str, Any]:
        """The dialog as the chat opens it (TypeError on a platform without dialogs)."""
        if self.dialog is None:
            raise TypeError(f"{self.name} opens no dialogs")
        return self.dialog(dialog)


def _unsupported(platform: str, message: ChatMessage) -> TypeError:
    return TypeError(
        f"{platform} draws answers, summaries and alerts, not {type(message).__name__}"
    )


def _teams(message: ChatMessage) -> dict[str, Any]:
    if isinstance(message, AnswerMessage):
        return adaptive_card.message(adaptive_card.answer_card(answer_view(message.diagnosis)))
    if isinstance(message, SummaryMessage):
        return adaptive_card.message(adaptive_card.summary_card(message.summary))
    if isinstance(message, AlertMessage):
        return adaptive_card.message(adaptive_card.alert_card(message.view))
    raise _unsupported("Teams", message)


def _terminal(message: ChatMessage) -> str:
    if isinstance(message, AnswerMessage):
        return render_text(message.diagnosis)
    if isinstance(message, SummaryMessage):
        return render_summary_text(message.summary)
    if isinstance(message, AlertMessage):
        view = message.view
        return f"{view.title} ({view.catalog_id or 'no catalog id'}): {view.status}"
    raise _unsupported("the terminal", message)


def _html(message: ChatMessage) -> str:
    if isinstance(message, AnswerMessage):
        title = message.diagnosis.subject
    elif isinstance(message, SummaryMessage):
        title = message.summary.channel
    elif isinstance(message, AlertMessage):
        title = message.view.title
    else:
        raise _unsupported("The HTML preview", message)
    return page_html(slack_chat.draw(message)["blocks"], title=title)


def _mcp(message: ChatMessage) -> Any:
    """What the MCP tools serve for an answer (a paste's `match_error`, an object's `diagnose`), as
    JSON data; a summary or an alert as plain data."""
    if isinstance(message, AnswerMessage):
        diagnosis = message.diagnosis
        result = (
            match_result(diagnosis) if diagnosis.cluster is None else diagnose_result(diagnosis)
        )
        return result.model_dump(mode="json")
    if isinstance(message, SummaryMessage | AlertMessage):
        plain = message.summary if isinstance(message, SummaryMessage) else message.view
        return json.loads(json.dumps(dataclasses.asdict(plain), default=str))
    raise _unsupported("MCP", message)


SLACK: Renderer[slack_chat.SlackMessage] = Renderer(
    "slack", slack_chat.draw, slack_chat.dialog, buttons=True
)
MATTERMOST: Renderer[Post] = Renderer(
    "mattermost", mattermost_chat.draw, mattermost_chat.dialog, buttons=True
)
TEAMS: Renderer[dict[str, Any]] = Renderer("teams", _teams)
TEAMS_BOT: Renderer[dict[str, Any]] = Renderer("teams-bot", teams_chat.draw, buttons=True)
"""Teams through the Bot Framework (`serve --teams`): every chat message, buttons that call back."""
TERMINAL: Renderer[str] = Renderer("terminal", _terminal)
HTML: Renderer[str] = Renderer("html", _html, buttons=True)
MCP: Renderer[Any] = Renderer("mcp", _mcp)

RENDERERS: dict[str, Renderer[Any]] = {
    r.name: r for r in (SLACK, MATTERMOST, TEAMS, TEAMS_BOT, TERMINAL, HTML, MCP)
}
