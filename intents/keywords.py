"""Generic phrases: words every system prints, which say a failure happened but not whose.

"dial tcp 10.0.0.5:5432: i/o timeout", "413 Request Entity Too Large", "quota exceeded", "permission
denied" are printed by databases, rate limiters, telemetry collectors and web apps as much as by
Kubernetes' components. A catalog entry matched on such words alone is no answer unless the paste
names what the entry is about: its component, its object or its field (the entry's `requires`, its
product, its tags). The decision's `keyword alone` rule (intents.decision.entry_rules) asks these
two questions; this module answers them from the entry's own text, so no entry needs a list of its
own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from intents.normalize import PLACEHOLDERS, canonical, clean_text
from intents.tokens import tokenize

GENERIC_WORDS = frozenset(
    {
        # a connection and how it failed
        "dial", "tcp", "udp", "i/o", "io", "timeout", "timeouts", "timed", "out", "deadline",
        "exceeded", "context", "connection", "connections", "connect", "connecting", "refused",
        "reset", "peer", "eof", "unexpected", "broken", "pipe", "route", "host", "unreachable",
        "network", "closed", "read", "write", "lookup", "net", "http", "https", "while",
        "port", "ports", "hostname", "address", "tls", "handshake",
        "awaiting", "headers", "client", "canceled", "cancelled", "waiting", "request",
        "requests", "response", "rpc", "grpc", "code", "desc", "transport", "dialing",
        "unavailable", "error", "errors", "failed", "failure", "fail", "get", "post", "put",
        # HTTP status lines and reason phrases
        "status", "statuscode", "returned", "entity", "too", "large", "payload", "many",
        "service", "bad", "gateway", "internal", "server", "unauthorized", "forbidden",
        "found", "upstream", "method", "allowed",
        # budgets every service keeps
        "quota", "quotas", "limit", "limits", "limited", "rate", "ratelimit", "throttled",
        "throttling", "exhausted", "reached",
        # refusals every service says
        "permission", "permissions", "denied", "access", "operation", "permitted",
    }
)  # fmt: skip
"""Words that name a kind of failure any program has (each alone, or with the others here)."""

BROAD_TAGS = frozenset(
    {
        "networking", "security", "access", "alert", "runtime", "workloads", "deploy",
        "operator", "container", "node", "storage", "volume", "service", "scheduling",
        "pending", "controller", "api", "kernel", "release", "monitoring",
        "termination", "memory", "secret", "rollout", "tls", "limits",
        # a typed command, in nearly every paste: who ran it, not what failed
        "kubectl",
    }
)  # fmt: skip
"""Tags that name an area rather than a component or object: no context on their own."""


SPELLINGS = {
    "apiserver": (
        r"(?:kube-)?api[- ]?server|:6443\b|/apis?/|/version\b|kubernetes\.default|\bk3s\b|\bk0s\b"
        r"|\brke2?\b|\bkubeadm\b|\bkubeconfig\b|\bkops\b|\beks(?:ctl)?\b|\baks\b|\bgke\b"
        r"|\bcontrol[- ]plane\b"
    ),
    "etcd": r"\betcd(?:server)?\b",
    "quota": (
        r"\bresourcequotas?\b|\bexceeded quota\b|\bopenshift\b|\bnamespaces?\b"
        r"|\b(?:limits|requests)\.(?:cpu|memory)\b"
    ),
    "database": (
        r"mysql|mariadb|postgres|\bpsql\b|redis|mongo|\bsql\b|database|\bdb\b|jdbc|hikari"
        r"|\bsqlstate\b|\berror \d{4}\b"
    ),
}
"""What a tag is about, as a paste shows it: the API server by its port, its paths or the
distribution that runs it; a ResourceQuota by its own words; a database by its engines."""


_PIECES = re.compile(r"[-./:_']")


def generic_token(token: str) -> bool:
    """A token every program prints: a generic word, a number or placeholder, or a compound of
    them (`net/http`, `i/o`)."""
    if token in GENERIC_WORDS or token in PLACEHOLDERS or token.isdigit():
        return True
    pieces = [piece for piece in _PIECES.split(token) if piece]
    return len(pieces) > 1 and all(generic_token(piece) for piece in pieces)


def generic_words(text: str) -> bool:
    """Every word of `text` is a generic one (intents.tokens' tokens of it)."""
    return all(generic_token(token) for token in tokenize(canonical(clean_text(text))))


def subject_pattern(product: str | None, tags: Sequence[str]) -> re.Pattern[str] | None:
    """What an entry is about, as one pattern over a paste: its product and its tags that name a
    component or an object, as whole words (None: the entry names nothing a paste could show)."""
    names = {n.lower() for n in [product or "", *tags] if n and n not in BROAD_TAGS}
    spelled = [SPELLINGS[n] for n in sorted(names) if n in SPELLINGS]
    words = sorted(
        (n for n in names if n not in SPELLINGS and not generic_words(n) and not n.isdigit()),
        key=len,
    )
    if words:
        plain = "|".join(re.escape(word).replace(r"\-", r"[- ]?") for word in words)
        spelled.append(rf"(?<![\w-])(?:{plain})(?![\w-])")
    return re.compile("|".join(spelled), re.IGNORECASE) if spelled else None
