"""Doctor's check of `kubemedic mcp --http`: a token that is really set, and where it listens.

The MCP server hands every tool, cluster `diagnose` included, to whoever holds its token, so a
blank token (refused at start) and an address beyond this machine are the two ways an install
opens more than it meant to. Shown only when the MCP server is configured at all.
"""

from __future__ import annotations

from bot.runtime.addresses import is_loopback
from bot.settings import Settings
from responses.doctor import Check

NAME = "MCP server (kubemedic mcp --http)"
NEW_TOKEN = "set it to the output of `kubemedic keygen`, or remove the variable"
LOOPBACK_FIX = (
    "unset KUBEMEDIC_MCP_HOST (127.0.0.1) and reach it with `kubectl port-forward` or "
    "from the same pod; to serve other machines on purpose, set "
    "KUBEMEDIC_MCP_ALLOWED_HOSTS to the names its clients use"
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
