"""Validate object names before anything reaches the API server.

Names come from Slack users and shells.  Kubernetes would reject a bad name
itself, but only after a round-trip, with a message about URLs; and a name
with '/' or '..' could address a different API path altogether.  So every
name is checked here against RFC 1123 (what the API server enforces) and
refused with one specific line, before any request is made.
"""

from __future__ import annotations

import re

from bot.errors import BadInput

MAX_SUBDOMAIN = 253
MAX_LABEL = 63
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_ALLOWED = set("abcdefghijklmnopqrstuvwxyz0123456789-.")
SHOWN_CHARS = 40


def _shown(value: str) -> str:
    """The user's value, quoted and shortened, safe to echo on one line."""
    short = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "..."
    return ascii(short)


def _why_invalid(value: str, *, label: bool) -> str | None:
    """What is wrong with `value` as a DNS-1123 label/subdomain, or None."""
    limit = MAX_LABEL if label else MAX_SUBDOMAIN
    if not value:
        return "must not be empty"
    if len(value) > limit:
        return f"must be at most {limit} characters (got {len(value)})"
    if "/" in value or ".." in value:
        return "must not contain '/' or '..'"
    return _character_problem(value, label=label)


def _character_problem(value: str, *, label: bool) -> str | None:
    """Characters outside what a label (no '.') or a subdomain allows, or a bad first/last one."""
    if not value.isascii():
        return "must be plain ASCII (lowercase letters, digits, '-' and '.')"
    if any(ch.isupper() for ch in value):
        return "must be lowercase"
    if bad := sorted(set(value) - (_ALLOWED - {"."} if label else _ALLOWED)):
        return _disallowed(bad, label=label)
    if not (_LABEL if label else _SUBDOMAIN).match(value):
        return "must start and end with a letter or digit (each '.'-separated part too)"
    return None


def _disallowed(bad: list[str], *, label: bool) -> str:
    shown = " ".join(ascii(ch) for ch in bad[:5])
    allowed = "letters, digits and '-'" if label else "letters, digits, '-' and '.'"
    return f"may only contain lowercase {allowed} (found {shown})"


def check_name(value: str, *, what: str) -> str:
    """Return `value` if it is a valid object name (DNS-1123 subdomain), else raise BadInput."""
    problem = _why_invalid(value, label=False)
    if problem:
        raise BadInput(f"invalid {what} name {_shown(value)}: {problem}")
    return value


def check_namespace(value: str) -> str:
    """Return `value` if it is a valid namespace name (DNS-1123 label), else raise BadInput."""
    problem = _why_invalid(value, label=True)
    if problem:
        raise BadInput(f"invalid namespace {_shown(value)}: {problem}")
    return value


def parse_pod_ref(ref: str, *, namespace: str | None = None) -> tuple[str, str]:
    """Split "NAMESPACE/NAME" (or NAME with `namespace`) into checked (namespace, name)."""
    if namespace is not None and "/" not in ref:
        return check_namespace(namespace), check_name(ref, what="pod")
    parts = ref.split("/")
    if len(parts) != 2 or namespace is not None:
        raise BadInput(f"expected NAMESPACE/NAME (e.g. tidb/basic-tikv-1), got {_shown(ref)}")
    return check_namespace(parts[0]), check_name(parts[1], what="pod")


def parse_service_ref(ref: str) -> tuple[str, str]:
    """Split "NAMESPACE/NAME" into a checked namespace and Service name (a DNS-1123 label)."""
    parts = ref.split("/")
    if len(parts) != 2:
        raise BadInput(f"expected NAMESPACE/NAME (e.g. shop/checkout), got {_shown(ref)}")
    problem = _why_invalid(parts[1], label=True)
    if problem:
        raise BadInput(f"invalid service name {_shown(parts[1])}: {problem}")
    return check_namespace(parts[0]), parts[1]
