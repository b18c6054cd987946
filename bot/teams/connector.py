"""The Bot Framework's Connector API, the calls the Teams bot makes: send, reply, update.

The bot authenticates as itself: a token from Microsoft's identity platform (client credentials:
its app id and password, scope `https://api.botframework.com/.default`; `AppToken`, which also
gets its Microsoft Graph tokens), kept until shortly before it expires. Activities go to the
conversation's service URL (the one a verified activity named, or `KUBEMEDIC_TEAMS_SERVICE_URL`
for a channel the bot has not heard from):
`POST /v3/conversations/{id}/activities` starts a message (in a channel: a thread),
`POST .../activities/{activityId}` replies to one, `PUT .../activities/{activityId}` replaces
it. Every call goes through `OutboundApi` (retries honouring Retry-After, a breaker per call).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from bot.outbound.http import OutboundApi, OutboundFailed

SCOPE = "https://api.botframework.com/.default"
TOKEN_MARGIN = 300.0


class BotConnector:
    """Sends activities as the bot `app_id`."""

    def __init__(
        self,
        api: OutboundApi,
        *,
        token_url: str,
        app_id: str,
        password: str,
        service_url: str,
    ) -> None:
        self.api, self.app_id = api, app_id
        self.tokens = AppToken(api, token_url=token_url, app_id=app_id, password=password)
        self.service_url = service_url
        self.service_urls: dict[str, str] = {}
        """Each conversation's service URL, as its verified activities named it."""

    def heard(self, conversation: str, service_url: str) -> None:
        """A verified activity came from this conversation through this service URL."""
        self.service_urls[base_conversation(conversation)] = service_url

    async def send(self, conversation: str, activity: Mapping[str, Any]) -> str:
        """A new message (a new thread in a channel); its activity id."""
        return await self._call("send", "POST", conversation, "", activity)

    async def reply(self, conversation: str, to: str, activity: Mapping[str, Any]) -> str:
        """A reply in the thread of activity `to`; its id."""
        return await self._call(
            "reply", "POST", f"{conversation};messageid={to}", f"/{quote(to, safe='')}", activity
        )

    async def update(
        self, conversation: str, activity_id: str, activity: Mapping[str, Any]
    ) -> None:
        await self._call(
            "update",
            "PUT",
            conversation,
            f"/{quote(activity_id, safe='')}",
            {**activity, "id": activity_id},
        )

    async def _call(
        self, call: str, method: str, conversation: str, tail: str, activity: Mapping[str, Any]
    ) -> str:
        base = self.service_urls.get(base_conversation(conversation), self.service_url).rstrip("/")
        url = f"{base}/v3/conversations/{quote(conversation, safe='')}/activities{tail}"
        reply = await self.api.request(
            call,
            method,
            url,
            body=dict(activity),
            headers={"Authorization": f"Bearer {await self.token()}"},
            creates=method == "POST",
        )
        return str((reply.body or {}).get("id") or "") if isinstance(reply.body, dict) else ""

    async def token(self) -> str:
        """The bot's Bot Framework access token."""
        return await self.tokens.get(SCOPE)


class AppToken:
    """The app's client-credentials tokens, one per scope, each kept until shortly before it
    expires."""

    def __init__(self, api: OutboundApi, *, token_url: str, app_id: str, password: str) -> None:
        self.api, self.token_url, self.app_id = api, token_url, app_id
        self._password = password
        self._kept: dict[str, tuple[str, float]] = {}

    async def get(self, scope: str) -> str:
        """A token for `scope` (a new one shortly before the last one expires)."""
        token, until = self._kept.get(scope, ("", 0.0))
        if token and time.monotonic() < until:
            return token
        form = {
            "grant_type": "client_credentials",
            "client_id": self.app_id,
            "client_secret": self._password,
            "scope": scope,
        }
        reply = await self.api.request("token", "POST", self.token_url, form=form)
        body = reply.body if isinstance(reply.body, dict) else {}
        if not body.get("access_token"):
            raise OutboundFailed(self.api.tool, "token", "the answer carries no access_token")
        token = str(body["access_token"])
        expires = max(0.0, float(body.get("expires_in") or 0) - TOKEN_MARGIN)
        self._kept[scope] = (token, time.monotonic() + expires)
        return token


def base_conversation(conversation: str) -> str:
    """A channel's conversation id without the thread (`19:...@thread.tacv2;messageid=...`)."""
    return conversation.partition(";")[0]
