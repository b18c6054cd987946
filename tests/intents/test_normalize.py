"""Normalisation: two sightings of the same error must compare equal.

Each case: two texts that differ only in what varies between incidents
(timestamps, IPs, hashes, escaping, Slack formatting) and must normalise to
the same canonical line.
"""

from __future__ import annotations

import functools

import pytest

from intents.normalize import canonical, clean_text
from intents.packs import builtin_entry_files
from intents.segments import split_segments

SAME = [
    # klog header and timestamp differ, message is the same
    (
        "E1218 15:49:00.395064       1 mux.go:58] failed to discover: dial tcp 10.0.0.12:2379: connect: connection refused",
        "E0301 01:02:03.000001       7 mux.go:58] failed to discover: dial tcp 172.16.4.9:2379: connect: connection refused",
    ),
    # pod-template hash suffixes and container ids
    (
        "Back-off restarting failed container app in pod web-7d4b9c8f6-x2x9z",
        "Back-off restarting failed container app in pod web-5c78d6bcd8-5ttcl",
    ),
    # UUIDs in a kubelet message
    (
        'pod: "tikv-0_ns(83ecafd1-d395-4ccd-8f35-e69d59c524a5)"',
        'pod: "tikv-0_ns(0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0)"',
    ),
    # JSON string escaping, once and twice
    (
        '[err=\\"Grpc(RpcFailure(RpcStatus { code: 4-DEADLINE_EXCEEDED }))\\"]',
        '[err="Grpc(RpcFailure(RpcStatus { code: 4-DEADLINE_EXCEEDED }))"]',
    ),
    # Slack entities and links
    ("Back-off pulling image &quot;nginx:1.2&quot;", 'Back-off pulling image "busybox:latest"'),
    ("see <https://github.com/a/b/issues/1|the issue>", "see the issue"),
    # ANSI colours, zero-width and right-to-left marks, NUL bytes
    ("\x1b[31mOOMKilled\x1b[0m\x00 exit\u200b code 137\u202e", "OOMKilled exit code 137"),
    # ISO timestamps and durations in describe tables
    (
        "2024-02-27T22:49:00.123Z Warning FailedScheduling 4m38s (x426 over 8h) default-scheduler",
        "2025-11-01T01:00:00Z Warning FailedScheduling 12s (x3 over 40s) default-scheduler",
    ),
]


@pytest.mark.parametrize(("first", "second"), SAME)
def test_variants_of_one_error_normalise_equal(first: str, second: str) -> None:
    assert canonical(clean_text(first).replace("\n", " ")) == canonical(
        clean_text(second).replace("\n", " ")
    )


def test_slack_code_fences_split_lines_and_vanish() -> None:
    text = clean_text("look:```E0101 oops\nsecond line```thanks")
    assert "```" not in text
    assert [line for line in text.split("\n") if line] == [
        "look:",
        "E0101 oops",
        "second line",
        "thanks",
    ]


def test_escaped_newlines_in_json_logs_become_lines() -> None:
    segments = split_segments('{"log":"first problem\\nsecond problem"}')
    assert any(s.canonical.endswith('second problem"}') for s in segments)


def test_ten_thousand_copies_of_a_line_are_one_segment() -> None:
    segments = split_segments(
        "Liveness probe failed: HTTP probe failed with statuscode: 500\n" * 10_000
    )
    assert len(segments) == 1


def test_a_huge_single_line_becomes_bounded_windows() -> None:
    segments = split_segments("x" * 100 + " MountVolume.SetUp failed " + "y" * 500_000)
    assert all(len(segment.text) <= 400 for segment in segments)
    assert any("mountvolume" in segment.tokens for segment in segments)


# The readable forms of the normalisation patterns; intents.normalize writes each one
# "first character, then a look-behind" so the regex engine can skip ahead.  They must
# match exactly the same text.
READABLE = {
    "_KLOG_HEADER": r"\b[iwef]\d{4} \d{2}:\d{2}:\d{2}\.\d+[ \t]+\d+ [\w.-]{1,80}:\d+\]",
    "_ISO_TIME": r"\b\d{4}[-/]\d{2}[-/]\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:[Zz]|[ ]?[+-]\d{2}:?\d{2})?",
    "_CLOCK": r"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b",
    "_SYSLOG_DATE": r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) +\d{1,2}\b",
    "_UUID": r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
    "_IPV4": r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b",
    "_IPV6": r"\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b",
    "_HEX_ID": r"\b(?:sha256:)?[0-9a-f]{12,}\b",
    "_DURATION": r"\b(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d)){1,4}\b",
    "_NUMBER": r"\b[x#]?\d+(?:\.\d+)*\b",
    "SIGNIFICANT_NUMBER": r"\b(code|status|errno|signal|statuscode|exitcode)(\"?[ \t]{0,16}[:=]?[ \t]{0,16})(\d{1,4})\b",
}


@functools.cache
def _sample_texts() -> list[str]:
    """Every corpus and catalog line, lower-cased, plus seeded random text made of the
    characters these patterns care about."""
    import random
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    texts = [
        p.read_text(errors="replace").lower() for p in (root / "tests" / "corpus").rglob("*.txt")
    ]
    texts += [p.read_text().lower() for p in builtin_entry_files()]
    rng = random.Random(5)
    pieces = [
        "0",
        "1",
        "7",
        "12",
        "137",
        "2024",
        "a",
        "b",
        "f",
        "x",
        "#",
        "s",
        "ms",
        "h",
        "µs",
        ".",
        ":",
        "-",
        "/",
        " ",
        "\t",
        "_",
        "t",
        "z",
        "+",
        "sha256:",
        "code",
        "status",
        "exitcode",
        "i0809",
        "jan ",
        "dec",
        "e",
        "é",
        "=",
        '"',
        "abcdef0123456789",
    ]
    texts += ["".join(rng.choice(pieces) for _ in range(400)) for _ in range(400)]
    return texts


@pytest.mark.parametrize("name", sorted(READABLE))
def test_fast_patterns_match_exactly_what_their_readable_forms_match(name: str) -> None:
    import re

    from intents import normalize

    fast, readable = getattr(normalize, name), re.compile(READABLE[name])
    for text in _sample_texts():
        assert [m.span() for m in fast.finditer(text)] == [
            m.span() for m in readable.finditer(text)
        ], name


def test_misspelled_kubernetes_words_are_folded_and_nothing_else() -> None:
    from intents.normalize import fold_misspellings

    assert fold_misspellings("Rediness prob is failing, Liveliness probe too") == (
        "Readiness probe is failing, Liveness probe too"
    )
    # "problem" is no probe cut short, and a word merely ending in a probe's kind is not its kind
    assert (
        fold_misspellings("a liveness problem; xliveness prob")
        == "a liveness problem; xliveness prob"
    )
