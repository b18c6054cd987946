"""A Slack message (Block Kit dicts) as a self-contained HTML page that looks like Slack's.

`kubemedic preview` draws whatever the bot's own builder returns: headers,
sections (text, fields, a button accessory), context lines, dividers,
images (as their alt text: the page loads nothing), and rows of buttons
with their style and confirm dialog. A block kind it does not know is shown
as a grey note, never dropped silently. The page has no script, and its
Content-Security-Policy forbids any, so a hostile paste can only be text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from responses.mrkdwn_html import mrkdwn_html

Block = Mapping[str, Any]
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
PARENT_LINES = 12
ONLY_YOU = "Only visible to you"

STYLE = """
*{box-sizing:border-box}
body{margin:0;background:#f8f8f8;color:#1d1c1d;font:15px/1.46668 "Lato","Helvetica Neue",Helvetica,Arial,sans-serif}
.pane{max-width:760px;margin:24px auto;background:#fff;border:1px solid #dddddd;border-radius:8px;overflow:hidden}
.bar{padding:10px 20px;border-bottom:1px solid #dddddd;font-weight:900}
.bar .channel{color:#616061;font-weight:400;margin-left:6px}
.message{display:flex;gap:8px;padding:8px 20px 12px}
.avatar{flex:0 0 36px;height:36px;border-radius:6px;color:#fff;font-weight:900;display:flex;
 align-items:center;justify-content:center;font-size:14px;background:#4a154b}
.avatar.person{background:#2c7a7b}
.body{min-width:0;flex:1}
.name{font-weight:900}
.app{background:#e8e8e8;color:#616061;font-size:10px;font-weight:700;padding:1px 3px;border-radius:2px;margin-left:4px;vertical-align:2px}
.time{color:#616061;font-size:12px;margin-left:6px}
.replies{color:#1264a3;font-size:13px;font-weight:700;padding:0 20px 6px 64px}
.thread{border-top:1px solid #dddddd}
.block{margin:4px 0}
.header{font-size:18px;font-weight:900;line-height:1.33;margin:6px 0 4px}
.context{display:flex;flex-wrap:wrap;gap:8px;color:#616061;font-size:13px;align-items:center}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px}
.section{display:flex;gap:12px;align-items:flex-start}
.section>.text{flex:1;min-width:0;overflow-wrap:anywhere}
hr{border:0;border-top:1px solid #dddddd;margin:10px 0}
code{font:12px Monaco,Menlo,Consolas,"Courier New",monospace;color:#c01343;background:#f7f7f9;
 border:1px solid #e8e8e8;border-radius:3px;padding:2px 3px;overflow-wrap:anywhere}
pre{font:12px/1.5 Monaco,Menlo,Consolas,"Courier New",monospace;background:#f8f8f8;border:1px solid #e2e2e2;
 border-radius:4px;padding:8px;margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
blockquote{margin:2px 0;padding-left:12px;border-left:4px solid #dddddd}
a{color:#1264a3;text-decoration:none}
.mention{color:#1264a3;background:#e8f5fa;border-radius:3px;padding:0 2px}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 4px}
.button{font:700 13px "Lato","Helvetica Neue",Helvetica,Arial,sans-serif;height:28px;padding:0 12px;
 border-radius:4px;border:1px solid #bbbbbb;background:#fff;color:#1d1c1d;cursor:pointer}
.button.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.button.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.only{color:#616061;font-size:12px;padding:8px 20px 0 64px}
.unknown{color:#616061;font-style:italic;font-size:13px}
.image{color:#616061;font-size:13px;border:1px dashed #bbbbbb;border-radius:4px;padding:4px 8px;display:inline-block}
"""


@dataclass(frozen=True)
class Message:
    """One message of the page: who posted it and its blocks (or plain mrkdwn text)."""

    author: str
    blocks: Sequence[Block] = ()
    text: str = ""
    app: bool = True
    time: str = "10:42"


def _text(obj: Any) -> str:
    """A text object (mrkdwn or plain_text) as HTML."""
    if not isinstance(obj, Mapping):
        return ""
    value = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        return mrkdwn_html(value)
    return html.escape(value)


def _attr(value: object) -> str:
    return html.escape(str(value), quote=True)


def _button(element: Mapping[str, Any]) -> str:
    """A button, its style and its confirm dialog's title and text as a tooltip."""
    style = element.get("style")
    css = f"button {style}" if style in ("primary", "danger") else "button"
    confirm = element.get("confirm")
    title = ""
    if isinstance(confirm, Mapping):
        asked = " ".join(str((confirm.get(k) or {}).get("text", "")) for k in ("title", "text"))
        title = f' title="{_attr(asked)}"'
    action = _attr(element.get("action_id", ""))
    return (
        f'<button type="button" class="{css}" data-action-id="{action}"{title}>'
        f"{_text(element.get('text'))}</button>"
    )


def _element(element: Any) -> str:
    """An interactive or context element."""
    if not isinstance(element, Mapping):
        return ""
    kind = element.get("type")
    if kind in ("mrkdwn", "plain_text"):
        return f"<span>{_text(element)}</span>"
    if kind == "image":
        return f'<span class="image">{html.escape(str(element.get("alt_text", "image")))}</span>'
    if kind == "button":
        return _button(element)
    placeholder = element.get("placeholder") or element.get("text") or {"text": str(kind)}
    return f'<button type="button" class="button">{_text(placeholder)} ▾</button>'


def block_html(block: Block) -> str:
    """One block as HTML."""
    kind = block.get("type")
    if kind == "header":
        return f'<div class="block header">{_text(block.get("text"))}</div>'
    if kind == "divider":
        return "<hr>"
    if kind == "context":
        elements = "".join(_element(e) for e in block.get("elements", []))
        return f'<div class="block context">{elements}</div>'
    if kind == "actions":
        elements = "".join(_element(e) for e in block.get("elements", []))
        return f'<div class="block actions" data-block-id="{_attr(block.get("block_id", ""))}">{elements}</div>'
    if kind == "section":
        text = f"<div>{_text(block['text'])}</div>" if block.get("text") else ""
        fields = "".join(f"<div>{_text(f)}</div>" for f in block.get("fields") or [])
        if fields:
            text += f'<div class="fields">{fields}</div>'
        accessory = _element(block.get("accessory")) if block.get("accessory") else ""
        return f'<div class="block section"><div class="text">{text}</div>{accessory}</div>'
    if kind == "image":
        return f'<div class="block"><span class="image">{html.escape(str(block.get("alt_text", "image")))}</span></div>'
    return f'<div class="block unknown">[{html.escape(str(kind))} block]</div>'


def _initials(name: str) -> str:
    letters = [part[0] for part in name.replace("-", " ").split() if part]
    return html.escape("".join(letters[:2]).upper() or "?")


def _message_html(message: Message) -> str:
    badge = '<span class="app">APP</span>' if message.app else ""
    content = (
        "".join(block_html(b) for b in message.blocks)
        if message.blocks
        else mrkdwn_html(message.text)
    )
    person = "" if message.app else " person"
    return (
        f'<div class="message"><div class="avatar{person}">{_initials(message.author)}</div>'
        f'<div class="body"><div><span class="name">{html.escape(message.author)}</span>{badge}'
        f'<span class="time">{html.escape(message.time)}</span></div>{content}</div></div>'
    )


def paste_message(text: str, *, author: str = "you") -> Message:
    """The asker's message a threaded answer replies to: the paste's first lines, as a code block."""
    lines = text.strip("\n").splitlines()
    shown = "\n".join(lines[:PARENT_LINES]) + ("\n…" if len(lines) > PARENT_LINES else "")
    escaped = (
        shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("```", "'''")
    )
    return Message(author, text=f"```{escaped}```", app=False, time="10:41")


def page_html(
    answer: Sequence[Block],
    *,
    title: str,
    channel: str = "preview",
    parent: Message | None = None,
    bot_name: str = "kubemedic",
    note: str = "",
) -> str:
    """The whole page: the asker's message (when given) and the bot's answer in its thread;
    `note` is a grey line above the answer (e.g. "Only visible to you")."""
    reply = _message_html(Message(bot_name, blocks=answer))
    if note:
        reply = f'<div class="only">{html.escape(note)}</div>{reply}'
    if parent is not None:
        body = (
            f'<div class="bar">Thread<span class="channel">#{html.escape(channel)}</span></div>'
            f'{_message_html(parent)}<div class="replies">1 reply</div>'
            f'<div class="thread">{reply}</div>'
        )
    else:
        body = f'<div class="bar">#{html.escape(channel)}</div>{reply}'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f'<body><main class="pane">{body}</main></body></html>\n'
    )
