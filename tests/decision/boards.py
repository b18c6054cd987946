"""Build the decision's boards from hand-made candidates, for the rule case tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from intents.causality import graph_of
from intents.decision import FindingBoard, decide_findings
from intents.decision.driver import run
from intents.decision.rules import CLOSE_CALL
from intents.findings import Confirmation, Finding
from intents.results import EvidenceKind, Match, MatchedLine
from tests.catalogs import builtin_catalog


def finding(
    entry_id: str,
    score: float,
    *,
    evidence: tuple[str, ...] = (),
    named: bool = False,
    because: tuple[str, ...] = (),
    context_missing: bool = False,
) -> Finding:
    """A finding as the earlier rules leave it: one matched line, of a message format when `named`."""
    lines = (
        MatchedLine(
            "a pasted line",
            "kubelet/pull-failed" if named else "a symptom",
            score,
            EvidenceKind.GRAMMAR if named else EvidenceKind.FUZZY,
        ),
    )
    return Finding(
        Match(builtin_catalog().entries[entry_id], score, lines, context_missing=context_missing),
        evidence,
        score,
        because,
    )


def after_close_call(findings: Sequence[Finding]) -> tuple[list[Finding], list[str]]:
    """The findings and notes once the close-call rule has run on them."""
    board = FindingBoard(
        [],
        {},
        builtin_catalog().entries,
        graph_of(builtin_catalog().entries.values()),
        paste=True,
        findings=list(findings),
    )
    run(CLOSE_CALL, board)
    return board.findings, board.notes


def decided(
    matches: Sequence[Match],
    confirmations: Mapping[str, Confirmation],
    *,
    top: int = 3,
    complete: bool = True,
) -> list[Finding]:
    """Every finding rule run on a cluster read's matches and confirmations."""
    board = FindingBoard(
        matches,
        confirmations,
        builtin_catalog().entries,
        graph_of(builtin_catalog().entries.values()),
        top=top,
        pool=top,
        complete=complete,
    )
    return decide_findings(board).findings
