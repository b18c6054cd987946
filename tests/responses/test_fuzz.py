"""Random and hostile text in every field still renders to valid, bounded blocks."""

from __future__ import annotations

import functools
import json
import random
from dataclasses import replace

import pytest

from intents.results import Match, MatchedLine
from intents.schema import CatalogEntry, FixStep, Link
from responses.block_kit import diagnosis_blocks, fallback_text
from responses.buttons import feedback_buttons
from responses.diagnosis import Diagnosis, Finding, PodRow
from responses.redaction import redact
from tests.responses.conftest import check_limits, texts

PIECES = [
    "a",
    "word ",
    "\n",
    "`",
    "```",
    "&",
    "<",
    ">",
    "<!channel>",
    "*",
    "_",
    "~",
    "|",
    "🔴",
    "\u200b",
    "é",
    " password=hunter2 ",
    " Bearer abcdef123 ",
    "&amp;",
    "\t",
    "\\",
]
URL_PATHS = ["", "a|b", "<!channel>", "x>y", "q?token=abc123&p=1", "%20", "~`*_"]
SIZES = [0, 1, 40, 300, 3000, 20_000, 200_000]


def _make(rng: random.Random, size: int) -> str:
    pieces = rng.choices(PIECES, k=size // 4 + 1)
    if rng.random() < 0.3:  # a long run of one piece somewhere
        pieces.insert(rng.randrange(len(pieces)), rng.choice(PIECES) * (size // 2))
    return redact("".join(pieces)[:size])  # outside text is redacted where it comes in


@functools.cache
def _pool() -> dict[int, list[str]]:
    """Texts made once, when first needed (not at collection, by every worker): building 200 KB
    strings per field would dominate the test's time."""
    rng = random.Random(0)
    return {size: [_make(rng, size) for _ in range(12)] for size in SIZES}


def _text(rng: random.Random) -> str:
    return rng.choice(_pool()[rng.choice(SIZES)])


def _entry(rng: random.Random, base: CatalogEntry) -> CatalogEntry:
    steps = [
        FixStep(text=_text(rng) or "t", command=_text(rng) or None, config=_text(rng) or None)
        for _ in range(rng.randint(1, 40))
    ]
    links = [
        Link(url="https://example.com/" + rng.choice(URL_PATHS), title=_text(rng) or "t")
        for _ in range(rng.randint(1, 20))
    ]
    return replace(
        base, title=_text(rng) or "t", root_cause=_text(rng) or "r", fix=steps, links=links
    )


def _finding(rng: random.Random, base: CatalogEntry) -> Finding:
    lines = tuple(MatchedLine(_text(rng), "s", rng.random()) for _ in range(rng.randint(0, 6)))
    evidence = tuple(_text(rng) for _ in range(rng.choice([0, 1, 5, 500])))
    return Finding(
        Match(_entry(rng, base), rng.random(), lines), evidence, rng.choice([None, rng.random()])
    )


@pytest.mark.parametrize("seed", range(25))
def test_random_diagnoses_render_within_limits(
    seed: int,
    entries: dict[str, CatalogEntry],
) -> None:
    rng = random.Random(seed)
    base = entries[rng.choice(sorted(entries))]
    findings = tuple(_finding(rng, base) for _ in range(rng.choice([0, 1, 3, 60])))
    pods = tuple(
        PodRow(_text(rng), _text(rng), 0, rng.choice([None, *findings]))
        for _ in range(rng.choice([0, 0, 3, 400]))
    )
    diagnosis = Diagnosis(
        subject=_text(rng) or "pod x",
        findings=findings,
        gaps=tuple(_text(rng) for _ in range(rng.choice([0, 2, 60]))),
        cluster=rng.choice([None, _text(rng)]),
        notes=tuple(_text(rng) for _ in range(rng.choice([0, 2, 60]))),
        pods=pods,
        counts=(("Running", 3),) if pods else (),
    )
    blocks = diagnosis_blocks(
        diagnosis, buttons=feedback_buttons(f"d{seed}"), show_others=rng.random() < 0.8
    )
    check_limits(blocks)
    dumped = json.dumps(blocks)
    assert "hunter2" not in dumped and "abcdef123" not in dumped
    # Mentions are only parsed in mrkdwn; plain_text (header, buttons) shows them literally.
    mrkdwn = [text for kind, text in texts(blocks) if kind == "mrkdwn"]
    assert not [text for text in mrkdwn if "<!" in text]
    assert len(fallback_text(diagnosis)) <= 3000
