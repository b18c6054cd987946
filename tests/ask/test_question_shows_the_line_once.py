""" "Is it one of these?" quotes the pasted line once, above its candidates, in Slack and Mattermost;
a candidate shows a line of its own only when another line matched it."""

from __future__ import annotations

import json

from bot.answering.candidates import offered
from intents.findings import Finding
from intents.loaded import LoadedCatalog
from intents.results import EvidenceKind, Match, MatchedLine
from responses.choice_blocks import question_blocks
from responses.diagnosis import Diagnosis
from responses.mattermost_chat import question_text

LINE = "2026-11-28T10:00:00Z app-7d9f8c6b5-x2x7k container exited and keeps restarting after start"
OTHER = "readiness probe failed: connection refused"


def unsure(catalog: LoadedCatalog, *lines: str) -> Diagnosis:
    """No answer, three candidates: each matched on the given line (the last line for the rest)."""
    ids = ("crashloop-backoff", "oom-killed", "readiness-probe-failed")
    findings = tuple(
        Finding(
            Match(
                catalog.entries[entry_id],
                score,
                matched=(
                    MatchedLine(
                        lines[min(number, len(lines) - 1)], "a symptom", score, EvidenceKind.FUZZY
                    ),
                ),
            )
        )
        for number, (entry_id, score) in enumerate(zip(ids, (0.42, 0.38, 0.33), strict=True))
    )
    return Diagnosis(subject="the pasted text", findings=findings)


def test_the_line_all_candidates_matched_is_quoted_once(builtin_catalog: LoadedCatalog) -> None:
    candidates = offered(unsure(builtin_catalog, LINE))
    assert len(candidates) == 3
    slack = json.dumps(question_blocks("q-1", candidates), ensure_ascii=False)
    mattermost = question_text(candidates, which=False)
    for rendered in (slack, mattermost):
        assert rendered.count("container exited and keeps restarting") == 1, rendered
    # and no candidate's why quotes it again
    assert all("“" not in candidate.why for candidate in candidates)


def test_a_candidate_matched_on_another_line_shows_that_line(
    builtin_catalog: LoadedCatalog,
) -> None:
    candidates = offered(unsure(builtin_catalog, LINE, LINE, OTHER))
    mattermost = question_text(candidates, which=False)
    slack = json.dumps(question_blocks("q-1", candidates), ensure_ascii=False)
    for rendered in (slack, mattermost):
        assert rendered.count("container exited and keeps restarting") == 1
        assert rendered.count("readiness probe failed: connection refused") == 1
