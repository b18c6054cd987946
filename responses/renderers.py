"""One answer, several renderings: the registry of every platform's renderer.

Each platform has one renderer module (Block Kit, Mattermost Markdown, Teams Adaptive Cards, the
terminal, the HTML preview, the JSON the MCP tools and `--json` give) and one line here. Every
renderer draws the same transport-neutral inputs: a `Diagnosis` (folded by
`responses.answer_build.answer_view` into the `AnswerView` the chats draw), an incident `Summary`
and an alert's `AlertView`. Adding a platform is one renderer module, one transport in bot/ and
one line in `RENDERERS`; no use case changes (.importlinter keeps the use cases free of chat SDKs).
The transports call their platform's module directly; this registry is what lists, previews
and tests them all alike.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from responses import adaptive_card, mattermost_notes
from responses.alert_blocks import alert_blocks
from responses.alert_view import AlertView
from responses.answer_actions import ButtonSpec
from responses.answer_build import answer_view
from responses.block_kit import diagnosis_blocks
from responses.diagnosis import Diagnosis
from responses.json_view import diagnosis_to_dict
from responses.mattermost_post import answer_post
from responses.slack_preview import page_html
from responses.summary import Summary
from responses.summary_blocks import summary_blocks
from responses.summary_text import render_summary_text
from responses.text import render_text


@dataclass(frozen=True)
class Renderer:
    """How one platform draws an answer (with its buttons, where it has any), a summary, an alert."""

    name: str
    answer: Callable[[Diagnosis, Sequence[ButtonSpec]], Any]
    summary: Callable[[Summary], Any]
    alert: Callable[[AlertView], Any]
    buttons: bool
    """Whether the platform shows buttons (Teams webhook cards carry links only)."""


def _preview_integration(spec: ButtonSpec, number: int) -> dict[str, Any]:
    return {"url": "https://kubemedic.invalid/mattermost/actions", "context": {"action": spec.action_id}}


def _plain(value: Any) -> Any:
    """A dataclass (a summary, an alert view) as JSON-ready data."""
    return json.loads(json.dumps(dataclasses.asdict(value), default=str))


RENDERERS: dict[str, Renderer] = {
    "slack": Renderer("slack", lambda d, b: diagnosis_blocks(d, buttons=b), summary_blocks, alert_blocks, True),
    "mattermost": Renderer("mattermost", lambda d, b: answer_post(answer_view(d), b, _preview_integration),
                           mattermost_notes.summary_message, mattermost_notes.alert_message, True),
    "teams": Renderer("teams", lambda d, b: adaptive_card.message(adaptive_card.answer_card(answer_view(d))),
                      lambda s: adaptive_card.message(adaptive_card.summary_card(s)),
                      lambda a: adaptive_card.message(adaptive_card.alert_card(a)), False),
    "terminal": Renderer("terminal", lambda d, b: render_text(d), render_summary_text,
                         lambda a: f"{a.title} ({a.catalog_id or 'no catalog id'}): {a.status}", False),
    "html": Renderer("html", lambda d, b: page_html(diagnosis_blocks(d, buttons=b), title=d.subject),
                     lambda s: page_html(summary_blocks(s), title=s.channel),
                     lambda a: page_html(alert_blocks(a), title=a.title), True),
    "mcp": Renderer("mcp", lambda d, b: diagnosis_to_dict(d), _plain, _plain, False),
}


def renderer(name: str) -> Renderer:
    """The renderer of platform `name` (KeyError names the known ones)."""
    try:
        return RENDERERS[name]
    except KeyError:
        raise KeyError(f"no renderer {name!r}; known: {', '.join(RENDERERS)}") from None
