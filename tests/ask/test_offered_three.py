"""Which candidates "Is it one of these?" offers: the first three the decision lists, whenever
the paste speaks for one of them (bot.answering.candidates.offered)."""

from __future__ import annotations

from bot.answering.candidates import offered
from intents.findings import Finding
from intents.loaded import LoadedCatalog
from intents.policy import POLICY
from intents.results import EvidenceKind, Match, MatchedLine
from responses.diagnosis import Diagnosis


def diagnosis(catalog: LoadedCatalog, *scored: tuple[str, float]) -> Diagnosis:
    return Diagnosis(
        subject="pasted text",
        findings=tuple(Finding(Match(catalog.entries[i], score)) for i, score in scored),
    )


def test_a_weaker_candidate_the_listing_puts_among_the_three_is_offered(
    builtin_catalog: LoadedCatalog,
) -> None:
    listed = diagnosis(
        builtin_catalog, ("crashloop-backoff", 0.35), ("oom-killed", 0.22), ("pvc-pending", 0.1)
    )
    assert listed.answer is None
    assert [c.id for c in offered(listed)] == ["crashloop-backoff", "oom-killed", "pvc-pending"]


def test_a_weak_candidate_a_line_of_the_paste_matched_is_offered(
    builtin_catalog: LoadedCatalog,
) -> None:
    line = MatchedLine("pods keep restarting", "pods restart", 0.18, EvidenceKind.FUZZY)
    weak = Diagnosis(
        subject="pasted text",
        findings=(
            Finding(Match(builtin_catalog.entries["crashloop-backoff"], 0.18, (line,))),
            Finding(Match(builtin_catalog.entries["oom-killed"], 0.05)),
        ),
    )
    assert [c.id for c in offered(weak)] == ["crashloop-backoff", "oom-killed"]


def test_nothing_is_offered_when_no_candidate_has_evidence_or_reaches_the_asking_floor(
    builtin_catalog: LoadedCatalog,
) -> None:
    weak = diagnosis(
        builtin_catalog, ("crashloop-backoff", POLICY.ask_min_score - 0.01), ("oom-killed", 0.2)
    )
    assert offered(weak) == ()


def test_an_answered_paste_offers_nothing(builtin_catalog: LoadedCatalog) -> None:
    answered = diagnosis(builtin_catalog, ("oom-killed", POLICY.high), ("crashloop-backoff", 0.4))
    assert answered.answer is not None and offered(answered) == ()


def test_a_candidate_the_paste_speaks_for_leads_a_guess_with_no_line(
    builtin_catalog: LoadedCatalog,
) -> None:
    """The text model's guess (no line, no fact) listed first is offered after the candidate a
    line of the paste matched: the offer never leads with a 0.0 guess ahead of evidence."""
    line = MatchedLine("Back-off restarting failed container", "back-off", 0.3, EvidenceKind.FUZZY)
    listed = Diagnosis(
        subject="pasted text",
        findings=(
            Finding(Match(builtin_catalog.entries["oom-killed"], 0.0)),
            Finding(Match(builtin_catalog.entries["crashloop-backoff"], 0.3, (line,))),
        ),
    )
    assert [c.id for c in offered(listed)] == ["crashloop-backoff", "oom-killed"]
