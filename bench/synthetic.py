"""Synthetic catalogs and pastes of realistic shape, for the matching benchmark.

Synthetic entries are derived from the real ones: each copies a real entry
and swaps about half of every symptom's words for words from a large
synthetic vocabulary (Zipf-distributed, so some are shared and some are
rare), which grows the vocabulary the way a real large catalog would.
Pastes are real corpus cases buried in generated application log noise.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from intents.schema import CatalogEntry

_WORD = re.compile(r"[A-Za-z]{3,}")
_SYLLABLES = ["ka", "zo", "mi", "tre", "vul", "pex", "nor", "qui", "sab", "dru", "fen", "lox"]

NOISE_TEMPLATES = [
    "{ts} INFO  [http-nio-8080-exec-{n}] c.e.shop.api.OrderController : GET /api/orders/{id} 200 {ms}ms",
    "{ts} DEBUG [worker-{n}] cache refresh finished keys={n2} evicted={n} took={ms}ms",
    '{{"level":"info","ts":"{ts}","caller":"server/handler.go:{n}","msg":"request served","path":"/v1/items/{id}","status":200,"duration_ms":{ms}}}',  # noqa: E501
    '{ts} I{n2:04d} reconciler.go:{n}] "Reconciled object" namespace="shop" name="cart-{id}" generation={n}',
    '10.{n}.{n2}.{ms} - - [{ts}] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"',
]


def synthetic_word(rng: random.Random, vocabulary: int) -> str:
    rank = min(int(rng.paretovariate(1.1)), vocabulary)
    local = random.Random(rank)
    return "".join(local.choice(_SYLLABLES) for _ in range(3)) + str(rank % 97)


def synthetic_catalog(real: list[CatalogEntry], size: int, *, seed: int = 7) -> list[CatalogEntry]:
    """`size` entries: the real ones plus derived synthetic ones."""
    rng = random.Random(seed)
    vocabulary = max(1000, size * 8)
    entries = list(real)
    for number in range(size - len(real)):
        source = real[number % len(real)]
        symptoms = [
            _WORD.sub(
                lambda m: synthetic_word(rng, vocabulary) if rng.random() < 0.5 else m.group(), s
            )
            for s in source.symptoms
        ]
        entries.append(
            replace(
                source,
                id=f"{source.id}-syn{number}",
                symptoms=list(dict.fromkeys(symptoms)),
                patterns=[],
            )
        )
    return entries


def noise_line(rng: random.Random) -> str:
    template = rng.choice(NOISE_TEMPLATES)
    return template.format(
        ts=f"2025-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}Z",  # noqa: E501
        n=rng.randint(1, 64),
        n2=rng.randint(0, 9999),
        id=rng.randint(10_000, 99_999),
        ms=rng.randint(1, 900),
    )


def corpus_cases() -> list[tuple[str, str]]:
    """Every labelled single-problem paste (tests/corpus/cases and the packs' cases) and its id."""
    from tests.corpus_cases import positive_cases

    return sorted((p.read_text(errors="replace"), entry_id) for p, entry_id in positive_cases())


def pastes(size: int, count: int, *, seed: int = 11) -> list[tuple[str, str]]:
    """`count` (paste, expected id) pairs of about `size` bytes each."""
    rng = random.Random(seed + size)
    cases = corpus_cases()
    if size <= 400:
        short = [case for case in cases if len(case[0].encode()) <= size * 1.5]
        return [rng.choice(short) for _ in range(count)]
    result = []
    for _ in range(count):
        text, label = rng.choice([case for case in cases if len(case[0]) < size // 2])
        lines = []
        while sum(len(line) + 1 for line in lines) < size - len(text):
            lines.append(noise_line(rng))
        lines.insert(rng.randint(0, len(lines)), text)
        result.append(("\n".join(lines)[: size + len(text)], label))
    return result
