"""Secrets known by a prefix of their own format, where gitleaks' rule set has none.

A token format that starts with a fixed prefix and runs on in its own alphabet is a secret
wherever it sits, whatever word is near: the prefix says what it is, and it survives a paste
that cuts off the key it was assigned to. gitleaks' rules (`responses.redaction.rules_gitleaks`)
cover most vendors; this table holds the formats it lacks, and the conventions of Kubernetes
and Unix themselves:
- PASETO tokens (`v1`..`v4`, `local`/`public`) and PASERK keys (`k4.secret.`, `k3.local.`);
- Fernet tokens (`gAAAAA`: version byte 0x80 and a timestamp, base64url);
- Tailscale (`tskey-auth-`, `tskey-api-`, `tskey-client-`...), Doppler (`dp.st.`, `dp.sa.`,
  `dp.ct.`, `dp.scim.`, `dp.audit.`), Supabase (`sbp_`, `sb_secret_`), Render (`rnd_`),
  CircleCI (`CCIPAT_`, `CCIPRJ_`), Buildkite (`bkua_`), LangSmith (`lsv2_pt_`/`lsv2_sk_`),
  Pinecone (`pcsk_`), xAI (`xai-`), Replicate (`r8_`), Docker (`dckr_pat_`/`dckr_oat_`),
  NVIDIA (`nvapi-`), Google OAuth access and refresh tokens (`ya29.`, `1//0`), Slack's rotating
  and client tokens (`xoxe.xoxp-`, `xoxe-`, `xoxc-`);
- Kubernetes bootstrap tokens (`abcdef.0123456789abcdef`), crypt(3)/htpasswd hashes and
  the `sk-`/`sk_` ("secret key") prefix that OpenAI, Stripe, Anthropic and others share.
A prefix rule needs the token's own alphabet right after it and a minimum length, so prose
(`v2.local.cluster`, `gAAAA` in a word, `xai-sdk`) is not taken for a token; the type word
itself stays (`tskey-auth-[REDACTED]`), so a reader still sees what kind of token it was.
One pattern per prefix, each starting with a literal the engine skips ahead to; a pattern
runs only when one of its literals occurs in the text (one RE2 set pass says which do).
"""

from __future__ import annotations

import functools
from typing import Any

import re2  # google-re2 (no type information): one pass finds which prefixes occur

from intents.lazy_re import LazyPattern, lazy_compile

Span = tuple[int, int]
_E = r"(?![\w-])"
"""A token ends at a word's end."""


def _token(literal: str, rest: str) -> LazyPattern:
    """`literal` at a word's start (the engine skips ahead to it), then `rest`, to a word's end;
    `rest` names the secret part `secret`."""
    return lazy_compile(rf"{literal}(?<![\w.-]{literal}){rest}{_E}")


_B64U = r"[A-Za-z0-9_-]"
_PASERK = r"local|secret|local-wrap\.pie|secret-wrap\.pie|local-pw|secret-pw|seal"
PREFIXES: tuple[tuple[tuple[str, ...], LazyPattern], ...] = (
    # Kubernetes bootstrap tokens (kubeadm token list, join): random [a-z0-9], so the secret half
    # has a digit and a letter past f (an event name's suffix is hex; org.apache.dolphinscheduler
    # has no digit). Found from its dot; `_BOOTSTRAP_ID` widens the span to the id before it.
    (
        (".",),
        lazy_compile(
            r"\.(?<=[a-z0-9]{6}\.)(?<![\w.-][a-z0-9]{6}\.)(?=[a-z0-9]{0,15}[0-9])"
            r"(?=[a-z0-9]{0,15}[g-z])[a-z0-9]{16}\b"
        ),
    ),
    # crypt(3) and htpasswd hashes: $apr1$, $1$, $5$, $6$, bcrypt $2y$, yescrypt $y$, argon2; {SHA}.
    (
        ("$",),
        lazy_compile(
            r"\$(?<![\w$]\$)(?:apr1|1|5|6|2[abxy]|y|gy|7|argon2(?:id|i|d))\$"
            r"[^\s:'\"]{8,}+"
        ),
    ),
    (("sha}",), lazy_compile(r"\{S?SHA\}[A-Za-z0-9+/]{20,}+={0,2}")),
    # "sk" for secret key, by the convention of OpenAI, Stripe, Anthropic, OpenRouter, Groq...:
    # sk- or sk_ and at least 32 more token characters with a digit (names are shorter)
    (("sk",), lazy_compile(r"sk(?<![\w-]sk)[-_](?=[A-Za-z0-9_-]{0,200}[0-9])[A-Za-z0-9_-]{32,}+")),
    (
        (".local.", ".public."),
        _token("v", rf"[1-4]\.(?:local|public)\.(?P<secret>{_B64U}{{40,}}+(?:\.{_B64U}++)?)"),
    ),
    (
        (".local", ".secret", ".seal."),
        _token("k", rf"[1-4]\.(?:{_PASERK})\.(?P<secret>{_B64U}{{20,}}+)"),
    ),
    (("gaaaaa",), lazy_compile(rf"gAAAAA(?<![\w-]gAAAAA)(?P<secret>{_B64U}{{40,}}+={{0,2}})")),
    (
        ("tskey-",),
        _token(
            "tskey-",
            r"(?:[a-z]{1,10}-)?(?=[A-Za-z-]{0,80}[0-9])"
            r"(?P<secret>[A-Za-z0-9]{6,}+-[A-Za-z0-9]{16,}+|[A-Za-z0-9]{16,}+)",
        ),
    ),
    (
        ("dp.",),
        _token(
            "dp",
            r"\.(?:st|sa|ct|pt|scim|audit)\.(?:[a-z0-9_-]{1,40}\.)?"
            r"(?P<secret>[A-Za-z0-9]{40,}+)",
        ),
    ),
    (
        ("sbp_", "sb_secret_"),
        _token("sb", r"(?:p_|_secret_)(?P<secret>[a-f0-9]{40}|(?<=_secret_)[A-Za-z0-9_-]{20,}+)"),
    ),
    (("rnd_",), _token("rnd_", r"(?P<secret>[A-Za-z0-9]{32,}+)")),
    (
        ("ccipat_", "cciprj_"),
        _token("CCIP", r"(?:AT|RJ)_(?P<secret>[A-Za-z0-9]{16,}+_[a-f0-9]{40})"),
    ),
    (("bkua_",), _token("bkua_", r"(?P<secret>[a-f0-9]{40})")),
    (("lsv2_",), _token("lsv2_", r"(?:pt|sk)_(?P<secret>[a-f0-9]{32}_[a-f0-9]{10})")),
    (("pcsk_",), _token("pcsk_", r"(?P<secret>[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,}+)")),
    (("xai-",), _token("xai-", r"(?P<secret>[A-Za-z0-9]{60,}+)")),
    (("r8_",), _token("r8_", r"(?P<secret>[A-Za-z0-9]{36,}+)")),
    (("dckr_",), _token("dckr_", r"(?:pat|oat)_(?P<secret>[A-Za-z0-9_-]{20,}+)")),
    (("nvapi-",), _token("nvapi-", r"(?P<secret>[A-Za-z0-9_-]{40,}+)")),
    # Slack tokens of every kind, also the rotating ones gitleaks' shapes miss (`xoxe.xoxp-1-...`,
    # refresh tokens `xoxe-1-...`, client tokens `xoxc-`), whatever their case.
    (
        ("xox",),
        _token(
            "xox", r"(?:e\.xox)?[a-z]-(?=[A-Za-z0-9-]{0,300}[0-9])(?P<secret>[A-Za-z0-9-]{20,}+)"
        ),
    ),
    (("ya29.",), _token("ya29", rf"\.(?P<secret>{_B64U}{{30,}}+)")),
    (("1//0",), lazy_compile(r"1//0(?<![\w/]1//0)(?P<secret>[A-Za-z0-9_-]{40,}+)")),
)
_BOOTSTRAP_ID = 6


@functools.cache
def _literals() -> tuple[Any, list[list[int]]]:
    """An RE2 set of every prefix's literals, and which patterns each literal opens."""
    words = sorted({literal for needed, _pattern in PREFIXES for literal in needed})
    found = re2.Set.SearchSet()
    for word in words:
        found.Add(re2.escape(word.encode()))
    found.Compile()
    opens = [[at for at, (needed, _p) in enumerate(PREFIXES) if word in needed] for word in words]
    return found, opens


def prefix_spans(text: str) -> list[Span]:
    """Spans of every token known by its prefix (and of bootstrap tokens and crypt hashes)."""
    spans: list[Span] = []
    found, opens = _literals()
    words = found.Match(text.lower().encode()) or ()
    present = sorted({at for word in words for at in opens[word]})
    for needed, pattern in (PREFIXES[at] for at in present):
        for match in pattern.finditer(text):
            if "secret" in match.re.groupindex:  # the type word stays: `tskey-auth-[REDACTED]`
                spans.append(match.span("secret"))
                continue
            start = match.start() - (_BOOTSTRAP_ID if needed == (".",) else 0)
            spans.append((start, match.end()))
    return spans
