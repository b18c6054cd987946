"""Secrets known by their shape, wherever they sit: a rule set's token formats, and randomness.

Three kinds of shape:
- token formats from gitleaks' maintained rule set (`responses.redaction.rules_gitleaks`,
  generated, never edited by hand): a prefix and length (`xoxb-`, `ghp_`, `glpat-`, `gsk_`,
  Telegram's `123456789:AA...`), or a vendor word near the value (`mailgun ... key-...`).
  As gitleaks does, a rule runs only on the lines holding one of its keywords, and a match
  counts only when its secret reaches the rule's entropy floor and no allowlist covers it;
- prefixes the rule set lacks (`responses.redaction.prefixes`: PASETO, Fernet, Tailscale,
  Doppler...), and the formats of Kubernetes and Unix themselves (bootstrap tokens,
  crypt/htpasswd hashes, the `sk-`/`sk_` secret-key convention);
- randomness (`responses.redaction.entropy`): a long run of letters and digits that no word
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
from responses.redaction.entropy import random_spans
from responses.redaction.prefixes import prefix_spans
from responses.redaction.rules_gitleaks import ALLOWED, RULES

Span = tuple[int, int]
_DIGIT = lazy_compile(r"[0-9]")
_DIGEST = lazy_compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")
_NAME = lazy_compile(r"[a-z0-9]{1,16}+(?:[.-][a-z0-9]{1,16}+)++")
"""A Kubernetes name (`cloudflare-operator-controller-manager-6c69d7595-fvqr5`): short parts."""
_LETTER = lazy_compile(r"[A-Za-z]")


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


_GAP = 4096
"""Keyword lines closer than this (bytes) are read in one search: a call costs more than a gap."""
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _keyword_lines(data: bytes, word: bytes) -> list[list[int]]:
    """The lines holding `word`, as [start, end] byte spans, those within `_GAP` merged."""
    spans: list[list[int]] = []
    at = data.find(word)
    while at >= 0:
        end = data.find(b"\n", at + len(word))
        end = len(data) if end < 0 else end
        if spans and at - spans[-1][1] <= _GAP:
            spans[-1][1] = end
        else:
            spans.append([data.rfind(b"\n", 0, at) + 1, end])
        at = data.find(word, end)
    return spans


def _regions(text: str) -> dict[int, list[Span]]:
    """Rule -> the stretches of text holding one of its keywords (matched lower-case, as gitleaks
    does): its lines, close ones merged; each rule then runs once per stretch.

    One pass of an RE2 set says which keywords occur at all; `bytes.find` where. The search runs
    on UTF-8 bytes (google-re2 encodes a str argument on every call)."""
    keywords, by_keyword, _allowed = _compiled()
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower to two characters: keep offsets
        lowered = text.translate(_ASCII_LOWER)
    data = lowered.encode()
    regions: dict[int, list[list[int]]] = {}
    for found in keywords.Match(data) or ():
        word = _keyword_list()[found]
        lines = _keyword_lines(data, word)
        for index in by_keyword[word.decode()]:
            regions.setdefault(index, []).extend(lines)
    merged = {index: _merged(spans) for index, spans in regions.items()}
    if len(data) == len(text):
        return merged
    offsets = sorted({edge for spans in merged.values() for span in spans for edge in span})
    chars, done, count = {}, 0, 0  # bytes -> characters, in one pass (edges are line edges)
    for edge in offsets:
        count += len(data[done:edge].decode())
        chars[edge], done = count, edge
    return {
        index: [(chars[start], chars[end]) for start, end in spans]
        for index, spans in merged.items()
    }


def _merged(spans: list[list[int]]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start - out[-1][1] <= _GAP:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _kept(index: int, secret: str) -> bool:
    """Whether a rule's match is a secret: its entropy floor, the safe shapes, the allowlists."""
    _id, _words, _regex, _group, floor, _allow = RULES[index]
    if floor and _entropy(secret) < floor:
        return False
    if _DIGEST.fullmatch(secret):
        return False  # a commit SHA or an image digest, whatever word is near
    if _nearby()[index] and (
        not (_DIGIT.search(secret) and _LETTER.search(secret)) or _NAME.fullmatch(secret)
    ):
        return False  # a vendor word in prose, then a word or an object's name
    allowed = _compiled()[2]
    return not any(a.search(secret) for a in (*allowed, *_rule_allowlist(index)))


def rule_set_spans(text: str) -> list[Span]:
    """Spans of every secret a rule of the set finds (keyword on the line, entropy, allowlists)."""
    spans: list[Span] = []
    for index, stretches in sorted(_regions(text).items()):
        for start, end in stretches:
            region = text[start:end]
            for match in _rule(index).finditer(region):
                span = _secret_span(match, RULES[index][3])
                if span is not None and _kept(index, region[span[0] : span[1]]):
                    spans.append((start + span[0], start + span[1]))
    return spans


def shape_spans(text: str) -> list[Span]:
    """Spans of every secret known by its shape in `text`, unsorted, maybe overlapping."""
    spans = rule_set_spans(text)
    spans.extend(prefix_spans(text))
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
