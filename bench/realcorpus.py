"""Measure the product on verbatim real pastes, per half and per paste kind (tests/corpus/real).

    python -m bench.realcorpus dev              # figures on the development half
    python -m bench.realcorpus test             # the held-out half: report it, never tune on it
    python -m bench.realcorpus dev --misses     # every development paste not answered right
    python -m bench.realcorpus held-out --risk  # the test half and every fresh batch, pooled:
                                                # totals only, with risk against coverage
    python -m bench.realcorpus --check          # validate every index line and the split rule
    python -m bench.realcorpus --cited          # source addresses the catalog and corpus already use
    python -m bench.realcorpus --freeze test    # record the test half's hashes (FROZEN.sha256)

A paste goes through the product path (`diagnose_paste`, as `kubemedic match` and the Slack
paste path run it). The answer is the first finding when its confidence is high or medium.

`--risk` orders the answers by the learned decision's P(right) for them (intents.calibration)
and reports, per paste kind, what answering only from each P up would give: the share of
positives answered at medium or high (coverage), the share of those answers that are wrong
(risk), the negatives answered and the positives left silent with the right entry first; the
operating point is the lowest P whose risk stays within `RISK_BUDGET`; then, per kind, what each
rule that says a low answer at medium from the entry's own evidence (`LIFTING`) said: right, wrong,
negatives. `held-out` pools the
test half and every fresh batch, `fresh-all` the fresh batches: totals only, never a paste.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from intents.decision.rules import OWN_WORDS, STATED_CAUSE
from intents.results import Step
from responses.redaction import Redacted
from tests.real_corpus import (
    CLASSES,
    FAMILIES,
    HALVES,
    HELD_OUT,
    KINDS,
    REAL,
    RealCase,
    half_of,
    load,
    planned_ids,
)

POOLS = {"held-out": HELD_OUT, "fresh-all": tuple(h for h in HELD_OUT if h != "test")}
"""Halves reported together: totals only."""
RISK_POINTS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
RISK_BUDGET = 0.03
"""Confident wrong, as a share of the positives answered, the operating point may not exceed
(issue 82)."""

LIFTING = (OWN_WORDS.name, STATED_CAUSE.name)
"""The decision's rules that say a low first finding at medium from the entry's own evidence:
`--risk` counts what each said, per kind."""

ROOT = Path(__file__).resolve().parent.parent
FROZEN = "FROZEN.sha256"


@dataclass(frozen=True)
class Outcome:
    case: RealCase
    ranked: tuple[tuple[str, float, str], ...]
    answered: tuple[str, ...]
    explained: tuple[str, ...] = ()
    """Symptoms the answers name as explained by them ("X because Y"): named, not answered apart."""
    chance: float | None = None
    """The learned decision's P(right) for the answer (None: no answer, or not consulted)."""
    lifted_by: str | None = None
    """The evidence rule that lifted the answer to medium from a low score (LIFTING), if any."""

    @property
    def answer(self) -> str | None:
        return self.answered[0] if self.answered else None

    @property
    def right(self) -> bool:
        return self.answer is not None and self.answer in self.case.expected

    @property
    def in_top3(self) -> bool:
        """Among the three problems listed (`ranked` holds those three and the symptoms folded
        under them, which the reply names in their causes' chains)."""
        return any(entry_id in self.case.expected for entry_id, _, _ in self.ranked)

    @property
    def all_named(self) -> bool:
        """Every problem of the paste (expected and also) among the answers or the symptoms
        they name as explained."""
        wanted = set(self.case.also)
        return self.right and wanted <= set(self.answered) | set(self.explained)

    def describe(self) -> str:
        got = ", ".join(f"{i} {s:.2f} {c}" for i, s, c in self.ranked[:3]) or "nothing"
        want = "|".join(self.case.expected) or self.case.klass
        return f"{self.case.path.name} [{self.case.kind}] want {want}: got [{got}]"


def product_outcomes(cases: Sequence[RealCase]) -> list[Outcome]:
    from bot.diagnosis.paste import diagnose_paste
    from intents.calibration import Question, Verdict, assess, consulting
    from intents.loader import load_catalog
    from intents.matcher import Matcher

    catalog = load_catalog()
    matcher = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda e: e.id))
    verdicts: list[Verdict] = []

    def recording(question: Question) -> Verdict:
        verdicts.append(assess(question))
        return verdicts[-1]

    outcomes = []
    for case in cases:
        verdicts.clear()
        with consulting(recording):
            # public text, measured as given: the chat's redaction is not what is scored
            diagnosis = diagnose_paste(matcher, cast(Redacted, case.text()), top=3)
        ranked = tuple((f.match.id, f.match.score, f.match.confidence) for f in diagnosis.findings)
        # the problems the product names (the answer first); none when the first is low
        answered = tuple(f.match.id for f in diagnosis.answers)
        explained = tuple(f.match.id for f in diagnosis.findings if set(f.because) & set(answered))
        chance = verdicts[-1].chances.get(answered[0]) if verdicts and answered else None
        lifted = lifted_by(diagnosis.answers[0].match.why) if diagnosis.answers else None
        outcomes.append(Outcome(case, ranked, answered, explained, chance, lifted))
    return outcomes


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else "-"


def report(outcomes: Sequence[Outcome]) -> list[str]:
    lines = []
    positives = [o for o in outcomes if o.case.klass == "positive"]
    lines.append(
        "| kind | positives | top-1 | top-3 | confident wrong | right first, low "
        "| all problems named |"
    )
    lines.append("|---|---|---|---|---|---|---|")
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in positives:
        by_kind[outcome.case.kind].append(outcome)
    for kind, group in [*sorted(by_kind.items()), ("all", positives)]:
        multi = [o for o in group if o.case.also]
        lines.append(
            f"| {kind} | {len(group)} | {share(sum(o.right for o in group), len(group))} "
            f"| {share(sum(o.in_top3 for o in group), len(group))} "
            f"| {share(sum(o.answer is not None and not o.right for o in group), len(group))} "
            f"| {sum(miss_mode(o) == MISS_MODES[0] for o in group if not o.right)} "
            f"| {share(sum(o.all_named for o in multi), len(multi))} |"
        )
    lines.append("")
    lines.append("| how the positives missed | pastes |")
    lines.append("|---|---|")
    modes: dict[str, int] = defaultdict(int)
    for outcome in positives:
        if not outcome.right:
            modes[miss_mode(outcome)] += 1
    lines.extend(f"| {mode} | {modes[mode]} |" for mode in MISS_MODES if modes[mode])
    lines.append("")
    lines.append("| negative class | pastes | answered (should be 0) |")
    lines.append("|---|---|---|")
    for klass in CLASSES[1:]:
        group = [o for o in outcomes if o.case.klass == klass]
        lines.append(
            f"| {klass} | {len(group)} | {share(sum(o.answer is not None for o in group), len(group))} |"
        )
    lines.extend(negatives_by_kind([o for o in outcomes if o.case.klass != "positive"]))
    lines.extend(by_family(positives))
    repos = {o.case.repo for o in outcomes}
    lines.append("")
    lines.append(f"{len(outcomes)} pastes from {len(repos)} sources")
    return lines


def negatives_by_kind(negatives: Sequence[Outcome]) -> list[str]:
    """The negatives answered, per paste kind (a chat question, a healthy table, a log, ...)."""
    kinds: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in negatives:
        kinds[outcome.case.kind].append(outcome)
    lines = ["", "| negatives of kind | pastes | answered (should be 0) |", "|---|---|---|"]
    for kind, group in sorted(kinds.items()):
        lines.append(
            f"| {kind} | {len(group)} | {share(sum(o.answer is not None for o in group), len(group))} |"
        )
    return lines


def by_family(positives: Sequence[Outcome]) -> list[str]:
    """Top-1, top-3 and confident wrong of the positives of each component family."""
    families: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in positives:
        families[outcome.case.family or "core"].append(outcome)
    if set(families) == {"core"}:
        return []
    lines = [
        "",
        "| family | positives | top-1 | top-3 | confident wrong |",
        "|---|---|---|---|---|",
    ]
    for family, group in sorted(families.items()):
        lines.append(
            f"| {family} | {len(group)} | {share(sum(o.right for o in group), len(group))} "
            f"| {share(sum(o.in_top3 for o in group), len(group))} "
            f"| {share(sum(o.answer is not None and not o.right for o in group), len(group))} |"
        )
    return lines


def _answered_from(outcome: Outcome, point: float | None) -> bool:
    """Would the paste be answered if only answers of P(right) >= point were given?"""
    if outcome.answer is None:
        return False
    return point is None or outcome.chance is None or outcome.chance >= point


@dataclass(frozen=True)
class RiskRow:
    """One operating point on a group of pastes."""

    coverage: float
    """Share of the positives answered at medium or high."""
    risk: float
    """Share of those answers that are wrong (confident wrong among the answered)."""
    negatives: float
    """Share of the negatives answered."""
    right_first_low: int
    """Positives whose first listed entry is right, left unanswered."""


def _risk_row(outcomes: Sequence[Outcome], point: float | None) -> RiskRow:
    positives = [o for o in outcomes if o.case.klass == "positive"]
    negatives = [o for o in outcomes if o.case.klass != "positive"]
    answered = [o for o in positives if _answered_from(o, point)]
    wrong = sum(not o.right for o in answered)
    said = sum(_answered_from(o, point) for o in negatives)
    silent_right = sum(
        not _answered_from(o, point) and bool(o.ranked) and o.ranked[0][0] in o.case.expected
        for o in positives
    )
    return RiskRow(
        len(answered) / len(positives) if positives else 0.0,
        wrong / len(answered) if answered else 0.0,
        said / len(negatives) if negatives else 0.0,
        silent_right,
    )


def risk_coverage(outcomes: Sequence[Outcome]) -> list[str]:
    """Per paste kind: answering only from each P(right) up, the share of positives answered
    (coverage) and the share of those answers that are wrong (risk); the operating point (*) is
    the lowest P whose risk stays within RISK_BUDGET."""
    head = "| kind | answered from | coverage | risk (wrong of answered) | negatives answered |"
    lines = [head + " right first, low |", "|---|---|---|---|---|---|"]
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.case.kind].append(outcome)
    for kind, group in [*sorted(by_kind.items()), ("all", list(outcomes))]:
        rows = [(point, _risk_row(group, point)) for point in (None, *RISK_POINTS)]
        chosen = next((p for p, row in rows if row.risk <= RISK_BUDGET), "none")
        for point, row in rows:
            mark = "*" if point == chosen else ""
            where = "as shipped" if point is None else f"P >= {point:.2f}"
            lines.append(
                f"| {kind} | {where}{mark} | {row.coverage:.3f} | {row.risk:.3f} "
                f"| {row.negatives:.3f} | {row.right_first_low} |"
            )
    return lines + ["", *said_by_evidence(by_kind)]


def lifted_by(why: Iterable[Step]) -> str | None:
    """The last of the LIFTING rules that said the answer at medium from a low score."""
    lifts = [s.rule for s in why if s.rule in LIFTING and s.effect.endswith("-> medium")]
    return lifts[-1] if lifts else None


def said_by_evidence(by_kind: dict[str, list[Outcome]]) -> list[str]:
    """Per paste kind (the kinds where it said any, and all), the answers each LIFTING rule said
    from a low score: right, wrong and negatives (what its evidence is worth as confidence)."""
    lines = ["| kind | said at medium by | said | right | wrong | negatives said |"]
    lines.append("|---|---|---|---|---|---|")
    groups = [*sorted(by_kind.items()), ("all", [o for g in by_kind.values() for o in g])]
    for kind, group in groups:
        for rule in LIFTING:
            said = [o for o in group if o.lifted_by == rule]
            if not said and kind != "all":
                continue
            positives = [o for o in said if o.case.klass == "positive"]
            right = sum(o.right for o in positives)
            lines.append(
                f"| {kind} | {rule} | {len(said)} | {right} | {len(positives) - right} "
                f"| {len(said) - len(positives)} |"
            )
    return lines


MISS_MODES = (
    "silent: the right entry first, at low confidence",
    "silent: the right entry second or third",
    "silent: the right entry not among the three",
    "silent: nothing found",
    "answered wrong: the right entry among the three",
    "answered wrong: the right entry not among the three",
)


def miss_mode(outcome: Outcome) -> str:
    """Which of MISS_MODES a positive paste answered wrongly (or not at all) falls in."""
    expected = set(outcome.case.expected)
    listed = [entry_id for entry_id, _, _ in outcome.ranked]
    if outcome.answer is not None:
        return MISS_MODES[4] if expected & set(listed) else MISS_MODES[5]
    if not listed:
        return MISS_MODES[3]
    if listed[0] in expected:
        return MISS_MODES[0]
    return MISS_MODES[1] if expected & set(listed) else MISS_MODES[2]


def misses(outcomes: Iterable[Outcome]) -> list[str]:
    def wrong(outcome: Outcome) -> bool:
        if outcome.case.klass == "positive":
            return not outcome.right
        return outcome.answer is not None

    return [outcome.describe() for outcome in outcomes if wrong(outcome)]


def cited_urls() -> list[str]:
    """Addresses the catalog entries and the older corpus were written from (do not reuse them)."""
    found: set[str] = set()
    pattern = re.compile(r"https?://[^\s)\"'>\]]+")
    for folder in (ROOT / "intents" / "catalog", ROOT / "tests" / "corpus"):
        for path in folder.rglob("*"):
            if (
                path.is_file()
                and path.suffix in {".yaml", ".md", ".txt"}
                and "real" not in path.parts
            ):
                found.update(
                    m.rstrip(".,;") for m in pattern.findall(path.read_text(errors="replace"))
                )
    return sorted(found)


def check() -> list[str]:
    """Every problem in the index files: keys, kinds, classes, ids, the split rule, duplicates."""
    from intents.loader import load_catalog

    ids = set(load_catalog().entries)
    planned = planned_ids()
    problems: list[str] = []
    seen_text: dict[str, str] = {}
    seen: set[str] = set()
    for half in HALVES:
        for index in sorted((REAL / half).glob("index-*.jsonl")):
            for number, line in enumerate(index.read_text(encoding="utf-8").splitlines(), 1):
                where = f"{half}/{index.name}:{number}"
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as error:
                    problems.append(f"{where}: not JSON ({error})")
                    continue
                missing = {"file", "url", "repo", "kind", "class"} - set(row)
                if missing:
                    problems.append(f"{where}: missing {sorted(missing)}")
                    continue
                path = REAL / half / row["file"]
                if not path.is_file():
                    problems.append(f"{where}: {row['file']} does not exist")
                    continue
                if row["file"] in seen:
                    problems.append(f"{where}: {row['file']} indexed twice")
                seen.add(row["file"])
                if row["kind"] not in KINDS:
                    problems.append(f"{where}: kind {row['kind']!r} not one of {KINDS}")
                if row["class"] not in CLASSES:
                    problems.append(f"{where}: class {row['class']!r} not one of {CLASSES}")
                if row.get("family", "core") not in FAMILIES:
                    problems.append(f"{where}: family {row['family']!r} not one of {FAMILIES}")
                if row["class"] == "positive" and not row.get("expected"):
                    problems.append(f"{where}: a positive needs expected ids")
                for entry_id in [*row.get("expected", ()), *row.get("also", ())]:
                    if entry_id not in ids and entry_id not in planned:
                        problems.append(f"{where}: unknown catalog id {entry_id!r}")
                if half in ("dev", "test") and half_of(row["repo"]) != half:
                    problems.append(
                        f"{where}: repo {row['repo']} belongs to the {half_of(row['repo'])} half"
                    )
                digest = hashlib.sha256(
                    " ".join(path.read_text(errors="replace").split()).encode()
                ).hexdigest()
                if digest in seen_text:
                    problems.append(f"{where}: same text as {seen_text[digest]}")
                seen_text[digest] = f"{half}/{row['file']}"
    return problems


def freeze_lines(half: str) -> list[str]:
    folder = REAL / half
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != FROZEN)
    return [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in files]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("half", nargs="?", choices=(*HALVES, *POOLS))
    parser.add_argument("--misses", action="store_true", help="list every paste not answered right")
    parser.add_argument("--check", action="store_true", help="validate the index files")
    parser.add_argument("--cited", action="store_true", help="print addresses already cited")
    parser.add_argument("--freeze", choices=HALVES, help="write the half's FROZEN.sha256")
    parser.add_argument("--json", action="store_true", help="print the outcomes as JSON lines")
    parser.add_argument("--risk", action="store_true", help="risk against coverage, per kind")
    args = parser.parse_args(argv)
    if args.cited:
        print("\n".join(cited_urls()))
        return 0
    if args.check:
        problems = check()
        print("\n".join(problems) or "index ok")
        return 2 if problems else 0
    if args.freeze:
        (REAL / args.freeze / FROZEN).write_text("\n".join(freeze_lines(args.freeze)) + "\n")
        print(f"froze {args.freeze}: {len(freeze_lines(args.freeze))} files")
        return 0
    if not args.half:
        parser.error(f"name a half ({', '.join(HALVES)}) or --check / --cited / --freeze")
    pooled = args.half in POOLS
    if pooled and (args.misses or args.json):
        parser.error("held-out halves are reported as totals only")
    halves = POOLS.get(args.half, (args.half,))
    outcomes = product_outcomes([case for half in halves for case in load(half)])
    if args.json:
        for o in outcomes:
            print(
                json.dumps(
                    {
                        "file": o.case.path.name,
                        "kind": o.case.kind,
                        "class": o.case.klass,
                        "expected": o.case.expected,
                        "ranked": o.ranked,
                        "answered": o.answered,
                    }
                )
            )
        return 0
    print(f"real corpus, {args.half} half" + (f" ({len(halves)} halves pooled)" if pooled else ""))
    print("\n".join(report(outcomes)))
    if args.risk:
        print("\n" + "\n".join(risk_coverage(outcomes)))
    if args.misses:
        print("\nmisses:")
        print("\n".join(misses(outcomes)) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
