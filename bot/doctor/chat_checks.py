"""Doctor's checks of the chats other than Slack: Mattermost (token, channels, callbacks) and Teams.

Mattermost: GET /api/v4/users/me proves the token and that it is a bot account's; every channel
alerts are routed to must have the bot as a member (GET /channels/{id}/members/{bot}); the slash
command's token and the callback URL must be set for `/diagnose` and buttons. Teams: the webhook
must answer over HTTP; doctor sends no message to it (a GET: any answer but 404 shows the URL
reaches a live endpoint), so running it never posts in the channel.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import aiohttp

from bot.settings import Settings
from responses.doctor import Check

TIMEOUT = aiohttp.ClientTimeout(total=10)
UNTRUSTED = (
    "Mattermost calls internal addresses only when its ServiceSettings.AllowedUntrustedInternalConnections "
    "lists them (System Console > Environment > Developer)"
)


async def _get(
    session: aiohttp.ClientSession, url: str, token: str
) -> tuple[int, dict[str, object]]:
    async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as reply:
        body = await reply.json(content_type=None) if reply.status != 204 else {}
        return reply.status, body if isinstance(body, dict) else {}


async def mattermost_checks(settings: Settings, channels: list[str]) -> list[Check]:
    """The account, the routed channels, the slash command and the callbacks."""
    base, secret = settings.mattermost_url, settings.mattermost_token
    if not base or secret is None:
        return [
            Check(
                "Mattermost token",
                "fail",
                "KUBEMEDIC_MATTERMOST_URL and KUBEMEDIC_MATTERMOST_TOKEN must both be set",
                "create a bot account (System Console > Integrations > Bot Accounts) and set "
                "its token; see docs/mattermost.md",
            )
        ]
    api, token = f"{base.rstrip('/')}/api/v4", secret.get_secret_value().strip()
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            status, me = await _get(session, f"{api}/users/me", token)
            if status != 200:
                return [
                    Check(
                        "Mattermost token",
                        "fail",
                        f"Mattermost answered {status}: {me.get('id') or me}",
                        "set KUBEMEDIC_MATTERMOST_TOKEN to the bot account's access token",
                    )
                ]
            checks = [
                Check(
                    "Mattermost token",
                    "ok" if me.get("is_bot") else "info",
                    f"@{me.get('username')} "
                    f"({'a bot account' if me.get('is_bot') else 'a person: prefer a bot account'})",
                )
            ]
            checks.append(await _channels(session, api, token, str(me.get("id")), channels))
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return [
            Check(
                "Mattermost token",
                "fail",
                f"cannot reach Mattermost at {base}: {exc or type(exc).__name__}",
                "let the pod reach the Mattermost server over HTTP(S)",
            )
        ]
    return [*checks, _command(settings), _callbacks(settings)]


async def _channels(
    session: aiohttp.ClientSession, api: str, token: str, bot: str, channels: list[str]
) -> Check:
    name = "Mattermost alert channels"
    if not channels:
        return Check(name, "info", "no alert channel routed (KUBEMEDIC_ALERT_CHANNEL unset)")
    problems: list[str] = []
    fine: list[str] = []
    for channel in channels:
        status, _ = await _get(session, f"{api}/channels/{channel}/members/{bot}", token)
        if status == 200:  # named, not by id: a 26-character id reads like a secret and is redacted
            fine.append(
                f"~{(await _get(session, f'{api}/channels/{channel}', token))[1].get('name') or channel}"
            )
        else:
            problems.append(f"{channel}: {status}")
    if problems:
        return Check(
            name,
            "fail",
            "the bot is not a member of " + ", ".join(problems),
            "add the bot to each channel (/invite @kubemedic) or fix the channel id",
        )
    return Check(name, "ok", f"the bot is a member of {', '.join(fine)}")


def _command(settings: Settings) -> Check:
    if settings.mattermost_command_token is None:
        return Check(
            "Mattermost /diagnose",
            "info",
            "KUBEMEDIC_MATTERMOST_COMMAND_TOKEN unset: no slash command "
            "(mentions and direct messages still work)",
        )
    return Check("Mattermost /diagnose", "ok", "slash command token set (POST /mattermost/command)")


def _callbacks(settings: Settings) -> Check:
    base = settings.mattermost_callback_url or settings.public_url
    if not base:
        return Check(
            "Mattermost buttons",
            "info",
            "no KUBEMEDIC_MATTERMOST_CALLBACK_URL or KUBEMEDIC_PUBLIC_URL: "
            "answers carry no buttons",
        )
    host = urlsplit(base).hostname or ""
    if _internal(host):
        return Check(
            "Mattermost buttons", "info", f"clicks go to {base}, an internal address: {UNTRUSTED}"
        )
    return Check("Mattermost buttons", "ok", f"clicks go to {base}/mattermost/actions")


def _internal(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith((".svc", ".local", ".internal", ".cluster.local"))
    return address.is_private or address.is_loopback or address.is_link_local


async def teams_check(settings: Settings) -> Check | None:
    """Whether the Teams webhook answers (None when Teams is not configured)."""
    if settings.teams_webhook_url is None:
        return None
    url = settings.teams_webhook_url.get_secret_value().strip()
    shown = urlsplit(url).hostname or "?"
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.get(url) as reply:
            status = reply.status
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return Check(
            "Teams webhook",
            "fail",
            f"cannot reach {shown}: {exc or type(exc).__name__}",
            "let the pod reach the webhook's host over HTTPS",
        )
    if status == 404:
        return Check(
            "Teams webhook",
            "fail",
            f"{shown} answered 404: no such webhook",
            "copy the URL again from the Workflows flow (it may have been deleted)",
        )
    return Check("Teams webhook", "ok", f"{shown} answers (HTTP {status}); no message was sent")
