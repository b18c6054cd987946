"""Noise does not change the answer: every paste of the older corpus and of the
real development half, through each transformation people's tools apply (tests/noise.py:
markdown bold and fences, `> ` quoting, Slack escaping, terminal wrapping at 80/100/120
columns, log-shipper prefixes, JSON log records, CRLF, tabs, smart quotes, non-breaking
spaces, a shell prompt line, chat around the paste), must get the same answer at least
99% of the time under each (`python -m bench.noise_bench --changed` lists the rest).

The whole corpus is about 23 minutes of CPU (7,106 pastes x 16 transformations), so the fast
tier reads a fixed sample (every SAMPLE_EVERY-th paste), CI's `corpus` tier another, larger one
(every CI_EVERY-th), and KUBEMEDIC_FULL_CORPUS=1 all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.noise_bench import measure, pastes
from intents.normalize import clean_text
from tests.noise import TRANSFORMATIONS
from tests.tiers import WHOLE_CORPUS_SKIP, corpus_share, whole_corpus

MIN_UNCHANGED = 0.99
SAMPLE_EVERY = 10
CI_EVERY = 8

EVENT = (
    "  Warning  FailedScheduling  3m    default-scheduler  0/4 nodes are available: 1 node(s) were"
    " unschedulable, 3 node(s) didn't match Pod's node affinity/selector."
)


@pytest.mark.parametrize(
    "name",
    [
        "quoted",
        "slack-escaped",
        "wrap-80",
        "wrap-100",
        "wrap-120",
        "log-shipper",
        "json-log",
        "crlf",
        "smart-quotes",
        "nbsp",
    ],
)
def test_transport_damage_is_undone_exactly(name: str) -> None:
    text = f"Events:\n  Type     Reason  Age  From  Message\n{EVENT}\n{EVENT.replace('3m', '5m')}"
    assert clean_text(TRANSFORMATIONS[name](text)).strip() == clean_text(text).strip()


def _assert_kept(paths: list[Path]) -> None:
    changed = measure(paths, list(TRANSFORMATIONS))
    for name, rows in changed.items():
        share = 1 - len(rows) / len(paths)
        listing = "\n".join(f"  {path.name}: {old} -> {new}" for path, old, new in rows)
        assert share >= MIN_UNCHANGED, f"{name}: {share:.3f} unchanged\n{listing}"


def test_a_fixed_sample_of_the_corpus_keeps_its_answers_under_each_transformation() -> None:
    if whole_corpus():
        pytest.skip("the whole corpus runs instead (the corpus tier)")
    _assert_kept(pastes()[::SAMPLE_EVERY])


@pytest.mark.corpus
@pytest.mark.timeout(1800)  # a quarter of the corpus x every transformation: 6 min of CPU
def test_the_corpus_keeps_its_answers_under_each_transformation() -> None:
    if not whole_corpus():
        pytest.skip(WHOLE_CORPUS_SKIP)
    _assert_kept(corpus_share(pastes(), CI_EVERY))


def test_a_terminal_panes_borders_are_removed_and_its_columns_kept() -> None:
    text = f"Events:\n  Type     Reason  Age  From  Message\n{EVENT}\n{EVENT.replace('3m', '5m')}"
    unframed = clean_text(TRANSFORMATIONS["pane-frame"](text)).split("\n")
    assert [line.rstrip() for line in unframed] == clean_text(text).split("\n")
    # a line of prose holding the character is not a frame
    assert (
        clean_text("the tree view shows a │ between columns")
        == "the tree view shows a │ between columns"
    )
