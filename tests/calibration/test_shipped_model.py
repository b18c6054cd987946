"""The shipped model as the bot uses it: pure Python, within its budgets, inspectable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.calibration_data import rules_verdict
from intents.calibration import assess, shipped_model
from intents.calibration.model import DATA
from intents.calibration.text import Reading, model_text

ROOT = Path(__file__).resolve().parents[2]
SIZE_BUDGET = 20_000_000


def test_the_bot_reads_the_model_without_scikit_learn_scipy_or_numpy() -> None:
    script = (
        "import sys\nfrom intents.calibration import Candidate, Question, assess\n"
        "verdict = assess(Question('Reason: OOMKilled', [Candidate('oom-killed', 0.45, 0, 'low')]))\n"
        "print(verdict.action, sorted(m for m in ('sklearn', 'scipy', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split(" ", 1)[1].strip() == "[]"


def test_the_model_ships_within_its_size_budget() -> None:
    assert sum(path.stat().st_size for path in DATA.iterdir()) <= SIZE_BUDGET


def test_a_long_paste_is_read_only_within_the_bounds() -> None:
    reading = Reading()
    paste = "I0101 12:00:00.000 kubelet.go:1 routine line\n" * 1000  # 46 KB
    matched = ["E0101 failed to pull image: not found"] + [
        f"matched line {n} " * 40 for n in range(50)
    ]
    text = model_text(paste, matched, reading)
    assert len(text) <= reading.head + reading.lines + len(matched)
    assert text.startswith(paste[: reading.head]) and "failed to pull image" in text


def test_a_confirmed_answer_from_a_pasted_describe_is_kept() -> None:
    text = (ROOT / "examples" / "pastes" / "oom-killed-describe.txt").read_text()
    question, _rules = rules_verdict(text)
    verdict = assess(question)
    assert (verdict.action, verdict.answer) == ("keep", "oom-killed")
    assert verdict.reason.startswith("P(right)=") and verdict.reason.endswith(
        "a confirmed, named or chosen answer stands"
    )


def test_the_inspect_command_prints_the_decision_and_an_ids_heaviest_terms() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.train_calibration", "--show", "oom-killed", "nope"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "decision thresholds: {" in done.stdout and "temperature" in done.stdout
    assert "(intercept)" in done.stdout and "  log p" in done.stdout.replace("+", " ").replace(
        "-", " "
    )
    heaviest = next(line for line in done.stdout.splitlines() if line.startswith("oom-killed: "))
    assert "oomkilled" in heaviest
    assert "nope: not an id the model knows" in done.stdout
    assert 0 < shipped_model().meta["decision"]["thresholds"]["silent"] <= 2
