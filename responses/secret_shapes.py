"""Secrets known by their shape, wherever they sit: a rule set's token formats, and randomness.

Three kinds of shape:
- token formats from gitleaks' maintained rule set (`responses.secret_rules_gitleaks`,
  generated, never edited by hand): a prefix and length (`xoxb-`, `ghp_`, `glpat-`, `gsk_`,
  Telegram's `123456789:AA...`), or a vendor word near the value (`mailgun ... key-...`).
  As gitleaks does, a rule runs only on the lines holding one of its keywords, and a match
  counts only when its secret reaches the rule's entropy floor and no allowlist covers it;
- formats of Kubernetes and Unix themselves: bootstrap tokens (`abcdef.0123456789abcdef`)
  and crypt/htpasswd hashes (`$apr1$`, `$2y$`, `$6$`, yescrypt, argon2, `{SHA}`); and the
  `sk-`/`sk_` ("secret key") prefix convention, whatever vendor uses it;
- randomness (`responses.secret_entropy`): a long run of letters and digits that no word
  or identifier explains.
Only the secret goes: the keyword, the key and the error words around it stay.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from typing import Any

import re2  # google-re2 (no type information): gitleaks' rules are RE2 syntax, and run linear

from intents.lazy_re import lazy_compile
from responses.secret_entropy import random_spans
from responses.secret_rules_gitleaks import ALLOWED, RULES

Span = tuple[int, int]
_DIGIT = lazy_compile(r"[0-9]")
_DIGEST = lazy_compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")
_NAME = lazy_compile(r"[a-z0-9]{1,16}+(?:[.-][a-z0-9]{1,16}+)++")
"""A Kubernetes name (`cloudflare-operator-controller-manager-6c69d7595-fvqr5`): short parts."""
_LETTER = lazy_compile(r"[A-Za-z]")

_OWN_FORMATS = lazy_compile(
    # Kubernetes bootstrap tokens (kubeadm token list, join): random [a-z0-9], so the secret half
    # has a digit and a letter past f (an event name's suffix is hex; org.apache.dolphinscheduler
    # has no digit)
    r"(?<![\w.-])[a-z0-9]{6}\.(?=[a-z0-9]{0,15}[0-9])(?=[a-z0-9]{0,15}[g-z])[a-z0-9]{16}\b"
    r"|\$(?<![\w$]\$)(?:apr1|1|5|6|2[abxy]|y|gy|7|argon2(?:id|i|d))\$[^\s:'\"]{8,}+"  # crypt(3)
    r"|\{S?SHA\}[A-Za-z0-9+/]{20,}+={0,2}"  # htpasswd {SHA}
    # "sk" for secret key, by the convention of OpenAI, Stripe, Anthropic, OpenRouter, Groq...:
    # sk- or sk_ and at least 32 more token characters with a digit (names are shorter)
    r"|\bsk[-_](?=[A-Za-z0-9_-]{0,200}[0-9])[A-Za-z0-9_-]{32,}+"
)


@functools.cache
def _compiled() -> tuple[Any, dict[str, list[int]], list[Any]]:
    """The keyword matcher (an RE2 set), which rules each keyword starts, the global allowlist.
    Rules themselves compile when their keyword is first seen (`_rule`): a short paste needs few."""
    by_keyword: dict[str, list[int]] = {}
    for index, (_id, words, *_rest) in enumerate(RULES):
        for word in words:
            by_keyword.setdefault(word, []).append(index)
    keywords = re2.Set.SearchSet()
    for encoded in _keyword_list():
        keywords.Add(re2.escape(encoded))
    keywords.Compile()
    allowed = [re2.compile(regex) for regex in ALLOWED]
    return keywords, by_keyword, allowed


@functools.cache
def _rule(index: int) -> Any:
    """Rule `index` compiled by RE2."""
    options = re2.Options()
    options.max_mem = 32 << 20
    return re2.compile(RULES[index][2], options)


@functools.cache
def _keyword_list() -> list[bytes]:
    """Every keyword of the rule set, lower-case UTF-8, in a fixed order (the RE2 set's indexes)."""
    return [word.encode() for word in sorted({word for rule in RULES for word in rule[1]})]


@functools.cache
def _nearby() -> list[bool]:
    """Which rules are the loosened `:nearby` forms (their secret must mix letters and digits)."""
    return [rule_id.endswith(":nearby") for rule_id, *_rest in RULES]


@functools.cache
def _rule_allowlist(index: int) -> list[Any]:
    return [re2.compile(regex) for regex in RULES[index][5]]


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _secret_span(match: Any, group: int) -> Span | None:
    """The secret in a rule's match: its secret group, else the first group that matched (as
    gitleaks reads it), else the whole match."""
    if group:
        return (match.start(group), match.end(group)) if match.group(group) else None
    for index in range(1, len(match.groups()) + 1):
        if match.group(index):
            return match.start(index), match.end(index)
    return match.start(), match.end()


def _regions(text: str) -> dict[int, tuple[int, int]]:
    """Rule -> the stretch of text from the first to the last line holding one of its keywords
    (matched lower-case, as gitleaks does); each rule then runs once there.

    One pass of an RE2 set says which keywords occur at all; `bytes.find`/`rfind` where. The
    search runs on UTF-8 bytes (google-re2 encodes a str argument on every call)."""
    keywords, by_keyword, _allowed = _compiled()
    data = text.lower().encode()
    regions: dict[int, tuple[int, int]] = {}
    for found in keywords.Match(data) or ():
        word = _keyword_list()[found]
        first, last = data.find(word), data.rfind(word)
        start = data.rfind(b"\n", 0, first) + 1
        end = data.find(b"\n", last + len(word))
        end = len(data) if end < 0 else end
        for index in by_keyword[word.decode()]:
            known = regions.get(index)
            regions[index] = (start, end) if known is None else (min(known[0], start), max(known[1], end))
    if len(data) == len(text) or not regions:
        return regions
    return {index: (len(data[:start].decode()), len(data[:end].decode()))  # bytes -> characters
            for index, (start, end) in regions.items()}


def _kept(index: int, secret: str) -> bool:
    """Whether a rule's match is a secret: its entropy floor, the safe shapes, the allowlists."""
    _id, _words, _regex, _group, floor, _allow = RULES[index]
    if floor and _entropy(secret) < floor:
        return False
    if _DIGEST.fullmatch(secret):
        return False  # a commit SHA or an image digest, whatever word is near
    if _nearby()[index] and (not (_DIGIT.search(secret) and _LETTER.search(secret))
                             or _NAME.fullmatch(secret)):
        return False  # a vendor word in prose, then a word or an object's name
    allowed = _compiled()[2]
    return not any(a.search(secret) for a in (*allowed, *_rule_allowlist(index)))


def rule_set_spans(text: str) -> list[Span]:
    """Spans of every secret a rule of the set finds (keyword on the line, entropy, allowlists)."""
    spans: list[Span] = []
    for index, (start, end) in sorted(_regions(text).items()):
        region = text[start:end]
        for match in _rule(index).finditer(region):
            span = _secret_span(match, RULES[index][3])
            if span is not None and _kept(index, region[span[0]:span[1]]):
                spans.append((start + span[0], start + span[1]))
    return spans


def shape_spans(text: str) -> list[Span]:
    """Spans of every secret known by its shape in `text`, unsorted, maybe overlapping."""
    spans = rule_set_spans(text)
    if "." in text or "$" in text or "{" in text or "sk" in text:
        spans.extend(match.span() for match in _OWN_FORMATS.finditer(text))
    spans.extend(random_spans(text))
    return spans


def replace_spans(text: str, spans: list[Span], redacted: str) -> str:
    """`text` with the merged `spans` replaced by `redacted`."""
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:  # overlapping or touching: one secret
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    done = 0
    for start, end in merged:
        parts += (text[done:start], redacted)
        done = end
    parts.append(text[done:])
    return "".join(parts)
