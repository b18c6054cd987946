"""Who may call POST /teams/messages: the Bot Framework, proven by the JWT it sends.

Every activity comes with `Authorization: Bearer <JWT>`. It is accepted only when the token is
signed (RS256) by a key of the Bot Framework's OpenID metadata (its `jwks_uri`), the key is
endorsed for the activity's channel (`msteams`), the issuer is `https://api.botframework.com`,
the audience is this bot's app id, it is within its lifetime (five minutes' skew), and its
`serviceUrl` claim is the activity's: kubemedic then trusts that service URL for its replies.
Then the activity's tenant (`conversation.tenantId` and `channelData.tenant.id`, each it names)
must be one the bot answers (KUBEMEDIC_TEAMS_TENANT_IDS): a multi-tenant registration can be
installed by anyone holding its app id, which the manifest users get carries.
The keys are read once and again every day, or sooner when a token names a key they lack (at
most every five minutes, so a stream of forged key ids cannot make it fetch on every request).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import jwt

from bot.outbound.http import OutboundApi, OutboundFailed

log = logging.getLogger(__name__)

ISSUER = "https://api.botframework.com"
SKEW = 300
KEYS_FOR = 24 * 3600.0
REFRESH_AT_MOST_EVERY = 300.0


class Unauthorized(Exception):
    """The request is not the Bot Framework's; the message says why, in one line."""


class KeysUnavailable(Unauthorized):
    """The Bot Framework's keys cannot be read now: nothing can be verified (answer 503)."""


class BotFrameworkAuth:
    """Verifies activities' tokens against the OpenID metadata at `openid_url`."""

    def __init__(
        self, api: OutboundApi, *, openid_url: str, app_id: str, tenants: tuple[str, ...] = ()
    ) -> None:
        self.api, self.openid_url, self.app_id = api, openid_url, app_id
        self.tenants = frozenset(tenant.lower() for tenant in tenants)
        """The tenants answered (none: every activity is refused)."""
        self._keys: dict[str, Mapping[str, Any]] = {}
        self._read_at = -KEYS_FOR

    async def verify(self, header: str, activity: Mapping[str, Any]) -> dict[str, Any]:
        """The token's claims; Unauthorized when the request is not the Bot Framework's."""
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("missing Bot Framework token")
        if not token.isascii():  # a JWT is base64url and dots; PyJWT would raise on its bytes
            raise Unauthorized("malformed token: not ASCII")
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"malformed token: {exc}") from None
        key = await self._key(str(kid or ""))
        claims = self._claims(token, key)
        channel = str(activity.get("channelId") or "")
        if channel not in (key.get("endorsements") or [channel]):
            raise Unauthorized(f"the signing key is not endorsed for channel {channel!r}")
        if claims.get("serviceUrl") != activity.get("serviceUrl"):
            raise Unauthorized("the token's serviceUrl is not the activity's")
        self._check_tenant(activity)
        return claims

    def _check_tenant(self, activity: Mapping[str, Any]) -> None:
        """Unauthorized unless every tenant the activity names is one answered (and it names one)."""
        named = {
            tenant.strip().lower()
            for tenant in (
                _at(activity, "conversation", "tenantId"),
                _at(activity, "channelData", "tenant", "id"),
            )
            if isinstance(tenant, str) and tenant.strip()
        }
        if not named or not named <= self.tenants:
            shown = ", ".join(sorted(named))[:200] or "none"
            raise Unauthorized(f"tenant {shown} is not answered here (KUBEMEDIC_TEAMS_TENANT_IDS)")

    def _claims(self, token: str, key: Mapping[str, Any]) -> dict[str, Any]:
        try:
            return dict(
                jwt.decode(
                    token,
                    jwt.PyJWK(dict(key)).key,
                    algorithms=["RS256"],
                    audience=self.app_id,
                    issuer=ISSUER,
                    leeway=SKEW,
                    options={"require": ["exp", "iss", "aud"]},
                )
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"token refused: {exc}") from None

    async def keys(self) -> int:
        """Read the keys now (doctor); how many there are. Unauthorized when they cannot be read."""
        await self._read_keys(time.monotonic())
        return len(self._keys)

    async def _key(self, kid: str) -> Mapping[str, Any]:
        now = time.monotonic()
        stale = now - self._read_at > KEYS_FOR
        unknown = kid not in self._keys and now - self._read_at > REFRESH_AT_MOST_EVERY
        if stale or unknown:
            await self._read_keys(now)
        if kid not in self._keys:
            raise Unauthorized("the token's key is not one of the Bot Framework's")
        return self._keys[kid]

    async def _read_keys(self, now: float) -> None:
        try:
            metadata = (await self.api.request("openid_metadata", "GET", self.openid_url)).body
            jwks_uri = str((metadata or {}).get("jwks_uri") or "")
            if not jwks_uri.startswith(("https://", "http://")):
                raise Unauthorized("the OpenID metadata names no jwks_uri")
            keys = (await self.api.request("openid_keys", "GET", jwks_uri)).body or {}
        except OutboundFailed as exc:
            if self._keys:
                log.warning("Bot Framework keys not refreshed (%s); keeping the ones read", exc)
                return
            raise KeysUnavailable(f"cannot read the Bot Framework's keys: {exc.reason}") from exc
        self._keys = {
            str(key["kid"]): key
            for key in keys.get("keys") or []
            if isinstance(key, dict) and key.get("kid") and key.get("kty") == "RSA"
        }
        self._read_at = now


def _at(value: Any, *path: str) -> Any:
    """What `value` holds at `path` (None where a step is no object)."""
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return value
