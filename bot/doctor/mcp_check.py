"""Doctor's check of `kubemedic mcp --http`: a token that is really set, and where it listens.

The MCP server hands every tool, cluster `diagnose` included, to whoever holds its token, so a
blank token (refused at start) and an address beyond this machine are the two ways an install
opens more than it meant to. Shown only when the MCP server is configured at all.
"""

from __future__ import annotations

import re

from bot.runtime.addresses import is_loopback
from bot.settings import Settings
from responses.doctor import Check

MIN_TOKEN_BYTES = 32
GENERATE = "generate one with `openssl rand -hex 32`"
_WORDY = re.compile(r"[A-Za-z][A-Za-z .,'_-]*")
NAME = "MCP server (kubemedic mcp --http)"
NEW_TOKEN = "put a long random value in it (`openssl rand -hex 32`) or remove the variable"
LOOPBACK_FIX = (
    "unset KUBEMEDIC_MCP_HOST (127.0.0.1) and reach it with `kubectl port-forward` or "
    "from the same pod; to serve other machines on purpose, set "
    "KUBEMEDIC_MCP_ALLOWED_HOSTS to the names its clients use"
)


def token_problem(raw: str) -> str | None:
    """Why a bearer token is too weak to face online guessing (None when it is long and random
    enough). A bearer token is only ever guessed online, at the port; a signing key, guessed
    offline, must come from `kubemedic keygen` instead (bot/runtime/signing_key.py)."""
    token = raw.strip()
    size = len(token.encode())
    if size < MIN_TOKEN_BYTES:
        return f"is {size} bytes; it must be at least {MIN_TOKEN_BYTES} random bytes"
    if len(set(token)) < 12:
        return f"uses only {len(set(token))} distinct characters; it must be random"
    if _WORDY.fullmatch(token):
        return "looks like words (letters only); it must be random"
    for unit in range(1, len(token) // 2 + 1):
        if len(token) % unit == 0 and token[:unit] * (len(token) // unit) == token:
            return "repeats a shorter value; it must be random"
    return None


def weak_token(token: str, host: str) -> str | None:
    """Why the token is too weak for `host`, or None. On loopback only this machine's processes
    can guess at it, so any token will do; beyond it, whoever reaches the port can, as often as
    they like: it must be 32 random bytes or more (128 bits as hex, out of reach of online
    guessing), not a word, a name or a repeated value."""
    if is_loopback(host):
        return None
    problem = token_problem(token)
    if problem is None:
        return None
    return (
        f"KUBEMEDIC_MCP_TOKEN {problem}: `kubemedic mcp --http` listens beyond this machine on "
        f"{host}, where anyone who reaches the port can guess at it ({GENERATE})"
    )


def mcp_check(settings: Settings) -> Check | None:
    """One line about the MCP server's token and address; None when it is not configured."""
    host = settings.mcp_host
    configured = (
        settings.mcp_token is not None
        or "mcp_host" in settings.model_fields_set
        or bool(settings.mcp_allowed_hosts)
    )
    if not configured:
        return None
    if settings.mcp_bearer is None:
        said = "is blank, which counts as unset" if settings.mcp_token is not None else "is not set"
        return Check(
            NAME,
            "fail",
            f"KUBEMEDIC_MCP_TOKEN {said}: `kubemedic mcp --http` refuses to start",
            NEW_TOKEN,
        )
    if is_loopback(host):
        return Check(NAME, "ok", f"token set; listens on {host}, this machine only")
    weak = weak_token(settings.mcp_bearer, host)
    if weak is not None:
        return Check(NAME, "fail", f"{weak}; `kubemedic mcp --http` refuses to start", NEW_TOKEN)
    if not settings.mcp_allowed_hosts:
        return Check(
            NAME,
            "fail",
            f"KUBEMEDIC_MCP_HOST={host}: it listens beyond this machine, "
            "and no client name is allowed (KUBEMEDIC_MCP_ALLOWED_HOSTS)",
            LOOPBACK_FIX,
        )
    names = ", ".join(settings.mcp_allowed_hosts)
    return Check(
        NAME,
        "info",
        f"listens on {host}, beyond this machine: only clients that send "
        f"the token and name it {names}, its address or loopback are answered",
    )
