"""The rules' candidates for each labelled paste, as the learned decision sees them (training, benches).

Each paste goes through the product path exactly as `bench.realcorpus` runs it
(`diagnose_paste`, top=3) with the learned rule not consulted: that gives the rules' own
answer and listed three ("before") and, recorded where the learned rule asks, the question it
is asked (the pool of candidates with their traces and evidence, the entries the pasted facts
refute, the paste's kind). `pools` reads a half in two processes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.diagnosis.paste import diagnose_paste
from intents.calibration import Candidate, Question, Verdict, consulting, rules_only
from intents.calibration.fingerprint import LabelledPaste, development_digest, entry_digests
from intents.loader import load_catalog
from intents.matcher import Matcher
from intents.schema import CatalogEntry
from responses.diagnosis import Diagnosis
from tests.real_corpus import DEVELOPMENT, RealCase, load

PROCESSES = 2


@dataclass(frozen=True)
class Pooled:
    """One labelled paste, the rules' own answer, and the question the learned decision is asked."""

    case: RealCase
    text: str
    question: Question
    before_answer: str | None
    before_listed: tuple[str, ...]

    @property
    def positive(self) -> bool:
        return self.case.klass == "positive"

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        return tuple(self.question.candidates)

    def right(self, answer: str | None) -> bool:
        return answer is not None and answer in self.case.expected


def rules_verdict(text: str, top: int = 3) -> tuple[Question, Diagnosis]:
    """The question the learned rule is asked for a paste, and the diagnosis the rules give
    without it (the product path of `kubemedic match`, the learned rule not consulted)."""
    seen: list[Question] = []

    def recording(question: Question) -> Verdict:
        seen.append(question)
        return rules_only(question)

    with consulting(recording):
        diagnosis = diagnose_paste(matcher(), text, top=top)
    return (seen[0] if seen else Question(text, ())), diagnosis


@cache
def catalog_entries() -> tuple[CatalogEntry, ...]:
    return tuple(sorted(load_catalog().entries.values(), key=lambda entry: entry.id))


@cache
def matcher() -> Matcher:
    return Matcher.from_entries(list(catalog_entries()))


def pooled(case: RealCase) -> Pooled:
    text = case.text()
    question, before = rules_verdict(text)
    return Pooled(
        case=case,
        text=text,
        question=question,
        before_answer=before.answers[0].match.id if before.answers else None,
        before_listed=tuple(f.match.id for f in before.findings),
    )


def pool_all(cases: Sequence[RealCase], processes: int = PROCESSES) -> list[Pooled]:
    """`pooled` for every case, in order, in `processes` worker processes (1: in this one)."""
    if processes <= 1 or len(cases) < 50:
        return [pooled(case) for case in cases]
    matcher()  # built before the fork, shared by the workers
    with multiprocessing.get_context("fork").Pool(processes) as workers:
        return workers.map(pooled, cases, chunksize=25)


def pools(half: str, processes: int = PROCESSES) -> list[Pooled]:
    return pool_all(load(half), processes)


def development_cases() -> list[RealCase]:
    """Every development paste: the development half and the batches since made development
    data (tests/real_corpus.py DEVELOPMENT: fresh24 since issue 67)."""
    return [case for half in DEVELOPMENT for case in load(half)]


def labelled(cases: Sequence[RealCase]) -> list[LabelledPaste]:
    return [
        LabelledPaste(case.path.name, case.path.read_bytes(), case.klass, case.expected)
        for case in cases
    ]


def fingerprint() -> dict[str, object]:
    """Today's training inputs as the model stores them (intents.calibration.fingerprint)."""
    dev = development_cases()
    return {
        "entries": entry_digests(catalog_entries()),
        "development": development_digest(labelled(dev)),
        "development_pastes": len(dev),
    }
