"""A local Microsoft Graph, the part the Teams bot reads: a team's channels and their messages.

Written from Graph's v1.0 reference ("List channel messages", "List replies", "Get channel",
the chatMessage resource): `GET /v1.0/teams/{team}/channels/{channel}` (the channel, its
`displayName`), `GET .../channels/{channel}/messages` (top-level messages, newest first, `$top`
20 by default and 50 at most, the next page's absolute URL in `@odata.nextLink`) and
`GET .../messages/{id}/replies`; every call needs a token the Bot Framework stand-in issued for
`https://graph.microsoft.com/.default` from the tenant's endpoint (else 401
InvalidAuthenticationToken), an unknown team or channel is 404 NotFound.

The channel holds what the bot sent through the Bot Framework stand-in (the same ids: a Teams
message's id is its activity's), as Graph shows a bot's message: from an `application`, an HTML
body naming its attachment, the card's JSON as the attachment's `content` string (its last
version); what people said (`say`); and the system event a channel starts with.
"""

from __future__ import annotations

import copy
import html
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.standins.botframework import APP_ID, TENANT, BotFrameworkStandIn
from tests.standins.vendor_api import Call, VendorError, VendorStandIn
from tests.standins.vendor_samples import GRAPH_MESSAGES

TEAM = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b"


def _time(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Said:
    """A message a person posted in a channel (or a reply to one)."""

    channel: str
    id: str
    user: str
    name: str
    text: str
    reply_to: str | None = None
    at: float = field(default_factory=time.time)


class GraphStandIn(VendorStandIn):
    """Microsoft Graph over the Bot Framework stand-in's conversations."""

    name = "graph"

    def __init__(self, bf: BotFrameworkStandIn, *, team: str = TEAM) -> None:
        super().__init__()
        self.bf, self.team = bf, team
        self.channels: dict[str, str] = {}
        self.said: list[Said] = []

    @property
    def api_url(self) -> str:
        return f"{self.url}/v1.0"

    def add_channel(self, channel: str, name: str) -> None:
        self.channels[channel] = name

    def say(
        self, channel: str, text: str, *, user: str = "aad-alice", name: str = "Alice", **kw: Any
    ) -> Said:
        said = Said(channel, str(next(self.bf.ids)), user, name, text, **kw)
        self.said.append(said)
        return said

    def error_body(self, status: int, message: str) -> Any:
        return {
            "error": {"code": "TooManyRequests" if status == 429 else "Error", "message": message}
        }

    # ------------------------------------------------------------------ the API
    def answer(self, call: Call, request: web.Request) -> tuple[int, Any]:
        if call.headers.get("Authorization", "")[7:] not in self.bf.graph_tokens:
            raise VendorError(
                401,
                {
                    "error": {
                        "code": "InvalidAuthenticationToken",
                        "message": "Access token is empty or invalid.",
                    }
                },
            )
        parts = call.path.split("/")  # "", v1.0, teams, {team}, channels, {channel}, ...
        if call.method != "GET" or len(parts) < 6 or parts[1:3] != ["v1.0", "teams"]:
            raise VendorError(405, {"error": {"code": "BadRequest", "message": "not supported"}})
        team, channel, rest = parts[3], parts[5], parts[6:]
        if team != self.team or parts[4] != "channels" or channel not in self.channels:
            raise VendorError(
                404, {"error": {"code": "NotFound", "message": "No team or channel found"}}
            )
        if not rest:
            return 200, self._channel(channel)
        if rest == ["messages"]:
            return 200, self._page(call, channel, self._roots(channel))
        if len(rest) == 3 and rest[0] == "messages" and rest[2] == "replies":
            return 200, self._page(call, channel, self._replies(channel, rest[1]))
        raise VendorError(404, {"error": {"code": "NotFound", "message": "Resource not found"}})

    def _channel(self, channel: str) -> dict[str, Any]:
        return {
            "@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#teams('{self.team}')/channels/$entity",
            "id": channel,
            "createdDateTime": "2026-11-01T09:00:00Z",
            "displayName": self.channels[channel],
            "description": None,
            "membershipType": "standard",
            "tenantId": TENANT,
        }

    def _page(self, call: Call, channel: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
        top = min(int(call.query.get("$top") or 20), 50)
        start = int(call.query.get("$skiptoken") or 0)
        page: dict[str, Any] = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata",
            "value": messages[start : start + top],
        }
        if start + top < len(messages):
            page["@odata.nextLink"] = f"{self.url}{call.path}?$top={top}&$skiptoken={start + top}"
        return page

    # ------------------------------------------------------------------ the channel's messages
    def _all(self, channel: str) -> list[dict[str, Any]]:
        posted = [s for s in self.bf.sent if s.conversation.partition(";")[0] == channel]
        bots = [self._bot(s, posted) for s in posted if not s.updated]
        people = [self._person(s) for s in self.said if s.channel == channel]
        return sorted(
            bots + people + [self._event(channel)], key=lambda m: m["createdDateTime"], reverse=True
        )

    def _roots(self, channel: str) -> list[dict[str, Any]]:
        return [m for m in self._all(channel) if m["replyToId"] is None]

    def _replies(self, channel: str, root: str) -> list[dict[str, Any]]:
        return [m for m in self._all(channel) if m["replyToId"] == root]

    def _message(self, channel: str, id: str, at: float, reply_to: str | None) -> dict[str, Any]:
        """A chatMessage of the documented shape (the reference's example), with this one's ids,
        times and place; `from`, `body` and `attachments` are the caller's to set."""
        url = f"https://teams.microsoft.com/l/message/{channel}/{id}?groupId={self.team}&tenantId={TENANT}"
        documented: dict[str, Any] = copy.deepcopy(GRAPH_MESSAGES["value"][0])
        return documented | {
            "id": id,
            "replyToId": reply_to,
            "etag": id,
            "createdDateTime": _time(at),
            "lastModifiedDateTime": _time(at),
            "webUrl": url,
            "channelIdentity": {"teamId": self.team, "channelId": channel},
        }

    def _bot(self, sent: Any, posted: list[Any]) -> dict[str, Any]:
        last = [s for s in posted if s.id == sent.id][-1]  # its last update
        attachment = f"{sent.id}0000attachment"
        message = self._message(
            sent.conversation.partition(";")[0], sent.id, sent.at, sent.reply_to
        )
        message["lastModifiedDateTime"] = _time(last.at)
        message["from"] = {
            "application": {
                "id": APP_ID,
                "displayName": "kubemedic",
                "applicationIdentityType": "bot",
            },
            "device": None,
            "user": None,
        }
        message["body"] = {
            "contentType": "html",
            "content": f'<attachment id="{attachment}"></attachment>',
        }
        message["attachments"] = [
            {
                "id": attachment,
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": json.dumps(last.card()),
                "name": None,
                "thumbnailUrl": None,
                "teamsAppId": None,
            }
        ]
        return message

    def _person(self, said: Said) -> dict[str, Any]:
        message = self._message(said.channel, said.id, said.at, said.reply_to)
        message["from"] = {
            "application": None,
            "device": None,
            "user": {"id": said.user, "displayName": said.name, "userIdentityType": "aadUser"},
        }
        body = "".join(f"<p>{html.escape(line)}</p>" for line in said.text.splitlines())
        message["body"] = {"contentType": "html", "content": f"<div>{body}</div>"}
        message["attachments"] = []
        return message

    def _event(self, channel: str) -> dict[str, Any]:
        """The member-added event a channel starts with (a system message, `from` null)."""
        message = self._message(channel, "1600000000000", 1600000000.0, None)
        message.update(
            messageType="unknownFutureValue",
            **{"from": None, "attachments": []},
            body={"contentType": "html", "content": "<systemEventMessage/>"},
            eventDetail={"@odata.type": "#microsoft.graph.membersAddedEventMessageDetail"},
        )
        return message


__all__ = ["TEAM", "GraphStandIn", "Said"]
