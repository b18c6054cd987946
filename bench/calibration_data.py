"""The rules' candidates for each real paste, as the learned rule sees them (training and bench).

Each paste goes through the product path exactly as `bench.realcorpus` runs it
(`diagnose_paste`): once with top=3 for the product's own answer and listed three ("before"),
and once with top=10 for the pool of candidates the learned rule may choose from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.diagnosis.paste import diagnose_paste
from intents.calibration import Candidate
from intents.calibration.fingerprint import LabelledPaste, development_digest, entry_digests
from intents.loader import load_catalog
from intents.matcher import Matcher
from intents.schema import CatalogEntry
from responses.diagnosis import Diagnosis, Finding
from tests.real_corpus import RealCase, load

POOL = 10


@dataclass(frozen=True)
class Pooled:
    """One labelled paste, the product's answer, and the rules' candidates for it."""

    case: RealCase
    text: str
    candidates: tuple[Candidate, ...]
    because: dict[str, tuple[str, ...]]
    """For each candidate: the ids of the findings that explain it (it is their symptom)."""
    before_answer: str | None
    before_listed: tuple[str, ...]

    @property
    def positive(self) -> bool:
        return self.case.klass == "positive"

    def right(self, answer: str | None) -> bool:
        return answer is not None and answer in self.case.expected


def candidate_of(finding: Finding, rank: int) -> Candidate:
    """A product finding as the learned rule's candidate."""
    match = finding.match
    return Candidate(id=match.id, score=match.score, rank=rank, confidence=match.confidence,
                     confirmed=finding.confirmed, named_outright=finding.named_outright,
                     lines=tuple(line.line for line in match.matched))


def candidates_of(diagnosis: Diagnosis) -> tuple[Candidate, ...]:
    return tuple(candidate_of(finding, rank) for rank, finding in enumerate(diagnosis.findings))


@cache
def catalog_entries() -> tuple[CatalogEntry, ...]:
    return tuple(sorted(load_catalog().entries.values(), key=lambda entry: entry.id))


@cache
def matcher() -> Matcher:
    return Matcher.from_entries(list(catalog_entries()))


def pooled(case: RealCase) -> Pooled:
    text = case.text()
    before = diagnose_paste(matcher(), text, top=3)
    pool = diagnose_paste(matcher(), text, top=POOL)
    return Pooled(case=case, text=text, candidates=candidates_of(pool),
                  because={f.match.id: f.because for f in pool.findings},
                  before_answer=before.answers[0].match.id if before.answers else None,
                  before_listed=tuple(f.match.id for f in before.findings))


def pools(half: str) -> list[Pooled]:
    return [pooled(case) for case in load(half)]


def labelled(cases: Sequence[RealCase]) -> list[LabelledPaste]:
    return [LabelledPaste(case.path.name, case.path.read_bytes(), case.klass, case.expected)
            for case in cases]


def fingerprint() -> dict[str, object]:
    """Today's training inputs as the model stores them (intents.calibration.fingerprint)."""
    dev = load("dev")
    return {"entries": entry_digests(catalog_entries()), "development": development_digest(labelled(dev)),
            "development_pastes": len(dev)}
