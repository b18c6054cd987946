"""Measure the product on real pastes it was not tuned on (tests/corpus/validation).

    python -m bench.validate              # figures
    python -m bench.validate --misses     # also every paste not answered right
    python -m bench.validate --before     # also the figures recorded before fixing

The labelled corpus (tests/corpus/cases, healthy, ...) is what the catalog and
the thresholds were written and calibrated against, so its figures flatter
the matcher.  The validation corpus was gathered afterwards from public issue
threads and Q&A pages that none of the entries cite: <entry-id>/<slug>.txt is
a paste that entry explains, quiet/<slug>.txt is healthy or irrelevant output
that must get no answer.  Each file goes through the product path
(`diagnose_paste`, as `kubemedic match` and the Slack paste path run it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.diagnosis.paste import diagnose_paste
from intents.loader import load_catalog
from intents.matcher import Matcher
from intents.results import Match

VALIDATION = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "validation"
QUIET = "quiet"
BEFORE = {
    "top-1": "80/86 = 0.930",
    "top-3": "84/86 = 0.977",
    "answered confident and wrong": "2/86",
    "quiet on quiet": "29/30",
}
"""Figures on the first run, before any catalog fix (also in validation/SOURCES.md)."""

MatchFunction = Callable[[str], Sequence[Match]]


@dataclass(frozen=True)
class Result:
    """The product's top 3 for one validation paste."""

    path: Path
    expected: str | None
    ranked: tuple[tuple[str, float, str], ...]

    @property
    def answer(self) -> str | None:
        """The id the bot would answer with (high or medium confidence), else None."""
        return self.ranked[0][0] if self.ranked and self.ranked[0][2] != "low" else None

    @property
    def right(self) -> bool:
        return self.answer is not None and self.answer == self.expected

    @property
    def in_top3(self) -> bool:
        return self.expected in [entry_id for entry_id, _, _ in self.ranked]

    def describe(self) -> str:
        got = ", ".join(f"{i} {s:.2f} {c}" for i, s, c in self.ranked) or "nothing"
        return f"{self.path.relative_to(VALIDATION)}: got [{got}]"


def cases() -> list[tuple[Path, str | None]]:
    """Every validation paste with the entry that explains it (None: must stay quiet)."""
    return [
        (path, None if path.parent.name == QUIET else path.parent.name)
        for path in sorted(VALIDATION.glob("*/*.txt"))
    ]


def run(match: MatchFunction) -> list[Result]:
    results = []
    for path, expected in cases():
        text = path.read_bytes().decode("utf-8", errors="replace")
        ranked = tuple((m.id, m.score, m.confidence) for m in match(text))
        results.append(Result(path, expected, ranked))
    return results


@dataclass(frozen=True)
class Figures:
    """What a user would notice, counted over the validation corpus."""

    positives: int
    top1: int
    top3: int
    confident_wrong: int
    quiet: int
    quiet_kept: int

    @classmethod
    def of(cls, results: Sequence[Result]) -> Figures:
        positives = [r for r in results if r.expected is not None]
        quiet = [r for r in results if r.expected is None]
        return cls(
            positives=len(positives),
            top1=sum(r.right for r in positives),
            top3=sum(r.in_top3 for r in positives),
            confident_wrong=sum(r.answer is not None and not r.right for r in positives),
            quiet=len(quiet),
            quiet_kept=sum(r.answer is None for r in quiet),
        )

    def rows(self) -> dict[str, str]:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} = {part / whole:.3f}" if whole else "0/0"

        return {
            "top-1": share(self.top1, self.positives),
            "top-3": share(self.top3, self.positives),
            "answered confident and wrong": f"{self.confident_wrong}/{self.positives}",
            "quiet on quiet": f"{self.quiet_kept}/{self.quiet}",
        }


def product_match(top: int = 3) -> MatchFunction:
    """paste -> ranked matches through diagnose_paste, over the built-in catalog."""
    catalog = load_catalog()
    matcher = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda e: e.id))
    return lambda text: [f.match for f in diagnose_paste(matcher, text, top=top).findings]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every paste not answered right")
    parser.add_argument(
        "--before", action="store_true", help="print the recorded before figures too"
    )
    args = parser.parse_args()
    results = run(product_match())
    figures = Figures.of(results)
    entries = len({r.expected for r in results if r.expected})
    print(
        f"validation corpus: {figures.positives} in-catalog pastes over {entries} entries, "
        f"{figures.quiet} quiet pastes"
    )
    print("| measure | before | now |" if args.before else "| measure | now |")
    print("|---|---|---|" if args.before else "|---|---|")
    for name, now in figures.rows().items():
        print(f"| {name} | {BEFORE[name]} | {now} |" if args.before else f"| {name} | {now} |")
    if args.misses:
        print("\nmisses:")
        for result in results:
            if (result.expected is None) != (result.answer is None) or (
                result.expected and not result.right
            ):
                print(f"  expected {result.expected or 'quiet'}: {result.describe()}")


if __name__ == "__main__":
    main()
