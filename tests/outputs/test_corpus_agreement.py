"""The one reader sees in every corpus paste what the paste reader of 84e0a9fb saw.

tests/outputs/paste_reader_84e0a9fb.jsonl.gz is that reader's record (bench/reader_golden.py):
each pod, node, claim and event it read from a paste, with the facts a rule reads, and how many
`get pods` rows. Each paste outside the held-out halves must give the one reader (`read_text`
on the text as a paste is cleaned) every one of them; the held-out halves are counted by
`python -m bench.reader_agreement --held-out`, never read here. A paste the one reader still
disagrees on is listed in agreement_allowed.txt with what it misses; the list only shrinks.
"""

from __future__ import annotations

from pathlib import Path

from bench.reader_agreement import disagreements, held_out, load_golden

ALLOWED = Path(__file__).with_name("agreement_allowed.txt")


def _allowed() -> set[str]:
    return {line.split("\t")[0] for line in ALLOWED.read_text().splitlines() if line.strip()}


def test_every_development_paste_yields_the_objects_the_paste_reader_read() -> None:
    golden = {file: keys for file, keys in load_golden().items() if not held_out(file)}
    found = dict(disagreements(golden))
    new = {file: missing[:3] for file, missing in found.items() if file not in _allowed()}
    assert not new, f"the one reader misses what the paste reader read: {new}"
    settled = sorted(_allowed() - set(found))
    assert not settled, f"agreeing now, take them off {ALLOWED.name}: {settled}"


def test_no_get_pods_paste_loses_its_pods() -> None:
    golden = {file: keys for file, keys in load_golden().items() if not held_out(file)}
    lost = [
        file
        for file, missing in disagreements(golden)
        if any(m.startswith("pod rows 0 of") for m in missing)
    ]
    assert lost == []
