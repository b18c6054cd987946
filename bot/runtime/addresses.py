"""Which listening addresses stay on this machine, and the names a local client sends for them.

`kubemedic mcp --http` listens on loopback unless told otherwise, checks the Host and Origin
headers on every address (DNS rebinding: a web page must not reach it through a name it
controls), and `kubemedic doctor` reports any other address; all three use these answers.
"""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
"""How a client on this machine names it in a Host header."""
EVERY_INTERFACE = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    """True when listening on `host` answers this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_header_name(host: str) -> str | None:
    """How a Host header names the listening address `host`; None for every interface."""
    name = host.strip()
    if name in EVERY_INTERFACE:
        return None
    return f"[{name}]" if ":" in name and not name.startswith("[") else name
