"""Parsing never raises on junk, stays within its bounds, and never hangs.

`read_pasted` has a last-resort catch that logs and drops the facts; these
tests fail if that catch is ever needed (an ERROR record from the
detector), so a parser bug cannot hide behind it.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

import pytest

from bot.diagnosis.paste import diagnose_paste
from bot.diagnosis.paste_read import read_pasted
from intents.matcher import Matcher
from tests.corpus_cases import healthy_cases, positive_cases, read_case
from tests.paste.test_unhealthy_pastes import PASTES

SEED = 20240605
REAL = (
    [read_case(p) for p in healthy_cases()[::3]]
    + [p.read_text() for p in sorted(PASTES.glob("*.txt"))]
    + [read_case(p) for p, _ in positive_cases()[::9]]
)
HOSTILE = {
    "deep JSON array": "[" * 100_000,
    "deep JSON object": '{"a":' * 50_000,
    "deep Pod status": '{"kind": "Pod", "status": ' + "[" * 5_000,
    "JSON-ish line starts": "[\n" * 20_000,
    "JSON objects opened on every line": "".join(f'{{"k{n}": {{\n' for n in range(3_000)),
    "YAML alias bomb": "kind: List\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n"
    + "\n".join(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 10))
    + "\nitems: [*l9, {kind: Pod, status: *l9}, {kind: Event, message: *l9}]",
    "YAML wrong types": "apiVersion: v1\nkind: Pod\nmetadata: 7\nstatus:\n  containerStatuses: oops\n"
    "  conditions: [1, 2]\n",
    "JSON wrong types": '{"kind": "List", "items": [7, null, {"kind": "Pod", "status": {"containerStatuses": [3]}},'
    ' {"kind": "Node", "status": {"conditions": "x"}}, {"kind": "Event", "count": "many"}]}',
    "one 2 MB line": "Warning " + "x" * 2_000_000,
    "many describe starts": "Name: x\nNamespace: y\n" * 20_000,
    "many event rows": "Normal  Pulled  1s  kubelet  Successfully pulled image\n" * 20_000,
    "huge numbers": "Warning  BackOff  3m (x99999999999999999999 over 9m)  kubelet  Back-off\n"
    "State: Terminated\nExit Code: 99999999999999999999\nRestart Count: -7\n"
    "web-1 1/1 Running 99999999999999999999 (99999999y ago) 99999999y\n",
    "headers only": "NAME READY STATUS RESTARTS AGE\n" * 5_000,
    "control characters": "\x00\x01Name:\x00 x\n\x1b[31mNamespace: y\x1b[0m\nStatus: \ud800\n",
    "slack soup": "&lt;none&gt; ``` &amp;lt; <@U123> <http://x|y> ```" * 2_000,
}


def mutate(text: str, rng: random.Random) -> str:
    """One random, realistic damage: cut, shuffle, collapse, duplicate, splice, truncate."""
    lines = text.split("\n")
    operations: list[Callable[[], list[str]]] = [
        lambda: [line for line in lines if rng.random() > 0.3],
        lambda: rng.sample(lines, len(lines)),
        lambda: [" ".join(line.split()) for line in lines],
        lambda: lines[: rng.randrange(len(lines) + 1)],
        lambda: [line[: rng.randrange(len(line) + 1)] for line in lines],
        lambda: [
            line + rng.choice([":", " (x", " Normal", "/", " 0/1", "{", "- "]) for line in lines
        ],
        lambda: lines + lines[: rng.randrange(len(lines) + 1)],
        lambda: [rng.choice(lines) for _ in lines],
    ]
    return "\n".join(rng.choice(operations)())


def _check(text: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.diagnosis.paste_read"):
        parsed = read_pasted(text)
    assert not caplog.records, caplog.records[0].getMessage()
    previous_end = 0
    for part in parsed.parts:
        assert previous_end <= part.start < part.stop <= len(parsed.lines), part.shape
        assert all(part.start <= line < part.stop for line in part.quiet)
        previous_end = part.stop


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_parsed_without_error(name: str, caplog: pytest.LogCaptureFixture) -> None:
    _check(HOSTILE[name], caplog)


def test_random_bytes_never_break_the_parser(caplog: pytest.LogCaptureFixture) -> None:
    rng = random.Random(SEED)
    for _ in range(200):
        size = rng.randrange(0, 4000)
        _check(
            bytes(rng.randrange(256) for _ in range(size)).decode("utf-8", errors="replace"), caplog
        )


def test_mutated_real_pastes_never_break_the_parser(caplog: pytest.LogCaptureFixture) -> None:
    rng = random.Random(SEED)
    for _round in range(3):
        for text in REAL:
            _check(mutate(text, rng), caplog)


def test_diagnosing_hostile_input_answers_or_stays_quiet(matcher: Matcher) -> None:
    for name in (
        "deep Pod status",
        "YAML wrong types",
        "YAML alias bomb",
        "JSON wrong types",
        "huge numbers",
        "slack soup",
    ):
        diagnosis = diagnose_paste(matcher, HOSTILE[name])
        assert diagnosis.subject == "the pasted text", name


def test_a_paste_of_values_that_never_close_is_read_in_linear_time(matcher: Matcher) -> None:
    """Each line opens a value the next line breaks: no line is a value cut short, so no cut is
    tried from each of them (that was minutes of CPU for these 40 KB; it is milliseconds)."""
    paste = HOSTILE["JSON objects opened on every line"][:40_000]
    started = time.process_time()
    diagnose_paste(matcher, paste)
    assert (time.process_time() - started) * 1000 < 2_000
