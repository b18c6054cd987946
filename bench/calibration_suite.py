"""The hand-written suite's pastes as the learned rule would see them: the constraint set.

    python -m bench.calibration_suite --out suite.jsonl    # record (runs the suite's tests)

The training command (bench/train_calibration.py) must choose a policy that keeps what the
project's own tests say about their pastes, without training the model on them. This
records, for every paste the tests of `FOLDERS` hand to the product path, the candidates the
learned rule is asked about, by running those tests (pytest, in this process's environment)
with a probe in the learned rule's place: it changes no answer and changes the listing as much
as the rule may (every unsaid candidate ordered by the model, three suggestions). A test that
fails under the probe asserts something about the listing: its pastes must keep the rules'.

Each recorded paste becomes a `SuiteCase` (bench/calibration_constraints.py says what each
must keep).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, fields
from functools import cache
from pathlib import Path

import pytest

from intents.calibration import Assessment, Candidate, Policy, TextModel, consulting, judge
from intents.calibration.assess import read_text
from intents.calibration.model import DATA

FOLDERS = ("tests/readings", "tests/paste", "tests/intents", "tests/decision")
RECORD = "KUBEMEDIC_SUITE_RECORD"
"""Environment variable naming the folder each pytest process writes its recording into."""
PROBE_MODEL = "KUBEMEDIC_SUITE_PROBE_MODEL"
"""Environment variable naming the model folder the listing probe reads."""
PROBE = Policy(promote=2.0, order_floor=0.0, suggest=3)
"""The most the learned rule may change a listing (no answer changed): a test that fails
under it asserts something about the listing."""
ROOT = Path(__file__).resolve().parents[1]
_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    if outcome.get_result().failed:  # type: ignore[attr-defined]
        item.stash[_FAILED] = True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Run each test with the listing probe's opinion, recording what it was asked."""
    folder = os.environ.get(RECORD)
    if not folder:
        yield
        return
    rows: list[dict[str, object]] = []
    case = _case_of(item)
    model = _probe_model()

    def recording(text: str, candidates: Sequence[Candidate], refuted: Collection[str]) -> Assessment:
        rows.append({"test": item.nodeid, "text": text, "case": case, "refuted": sorted(refuted),
                     "candidates": [asdict(c) for c in candidates]})
        return judge(candidates, read_text(text, candidates, model), PROBE, refuted)

    with consulting(recording):
        yield
    if rows:
        failed = item.stash.get(_FAILED, False)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(Path(folder) / f"{worker}.jsonl", "a", encoding="utf-8") as out:
            out.write("".join(json.dumps({**row, "listing_sensitive": failed}) + "\n" for row in rows))


@cache
def _probe_model() -> TextModel:
    return TextModel.load(Path(os.environ[PROBE_MODEL]))


def _case_of(item: pytest.Item) -> dict[str, object] | None:
    """The fields a case-table row (tests/readings/cases.py) sets, when the test runs one."""
    from tests.readings.cases import UNSET, Case

    params = getattr(getattr(item, "callspec", None), "params", {})
    case = next((value for value in params.values() if isinstance(value, Case)), None)
    if case is None:
        return None
    values = {field.name: getattr(case, field.name) for field in fields(case)}
    return {name: value for name, value in values.items()
            if value is not UNSET and value != () and name not in ("paste", "why", "read_by", "tags")}


def record(model: Path, workers: int = 2) -> list[dict[str, object]]:
    """Run the suite's tests once, the listing probe reading `model`, and return every recorded
    paste (test, text, candidates, refuted entries, whether the test failed under the probe)."""
    with tempfile.TemporaryDirectory(prefix="kubemedic-suite-") as folder:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "bench.calibration_suite", "-p", "no:cacheprovider",
                   "-m", "not slow", *(["-n", str(workers)] if workers > 1 else []), *FOLDERS]
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, RECORD: folder, PROBE_MODEL: str(model)},
                              capture_output=True, text=True, check=False)
        rows = [json.loads(line) for path in sorted(Path(folder).glob("*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line]
    if done.returncode not in (0, 1) or not rows:
        raise RuntimeError(f"recording the suite failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the recording (JSON lines)")
    parser.add_argument("--workers", type=int, default=2, help="pytest processes (default 2)")
    parser.add_argument("--model", type=Path, default=DATA, help="the model the listing probe reads (default: shipped)")
    args = parser.parse_args(argv)
    rows = record(args.model, args.workers)
    args.out.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    print(f"recorded {len(rows)} pastes from {len({row['test'] for row in rows})} tests into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
