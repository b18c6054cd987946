"""The rules' candidates for each real paste, as the learned rule sees them (training and bench).

Each paste goes through the product path exactly as `bench.realcorpus` runs it
(`diagnose_paste`, top=3) with the learned rule not consulted: that gives the rules' own
answer and listed three ("before") and, recorded where the learned rule is asked, the pool of
candidates it chooses from (POLICY.match_pool of them, with the signs its guards read).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

from bot.diagnosis.paste import diagnose_paste
from intents.calibration import Assessment, Candidate, consulting, rules_only
from intents.calibration.fingerprint import LabelledPaste, development_digest, entry_digests
from intents.loader import load_catalog
from intents.matcher import Matcher
from intents.schema import CatalogEntry
from responses.diagnosis import Diagnosis
from tests.real_corpus import RealCase, load


@dataclass(frozen=True)
class Pooled:
    """One labelled paste, the rules' own answer, and their candidates as the learned rule sees them."""

    case: RealCase
    text: str
    candidates: tuple[Candidate, ...]
    refuted: frozenset[str]
    """Entries the pasted facts contradict."""
    before_answer: str | None
    before_listed: tuple[str, ...]

    @property
    def positive(self) -> bool:
        return self.case.klass == "positive"

    def right(self, answer: str | None) -> bool:
        return answer is not None and answer in self.case.expected


def rules_verdict(text: str, top: int = 3) -> tuple[tuple[Candidate, ...], frozenset[str], Diagnosis]:
    """The candidates the learned rule is handed for a paste, the entries the pasted facts
    refute, and the diagnosis the rules give without it (the product path of `kubemedic
    match`, the learned rule not consulted)."""
    seen: list[tuple[Sequence[Candidate], Collection[str]]] = []

    def recording(paste: str, candidates: Sequence[Candidate], refuted: Collection[str]) -> Assessment:
        seen.append((candidates, refuted))
        return rules_only(paste, candidates)

    with consulting(recording):
        diagnosis = diagnose_paste(matcher(), text, top=top)
    candidates, refuted = seen[0] if seen else ((), ())
    return tuple(candidates), frozenset(refuted), diagnosis


@cache
def catalog_entries() -> tuple[CatalogEntry, ...]:
    return tuple(sorted(load_catalog().entries.values(), key=lambda entry: entry.id))


@cache
def matcher() -> Matcher:
    return Matcher.from_entries(list(catalog_entries()))


def pooled(case: RealCase) -> Pooled:
    text = case.text()
    candidates, refuted, before = rules_verdict(text)
    return Pooled(case=case, text=text, candidates=candidates, refuted=refuted,
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
