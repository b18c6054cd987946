"""A local Bot Framework: its OpenID metadata and signing keys, its token endpoint and the
Connector API, and activities signed as the Bot Framework signs them.

What the bot reads (KUBEMEDIC_TEAMS_OPENID_URL): `/v1/.well-known/openidconfiguration` naming
`jwks_uri`, and `/v1/.well-known/keys` with the stand-in's RSA key (kid, endorsed for `msteams`).
What the bot calls: `/botframework.com/oauth2/v2.0/token` (client credentials, form-encoded:
its app id, password and scope, else 400/401 as Microsoft's identity platform answers), and the
Connector at this same server (the activities' `serviceUrl`): POST
`/v3/conversations/{id}/activities`, POST `.../activities/{activityId}` (a reply) and PUT
`.../activities/{activityId}` (an update), each needing a token it issued, each activity checked
(a message with one Adaptive Card, valid against the schema the webhook stand-in uses, with
`Action.Execute` buttons allowed) and kept per conversation. Faults come from the base.

Activities: `message(...)`, `invoke(...)` and `task(...)` (a task module's fetch or submit)
build them as Teams sends them; `signed(activity)`
gives the `Authorization` header (`forged=True`: signed with another key; `audience`,
`expires_in`, `service_url` to get a claim wrong).
"""

from __future__ import annotations

import base64
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jsonschema
import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.standins.vendor_api import Call, VendorError, VendorStandIn

APP_ID = "8e3c1f5a-6a0e-4d42-9c37-1f4a2b6c9d01"
APP_PASSWORD = "teams-app-password-0f9e"
ISSUER = "https://api.botframework.com"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
_SCHEMA = json.loads((Path(__file__).parent / "adaptive_card_schema.json").read_text())
_SCHEMA["$defs"]["Action.Execute"] = {
    "type": "object",
    "required": ["type", "verb"],
    "properties": {
        "type": {"const": "Action.Execute"},
        "title": {"type": "string"},
        "verb": {"type": "string", "minLength": 1},
        "data": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "additionalProperties": False,
}
_SCHEMA["$defs"]["Action.Submit"] = {  # a task module's opener carries `msteams` data
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {"const": "Action.Submit"},
        "title": {"type": "string"},
        "data": {"type": "object"},
    },
    "additionalProperties": False,
}
_SCHEMA["$defs"]["AdaptiveCard"]["properties"]["actions"]["items"] = {
    "oneOf": [
        {"$ref": "#/$defs/Action.OpenUrl"},
        {"$ref": "#/$defs/Action.Execute"},
        {"$ref": "#/$defs/Action.Submit"},
    ]
}
_TASK_CARD = {
    "$ref": "#/$defs/AdaptiveCard",
    "$defs": {
        **_SCHEMA["$defs"],
        "Input.ChoiceSet": {  # the Adaptive Cards 1.5 reference: id and choices required
            "type": "object",
            "required": ["type", "id", "choices"],
            "properties": {
                "type": {"const": "Input.ChoiceSet"},
                "id": {"type": "string", "minLength": 1},
                "style": {"enum": ["compact", "expanded", "filtered"]},
                "choices": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title", "value"],
                        "properties": {"title": {"type": "string"}, "value": {"type": "string"}},
                        "additionalProperties": False,
                    },
                },
            },
            "additionalProperties": False,
        },
        "Element": {
            "oneOf": [
                {"$ref": "#/$defs/TextBlock"},
                {"$ref": "#/$defs/FactSet"},
                {"$ref": "#/$defs/Input.ChoiceSet"},
            ]
        },
    },
}
_SCHEMA["$defs"]["TextBlock"]["properties"]["id"] = {"type": "string"}  # every element's, in 1.5
_SCHEMA["properties"]["text"] = {"type": "string"}
_SCHEMA["properties"]["id"] = {"type": "string"}
_SCHEMA["properties"]["attachments"]["items"]["properties"].pop("contentUrl", None)


def task_card(answer: dict[str, Any]) -> dict[str, Any]:
    """The card a task module's `continue` answer shows (Teams' task module response: its title
    and a card attachment), valid against the Adaptive Card schema with its inputs; else an
    AssertionError saying why Teams would not show it."""
    task = answer.get("task") or {}
    assert task.get("type") == "continue", answer
    value = task.get("value") or {}
    assert isinstance(value.get("title"), str) and value["title"], value
    attachment = value.get("card") or {}
    assert attachment.get("contentType") == "application/vnd.microsoft.card.adaptive", value
    problems = [
        e.message
        for e in jsonschema.Draft202012Validator(_TASK_CARD).iter_errors(attachment.get("content"))
    ]
    assert problems == [], problems
    return dict(attachment["content"])


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Sent:
    """One activity the bot sent: to which conversation, as a reply to or update of which id."""

    conversation: str
    activity: dict[str, Any]
    id: str
    reply_to: str | None = None
    updated: bool = False
    at: float = field(default_factory=time.time)

    def card(self) -> dict[str, Any]:
        return self.activity["attachments"][0]["content"]

    def text(self) -> str:
        """Every TextBlock's and fact's text, and the buttons' titles."""
        card = self.card()
        parts = [str(b.get("text") or "") for b in card.get("body") or []]
        parts += [
            f"{f['title']} {f['value']}"
            for b in card.get("body") or []
            for f in b.get("facts") or []
        ]
        parts += [str(a.get("title") or "") for a in card.get("actions") or []]
        return "\n".join(parts)

    def actions(self) -> list[dict[str, Any]]:
        return list(self.card().get("actions") or [])


class BotFrameworkStandIn(VendorStandIn):
    """The Bot Framework and the Teams side of a conversation with the bot."""

    name = "botframework"

    def __init__(self) -> None:
        super().__init__()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "kubemedic-test-key-1"
        self.tokens: set[str] = set()
        self.graph_tokens: set[str] = set()
        """Tokens issued for Microsoft Graph (only from a tenant's own endpoint)."""
        self.sent: list[Sent] = []
        self.ids = itertools.count(1700000000000)

    # ------------------------------------------------------------------ what the bot reads
    def jwk(self) -> dict[str, Any]:
        public = self.key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "n": _b64(public.n),
            "e": _b64(public.e),
            "endorsements": ["msteams", "webchat"],
        }

    @property
    def openid_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    @property
    def token_url(self) -> str:
        return f"{self.url}/botframework.com/oauth2/v2.0/token"

    @property
    def tenant_token_url(self) -> str:
        """The tenant's own token endpoint (Bot Framework and Microsoft Graph tokens)."""
        return f"{self.url}/{TENANT}/oauth2/v2.0/token"

    @property
    def service_url(self) -> str:
        return f"{self.url}/"

    def answer(self, call: Call, request: web.Request) -> tuple[int, Any]:
        path = call.path
        if call.method == "GET" and path == "/v1/.well-known/openidconfiguration":
            return 200, {
                "issuer": ISSUER,
                "authorization_endpoint": "https://invalid.botframework.com",
                "jwks_uri": f"{self.url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        if call.method == "GET" and path == "/v1/.well-known/keys":
            return 200, {"keys": [self.jwk()]}
        if call.method == "POST" and path in (
            "/botframework.com/oauth2/v2.0/token",
            f"/{TENANT}/oauth2/v2.0/token",
        ):
            return 200, self._token(call, tenant=path.split("/")[1])
        if path.startswith("/v3/conversations/"):
            return self._connector(call)
        raise VendorError(404, {"error": {"code": "NotFound", "message": "no such path"}})

    def _token(self, call: Call, *, tenant: str = "botframework.com") -> dict[str, Any]:
        form = {k: v[0] for k, v in parse_qs(str(call.body or "")).items()}
        scopes = {"https://api.botframework.com/.default"}
        if tenant != "botframework.com":  # Graph's app tokens come from the tenant's endpoint
            scopes.add(GRAPH_SCOPE)
        if form.get("grant_type") != "client_credentials" or form.get("scope") not in scopes:
            raise VendorError(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "AADSTS900144: bad grant or scope",
                },
            )
        if form.get("client_id") != APP_ID or form.get("client_secret") != APP_PASSWORD:
            raise VendorError(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided.",
                },
            )
        token = f"bf-{uuid.uuid4().hex}"
        (self.graph_tokens if form["scope"] == GRAPH_SCOPE else self.tokens).add(token)
        return {
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": token,
        }

    def _connector(self, call: Call) -> tuple[int, Any]:
        header = call.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or header[7:] not in self.tokens:
            raise VendorError(401, {"message": "Authorization has been denied for this request."})
        parts = call.path.split("/")  # "", v3, conversations, {id}, activities, [activityId]
        if len(parts) < 5 or parts[4] != "activities":
            raise VendorError(404, {"error": {"code": "BadSyntax", "message": "no such path"}})
        conversation = parts[3]
        activity = call.body if isinstance(call.body, dict) else {}
        problems = [
            e.message for e in jsonschema.Draft202012Validator(_SCHEMA).iter_errors(activity)
        ]
        if problems:
            raise VendorError(
                400, {"error": {"code": "BadArgument", "message": "; ".join(problems)[:500]}}
            )
        target = parts[5] if len(parts) > 5 else None
        if call.method == "PUT":
            self.sent.append(Sent(conversation, activity, str(target), updated=True))
            return 200, {"id": target}
        new = str(next(self.ids))
        self.sent.append(Sent(conversation, activity, new, reply_to=target))
        return 201, {"id": new}

    # ------------------------------------------------------------------ what Teams sends
    def signed(
        self,
        activity: dict[str, Any],
        *,
        forged: bool = False,
        audience: str = APP_ID,
        expires_in: int = 3600,
        service_url: str | None = None,
    ) -> dict[str, str]:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "exp": now + expires_in,
            "nbf": now - 60,
            "serviceUrl": service_url or activity.get("serviceUrl"),
        }
        key = self.other_key if forged else self.key
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def message(
        self,
        text: str,
        *,
        user: str = "aad-alice",
        name: str = "Alice",
        conversation: str = "19:shop-oncall@thread.tacv2",
        personal: bool = False,
    ) -> dict[str, Any]:
        """A message mentioning the bot in a channel (a new post), or in a personal chat."""
        activity_id = str(next(self.ids))
        mention = "<at>kubemedic</at>"
        return {
            "type": "message",
            "id": activity_id,
            "timestamp": "2026-11-28T09:20:00.000Z",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": f"29:{user}", "name": name, "aadObjectId": user},
            "conversation": {
                "id": conversation if personal else f"{conversation};messageid={activity_id}",
                "conversationType": "personal" if personal else "channel",
                "tenantId": TENANT,
            },
            "recipient": {"id": f"28:{APP_ID}", "name": "kubemedic"},
            "text": text if personal else f"{mention} {text}",
            "entities": []
            if personal
            else [
                {
                    "type": "mention",
                    "text": mention,
                    "mentioned": {"id": f"28:{APP_ID}", "name": "kubemedic"},
                }
            ],
            "channelData": {"tenant": {"id": TENANT}},
        }

    def invoke(
        self,
        sent: Sent,
        title: str,
        *,
        user: str = "aad-alice",
        name: str = "Alice",
        data: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A click on the button titled `title` of a card the bot sent (its verb and data)."""
        action = next(
            a for a in sent.actions() if a.get("title") == title and a["type"] == "Action.Execute"
        )
        conversation = (
            sent.conversation
            if sent.reply_to is None
            else f"{sent.conversation.partition(';')[0]};messageid={sent.reply_to}"
        )
        return {
            "type": "invoke",
            "name": "adaptiveCard/action",
            "id": str(next(self.ids)),
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": f"29:{user}", "name": name, "aadObjectId": user},
            "conversation": {"id": conversation, "conversationType": "channel", "tenantId": TENANT},
            "recipient": {"id": f"28:{APP_ID}", "name": "kubemedic"},
            "replyToId": sent.id,
            "value": {
                "action": {
                    "type": "Action.Execute",
                    "verb": action["verb"],
                    "data": data or action.get("data") or {},
                },
                "trigger": "manual",
            },
        }

    def task(
        self, name: str, sent: Sent, data: dict[str, Any], *, user: str = "aad-alice"
    ) -> dict[str, Any]:
        """A `task/fetch` (a click on an `Action.Submit` asking for a task module: its data) or a
        `task/submit` (the task module's submit: its data with the inputs' values) invoke."""
        conversation = f"{sent.conversation.partition(';')[0]};messageid={sent.reply_to or sent.id}"
        return {
            "type": "invoke",
            "name": name,
            "id": str(next(self.ids)),
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": f"29:{user}", "name": "Alice", "aadObjectId": user},
            "conversation": {"id": conversation, "conversationType": "channel", "tenantId": TENANT},
            "recipient": {"id": f"28:{APP_ID}", "name": "kubemedic"},
            "replyToId": sent.id,
            "value": {"data": data, "context": {"theme": "default"}},
        }

    async def wait_sent(self, count: int, *, timeout: float = 300.0) -> list[Sent]:
        """The first `count` activities the bot sent, waiting for them."""
        deadline = time.monotonic() + timeout
        import asyncio

        while len(self.sent) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{count} activities not sent; sent: {[s.text()[:80] for s in self.sent]}; calls: {[(c.method, c.path, c.status) for c in self.calls]}"
                )
            await asyncio.sleep(0.02)
        return self.sent[:count]


__all__ = ["APP_ID", "APP_PASSWORD", "BotFrameworkStandIn", "Sent"]
