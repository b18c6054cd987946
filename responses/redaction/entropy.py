"""Random-looking runs: a secret with no prefix, no key and no format is still random.

A run of at least 20 base64 characters is a secret when nothing but chance explains it:
upper case, lower case and digits all mixed in (at least three of each case), short
"words" (a random string breaks into case and digit changes every couple of characters,
an identifier like `AmazonEC2ContainerRegistryReadOnly` into words of four or more), and a
Shannon entropy of at least 3.5 bits a character.

What stays, because answers and evidence need it and no secret has the shape:
- hex of any length (image digests, git SHAs, container and trace ids, pod-template hashes);
- one case only, with digits (Kubernetes object, pod, node and volume names, ReplicaSet
  suffixes, ULIDs, resource versions; a name is lower case by Kubernetes' own rule);
- generated names (`csi-v-laOElFJHK...`, a lowercase word and a dash, then anything);
- names joined by `-`, `_`, `.` or `:`, UUIDs, IPs and timestamps: they break the run
  into parts shorter than 20, and each part is judged alone;
- SSH public keys (`ssh-ed25519 AAAAC3...`): public, and their type word says so;
- paths (`com/OmegaRogue/<hex>`): a run with `/` whose parts include a word or a hash is
  judged part by part.
A base64url secret (`-` and `_` among its characters) breaks into parts, some shorter than 20:
such a run is judged whole without its separators first, if it is at least 32 long,
has few separators (a random run has one in 32 characters; identifiers join words with them)
and does not start as a generated name.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

from intents.lazy_re import lazy_compile

MINIMUM = 20
URL_SAFE_MINIMUM = 32
ENTROPY = 3.5
WORD_LENGTH = 2.5
"""A random run's camel-case words average under this length; identifiers' are longer."""

_RUN = lazy_compile(r"[A-Za-z0-9+/=_-]{20,}+")
_PART = lazy_compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{20,}+={0,2}")
"""A part of a run between `-`, `_` and `=` separators, long enough to judge."""
_HEX = lazy_compile(r"[0-9a-fA-F]++")
_SEPARATORS = lazy_compile(r"[-_]")
_LOWER_WORD = lazy_compile(r"[a-z]{5,}+")
_ULID = lazy_compile(r"[0-7][0-9A-HJKMNP-TV-Z]{25}")
_WORD_LIKE = lazy_compile(r"[a-z]{2,}+|[0-9a-fA-F]{7,}+|[0-7][0-9A-HJKMNP-TV-Z]{25}")
_WORDS = lazy_compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_NAME_PREFIX = lazy_compile(
    r"(?<![a-z0-9-])[a-z][a-z0-9]{1,15}+-(?:[a-z0-9]{1,15}+-)*+[A-Za-z0-9_]"
)
"""A run that starts as a lowercase name and a dash: what follows is the name's generated part."""
_PUBLIC_KEY = lazy_compile(
    r"(?:ssh-[a-z0-9]{2,12}+|ecdsa-sha2-[a-z0-9]{1,12}+|sk-[\w@.-]{1,40}+)[ \t]++$"
)


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(token: str) -> bool:
    """Whether a run of base64 characters (no separators) is explained by nothing but chance."""
    alnum = token.rstrip("=").replace("/", "").replace("+", "")
    if len(alnum) < MINIMUM or _HEX.fullmatch(alnum) or _ULID.fullmatch(alnum):
        return False
    upper = sum(1 for char in alnum if "A" <= char <= "Z")
    lower = sum(1 for char in alnum if "a" <= char <= "z")
    if upper < 3 or lower < 3:
        return False
    if upper + lower == len(alnum) and "/" not in token and "+" not in token:
        return False  # letters only: words run together (base64 has digits, / or +)
    words = len(_WORDS.findall(alnum))
    return len(alnum) / max(words, 1) < WORD_LENGTH and _entropy(alnum) >= ENTROPY


def _random_parts(part: str, offset: int) -> Iterator[tuple[int, int]]:
    """Spans of the random pieces of one part (a path is judged segment by segment)."""
    core = part.rstrip("=")
    if "/" in core and any(_WORD_LIKE.fullmatch(segment) for segment in core.split("/")):
        at = offset
        for segment in core.split("/"):
            if looks_random(segment):
                yield at, at + len(segment)
            at += len(segment) + 1
    elif looks_random(part):
        yield offset, offset + len(part)


def _random_url_safe(run: str) -> bool:
    """Whether a run with `-`/`_` separators is one random base64url token."""
    core = run.rstrip("=")
    separators = core.count("-") + core.count("_")
    if not separators or len(core) < URL_SAFE_MINIMUM or separators * 8 > len(core):
        return False
    if "/" in core or "=" in core:
        return False
    parts = _SEPARATORS.split(core)
    if sum(1 for part in parts if len(part) >= 4 and _HEX.fullmatch(part)) >= 2:
        return False  # UUIDs, ids joined with hashes
    if any(_LOWER_WORD.fullmatch(part) for part in parts):
        return False  # a name's words (`web-frontend-6f9d4b7c8-2lqzv`)
    if _NAME_PREFIX.match(core) or core[0] in "-_":
        return False
    return looks_random(core.replace("-", "").replace("_", ""))


def random_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of every random-looking run in `text`."""
    for run in _RUN.finditer(text):
        if run.group().startswith("AAAA") and _PUBLIC_KEY.search(
            text, max(0, run.start() - 60), run.start()
        ):
            continue
        if ("-" in run.group() or "_" in run.group()) and _random_url_safe(run.group()):
            yield run.span()
            continue
        for part in _PART.finditer(run.group()):
            segment = run.group().rfind("/", 0, part.start()) + 1
            if segment < part.start() and _NAME_PREFIX.match(run.group(), segment):
                continue  # csi-v-<random>: an object's generated name
            yield from _random_parts(part.group(), run.start() + part.start())
