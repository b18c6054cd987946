"""Mattermost's REST API (v4), the calls kubemedic makes, over one kept-alive aiohttp session.

Written against the API directly: the Python clients on PyPI either stopped in 2022 with a
blocking REST half (mattermostdriver) or bring a second HTTP stack whose client sleeps out a
429 itself (mattermostautodriver), which the alert loop must not do: it holds back only the
channel a 429 was about. Every refusal becomes a `MattermostError` with Mattermost's own error
id ("api.context.404.app_error") and HTTP status; an unreachable server is `transient`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp

API = "/api/v4"
TIMEOUT = aiohttp.ClientTimeout(total=15)


class MattermostError(Exception):
    """Mattermost refused a call (`status`, `error`: its error id), or could not be reached
    (`transient`, status 0). `retry_after`: seconds a 429 asked to wait."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 0,
        message: str = "",
        transient: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{error} ({status}): {message}" if status else error)
        self.error = error
        self.status = status
        self.message = message
        self.transient = transient or status >= 500 or status == 429
        self.retry_after = retry_after

    @property
    def gone(self) -> bool:
        """The post or channel no longer exists (or the bot may not see it)."""
        return self.status in (403, 404)


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL, the port filled in; None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port


def _shown_origin(url: str) -> str:
    """A URL's scheme and host as a log line may show them (never its path: it holds the hook)."""
    found = origin(url)
    return f"{found[0]}://{found[1]}:{found[2]}" if found else "(not an http URL)"


def _retry_after(headers: Mapping[str, str]) -> float | None:
    for name in ("Retry-After", "X-Ratelimit-Reset"):
        value = headers.get(name)
        if value is not None:
            try:
                return max(0.0, float(value))
            except ValueError:
                return None
    return None


class MattermostClient:
    """The bot account's REST calls; `session` is opened by `open()` or given."""

    def __init__(
        self, base_url: str, token: str, *, session: aiohttp.ClientSession | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._session = session
        self._own_session = session is None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
            self._own_session = True
        return self._session

    async def close(self) -> None:
        if self._own_session and self._session is not None:
            await self._session.close()

    @property
    def websocket_url(self) -> str:
        scheme, rest = self.base_url.split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}{API}/websocket"

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        params: Mapping[str, str] | None = None,
    ) -> Any:
        """One API call (`path` below /api/v4); the decoded JSON answer. MattermostError."""
        url = f"{self.base_url}{API}{path}"
        try:
            async with self.session.request(
                method, url, json=json, params=params, headers=self.auth_headers()
            ) as response:
                body = (
                    await response.json(content_type=None) if response.content_length != 0 else None
                )
                if response.status >= 400:
                    raise _error(response.status, body, response.headers)
                return body
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise MattermostError(f"Mattermost unreachable: {exc}", transient=True) from exc
        except ValueError as exc:  # not JSON: a proxy's error page
            raise MattermostError("not a Mattermost answer", transient=True) from exc

    async def post_json(self, url: str, body: object) -> None:
        """POST to an absolute URL Mattermost handed out (a slash command's response_url), only
        on the configured server: whoever holds the slash command's token sends that URL, and
        could otherwise have the bot's answers posted anywhere (a redirect is not followed)."""
        if origin(url) is None or origin(url) != origin(self.base_url):
            raise MattermostError(
                f"response_url {_shown_origin(url)} is not on the Mattermost server "
                f"{_shown_origin(self.base_url)} (KUBEMEDIC_MATTERMOST_URL): not posted there"
            )
        try:
            async with self.session.post(url, json=body, allow_redirects=False) as response:
                if response.status >= 400:
                    raise _error(
                        response.status, await response.json(content_type=None), response.headers
                    )
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise MattermostError(f"Mattermost unreachable: {exc}", transient=True) from exc
        except ValueError as exc:
            raise MattermostError("not a Mattermost answer", transient=True) from exc

    # ------------------------------------------------------------------ the calls kubemedic makes
    async def me(self) -> dict[str, Any]:
        return dict(await self.call("GET", "/users/me"))

    async def user(self, user_id: str) -> dict[str, Any]:
        return dict(await self.call("GET", f"/users/{user_id}"))

    async def channel(self, channel_id: str) -> dict[str, Any]:
        return dict(await self.call("GET", f"/channels/{channel_id}"))

    async def join(self, channel_id: str, user_id: str) -> None:
        await self.call("POST", f"/channels/{channel_id}/members", json={"user_id": user_id})

    async def create_post(
        self,
        channel_id: str,
        message: str,
        *,
        root_id: str | None = None,
        props: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"channel_id": channel_id, "message": message}
        if root_id:
            body["root_id"] = root_id
        if props:
            body["props"] = dict(props)
        return dict(await self.call("POST", "/posts", json=body))

    async def patch_post(
        self, post_id: str, message: str, *, props: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Edit a post in place (the bot's own); `props` replaces the attachments and their buttons."""
        body: dict[str, Any] = {"message": message, "props": dict(props or {"attachments": []})}
        return dict(await self.call("PUT", f"/posts/{post_id}/patch", json=body))

    async def get_post(self, post_id: str) -> dict[str, Any]:
        return dict(await self.call("GET", f"/posts/{post_id}"))

    async def pin(self, post_id: str) -> None:
        await self.call("POST", f"/posts/{post_id}/pin")

    async def channel_posts(
        self, channel_id: str, *, page: int = 0, per_page: int = 200, since_ms: int | None = None
    ) -> dict[str, Any]:
        """A page of a channel's posts, newest first: {"order": [ids], "posts": {id: post}}."""
        params = (
            {"since": str(since_ms)}
            if since_ms is not None
            else {"page": str(page), "per_page": str(per_page)}
        )
        return dict(await self.call("GET", f"/channels/{channel_id}/posts", params=params))

    async def thread(self, post_id: str) -> dict[str, Any]:
        return dict(await self.call("GET", f"/posts/{post_id}/thread"))

    async def open_dialog(self, trigger_id: str, url: str, dialog: Mapping[str, Any]) -> None:
        """An interactive dialog for the user whose click gave `trigger_id` (a few seconds valid)."""
        await self.call(
            "POST",
            "/actions/dialogs/open",
            json={"trigger_id": trigger_id, "url": url, "dialog": dict(dialog)},
        )


def _error(status: int, body: object, headers: Mapping[str, str]) -> MattermostError:
    data = body if isinstance(body, dict) else {}
    return MattermostError(
        str(data.get("id") or f"http_{status}"),
        status=status,
        message=str(data.get("message") or "")[:300],
        retry_after=_retry_after(headers) if status == 429 else None,
    )
