"""`python -m bench.opsbench localise`: the walk measured as Cloud-OpsBench measures agents.

Every case is given as the namespace, the symptom (metadata.json's `query`) and the recorded
outputs only: bench/opsbench_outputs.py writes the tool cache as the files a person would
attach, and the SAME code path as `kubemedic diagnose namespace NS --from-outputs DIR
--symptom TEXT --json` reads them (the CLI's own functions, in process). The label and the
expert's path are read only to score.

The suspects (best first) become the benchmark's three fields: fault_taxonomy from the
label's fixed taxonomy, fault_object = the suspect's `object`, root_cause by bench/
opsbench.yaml's `localise` mapping from catalog id to label (where one id covers several
labels, the first rule whose pattern the suspect's evidence matches). Scored as the
benchmark's evaluation.py does (its helper module is missing, so re-implemented): the top 3
predictions; exact = taxonomy, object and cause (case-insensitive); partial = object and cause;
A@1 and A@3 over all cases, a silence counted wrong and reported apart; "confident wrong" =
a first suspect of high or medium confidence that is not exact.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.opsbench_renderings import rendered, write

MAPPING = Path(__file__).with_name("opsbench.yaml")
TOP = 3


@dataclass(frozen=True)
class Prediction:
    taxonomy: str
    object: str
    cause: str
    confidence: str


@dataclass(frozen=True)
class Outcome:
    case: Any
    predictions: tuple[Prediction, ...]
    cpu_ms: float
    failed: str = ""
    """"refused" (a one-line reason, exit 1 or 2) or "crashed" (anything else); "" answered."""

    def _hit(self, prediction: Prediction, *, exact: bool) -> bool:
        truth = (
            self.case.fault_taxonomy,
            self.case.fault_object.lower(),
            self.case.root_cause.lower(),
        )
        same = prediction.object.lower() == truth[1] and prediction.cause.lower() == truth[2]
        return same and (not exact or prediction.taxonomy.lower() == truth[0].lower())

    def at(self, rank: int, *, exact: bool) -> bool:
        return any(self._hit(p, exact=exact) for p in self.predictions[:rank])

    @property
    def silent(self) -> bool:
        return not self.predictions

    @property
    def confident_wrong(self) -> bool:
        return (
            bool(self.predictions)
            and self.predictions[0].confidence in ("high", "medium")
            and not self.at(1, exact=True)
        )


class Mapping:
    """bench/opsbench.yaml's `taxonomy` (label -> taxonomy) and `localise` (id -> label rules)."""

    def __init__(self, path: Path = MAPPING) -> None:
        data = yaml.safe_load(path.read_text())
        self.taxonomy: dict[str, str] = {
            label: taxonomy for taxonomy, labels in data["taxonomy"].items() for label in labels
        }
        self.rules: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {}
        for entry, rules in data["localise"].items():
            rules = [[rules]] if isinstance(rules, str) else rules
            self.rules[entry] = [
                (rule[0], re.compile(rule[1]) if len(rule) > 1 else None) for rule in rules
            ]
        unknown = {rule[0] for rules in self.rules.values() for rule in rules} - set(self.taxonomy)
        if unknown:
            raise SystemExit(
                f"{path.name}: localise names labels with no taxonomy: {sorted(unknown)}"
            )

    def label(self, suspect: dict[str, Any]) -> str:
        """The benchmark label a suspect names ("" when its id maps to none)."""
        text = "\n".join(
            [*suspect.get("evidence", ()), *suspect.get("why", ()), suspect.get("fix", "")]
        )
        for label, pattern in self.rules.get(suspect["id"], ()):
            if pattern is None or pattern.search(text):
                return label
        return ""

    def predict(self, suspect: dict[str, Any]) -> Prediction:
        label = self.label(suspect)
        return Prediction(
            self.taxonomy.get(label, ""),
            suspect["object"],
            label or f"({suspect['id']})",
            suspect["confidence"],
        )


def suspects_of(
    case: Any, folder: Path, knowledge: Any, settings: Any, extra: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """`kubemedic diagnose namespace NS --from-outputs DIR --symptom TEXT --json [EXTRA]`'s
    suspects, through the command's own functions."""
    from bot.cli import build_parser
    from bot.commands.diagnose_cmd import diagnose, open_reader, validated_request
    from responses.json_view import diagnosis_to_dict

    argv = [
        "diagnose",
        "namespace",
        case.namespace,
        "--from-outputs",
        str(folder),
        "--symptom",
        case.query,
        "--json",
        *extra,
    ]
    args = build_parser("diagnose").parse_args(argv)
    request = validated_request(args)
    diagnosis = diagnose(request, open_reader(args, settings), args, settings, knowledge)
    suspects: list[dict[str, Any]] = diagnosis_to_dict(diagnosis).get("suspects", [])
    return suspects


def measure(
    cases: Sequence[Any], mapping: Mapping, *, rendering: str = "cache", root: Path | None = None
) -> list[Outcome]:
    from bot.errors import UserFacingError
    from bot.knowledge import load_knowledge
    from bot.settings import Settings

    settings = Settings()
    knowledge = load_knowledge(settings)
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            folder = Path(tmp) / case.name.replace("/", "-")
            write(rendered(case, rendering, root or Path()), folder)
            start, failed = time.process_time(), ""
            try:
                suspects = suspects_of(case, folder, knowledge, settings)
            except UserFacingError:
                suspects, failed = [], "refused"
            except Exception:  # noqa: BLE001 - counted, never hidden: a crash is what the target forbids
                suspects, failed = [], "crashed"
            cpu = (time.process_time() - start) * 1000
            predictions = tuple(mapping.predict(s) for s in suspects[:TOP])
            outcomes.append(Outcome(case, predictions, cpu, failed))
    return outcomes


def _share(count: int, total: int) -> str:
    return f"{count / total:.3f}" if total else "-"


def report(outcomes: Sequence[Outcome]) -> list[str]:
    lines = [
        (
            "| category | cases | exact A@1 | exact A@3 | partial A@1 | partial A@3 | silent | "
            "confident wrong |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.case.category].append(outcome)
    for name, group in [*sorted(groups.items()), ("all", list(outcomes))]:
        n = len(group)
        lines.append(
            f"| {name} | {n} | {_share(sum(o.at(1, exact=True) for o in group), n)} "
            f"| {_share(sum(o.at(TOP, exact=True) for o in group), n)} "
            f"| {_share(sum(o.at(1, exact=False) for o in group), n)} "
            f"| {_share(sum(o.at(TOP, exact=False) for o in group), n)} "
            f"| {sum(o.silent for o in group)} | "
            f"{_share(sum(o.confident_wrong for o in group), n)} |"
        )
    failed = Counter(o.failed for o in outcomes if o.failed)
    lines += ["", f"refused (one line): {failed['refused']}, crashed: {failed['crashed']}"]
    cpu = sorted(o.cpu_ms for o in outcomes)
    if cpu:
        p95 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.95))]
        lines += [
            "",
            (
                f"CPU per case (parsing the outputs included): median {statistics.median(cpu):.0f} "
                "ms, "
                f"p95 {p95:.0f} ms over {len(cpu)} cases"
            ),
        ]
    return lines


def misses(outcomes: Sequence[Outcome]) -> list[str]:
    """Development cases not right at 1, each with what was predicted (never a test case)."""
    rows = []
    for o in outcomes:
        if o.case.half != "dev" or o.at(1, exact=True):
            continue
        got = (
            "; ".join(f"{p.object} {p.cause} ({p.confidence})" for p in o.predictions) or "nothing"
        )
        rows.append(f"{o.case.name} {o.case.fault_object} {o.case.root_cause}: {got}")
    return rows


def run(
    cases: Sequence[Any],
    *,
    show_misses: bool,
    half: str,
    renderings: Sequence[str] = ("cache",),
    root: Path | None = None,
) -> int:
    mapping = Mapping()
    for rendering in renderings:
        outcomes = measure(cases, mapping, rendering=rendering, root=root)
        print(
            f"Cloud-OpsBench localised from the recorded outputs ({rendering} rendering), "
            f"{half}: {len(cases)} cases"
        )
        print("\n".join(report(outcomes)))
        if show_misses:
            print("\n".join(misses(outcomes)))
        print()
    return 0
