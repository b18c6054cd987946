"""The Slack app kubemedic is: the scopes, events and slash command it declares, and the one
request URL it answers on in HTTP mode.

`kubemedic slack-manifest` prints them as the app manifest (bot/commands/slack_manifest_cmd.py)
and `kubemedic doctor` checks a token's grants against them (bot/doctor/slack_checks.py), so the
table sits below both; tests/deploy/test_slack_manifest.py holds it to what bot/slack registers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from bot.errors import BadInput

EVENTS_PATH = "/slack/events"
"""The path bot/slack/server.py answers Slack on in HTTP mode."""

#: bot scope -> why the bot needs it (printed as a comment beside it)
BOT_SCOPES: dict[str, str] = {
    "app_mentions:read": 'app_mention: "@kubemedic pod NS/NAME"',
    "channels:history": "message.channels (pasted errors); conversations.history/replies (summaries)",
    "channels:join": "conversations.join: join new incident channels",
    "channels:read": "channel_created, member_joined_channel; conversations.info",
    "chat:write": "chat.postMessage, chat.update",
    "commands": "/diagnose",
    "groups:history": "message.groups: the same in private channels the bot is invited to",
    "groups:read": "member_joined_channel, conversations.info in private channels",
    "im:history": "message.im: direct messages to the bot are direct asks",
    "pins:write": "pins.add: pin the incident summary",
    "users:read": "users.info: names in incident summaries",
}
BOT_EVENTS = [
    "app_home_opened",
    "app_mention",
    "channel_created",
    "member_joined_channel",
    "message.channels",
    "message.groups",
    "message.im",
]
SLASH_COMMANDS: list[dict[str, Any]] = [
    {
        "command": "/diagnose",
        "description": "Diagnose a pod, namespace or node, or match a pasted error",
        "usage_hint": "pod NS/NAME | namespace NS | node NAME | summary | <pasted error> | help",
        "should_escape": False,
    }
]


def events_url(url: str) -> str:
    """The request URL Slack posts to, from the bot's public address; BadInput when unusable."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise BadInput(
            f"--url must be an https:// address (Slack sends requests only over TLS), not {url!r}"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise BadInput(
            f"--url takes a plain address without query, fragment or credentials, not {url!r}"
        )
    path = parts.path.rstrip("/")
    if not path.endswith(EVENTS_PATH):
        path += EVENTS_PATH
    port = f":{parts.port}" if parts.port else ""
    return f"https://{parts.hostname}{port}{path}"
