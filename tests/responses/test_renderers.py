"""Every platform's renderer draws the same answer, summary and alert, and each names the catalog id
(the contract: every diagnosis names the catalog id of each cause, so people can search for it).
Teams' cards validate against the Adaptive Card schema written from the spec and stay under 28 KB."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.matcher import Matcher
from responses import adaptive_card
from responses.alert_detail import AlertDetail, AlertTexts, Explanation
from responses.alert_view import AlertView
from responses.answer_actions import ButtonSpec, details_button
from responses.answer_view import Headline, LinkView, Problem, ProblemDetails, Step
from responses.chat import AlertMessage, AnswerMessage, SummaryMessage
from responses.renderers import RENDERERS
from responses.summary import FixLink, IncidentItem, Resources, Summary
from tests.standins.teams_webhook import MAX_BYTES, problems

OOM = Path("examples/pastes/oom-killed-describe.txt").read_text()
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def _alert(
    *,
    facts: tuple[str, ...] = ("limit 256Mi",),
    summary: str = "Pod is crash looping.",
    description: str | None = None,
) -> AlertView:
    title = "Container killed for exceeding its memory limit (OOMKilled)"
    fix = Step(1, "Raise the limit", "kubectl set resources deploy/checkout")
    link = LinkView(
        "Assign memory",
        "https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/",
    )
    cause = Headline(
        Problem("oom-killed", title, "high", 0.95, why="", facts=facts[:2], fix=fix),
        ProblemDetails(
            "oom-killed",
            title,
            "The container used more memory than its limit.",
            facts=facts,
            fix=fix,
            links=(link,),
        ),
        True,
    )
    detail = AlertDetail(
        alert=AlertTexts(
            summary=summary, description=description, runbook_url="https://runbooks.example/crash"
        ),
        explanation=Explanation(cause=cause, confirmed=True),
    )
    return AlertView(
        key="k1",
        source="alertmanager",
        status="firing",
        title="KubePodCrashLooping",
        detail=detail,
        subjects=1,
        restarts=9,
        seen=1,
        first_seen=NOW - timedelta(minutes=5),
        last_seen=NOW,
        now=NOW,
    )


def _summary() -> Summary:
    incident = IncidentItem(
        catalog_id="oom-killed",
        title="OOMKilled",
        confidence="high",
        first_seen=NOW,
        last_seen=NOW,
        messages=3,
        links=(FixLink("https://kubernetes.io/docs/memory/", "Assign memory"),),
    )
    return Summary(
        channel="inc-42-db",
        status="ongoing",
        updated=NOW,
        incidents=(incident,),
        resources=Resources(),
    )


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_platform_names_the_catalog_id_of_the_answer_summary_and_alert(
    name: str, matcher: Matcher
) -> None:
    drawing = RENDERERS[name]
    diagnosis = diagnose_paste(matcher, OOM)
    buttons = [details_button("d1")] if drawing.buttons else []
    for message in (
        AnswerMessage(diagnosis, tuple(buttons)),
        SummaryMessage(_summary()),
        AlertMessage(_alert()),
    ):
        rendered = drawing.draw(message)
        shown = rendered if isinstance(rendered, str) else json.dumps(rendered, default=str)
        assert "oom-killed" in shown, name


def test_teams_cards_are_valid_adaptive_cards_with_links_only(matcher: Matcher) -> None:
    answer = AnswerMessage(
        diagnose_paste(matcher, OOM), (ButtonSpec("feedback_helpful", "Helpful", "d"),)
    )
    teams = RENDERERS["teams"].draw
    cards = [
        teams(answer),
        teams(SummaryMessage(_summary())),
        teams(AlertMessage(_alert())),
        adaptive_card.message(adaptive_card.note_card("KubePodCrashLooping", {"kind": "resolved"})),
        adaptive_card.message(adaptive_card.rollup_card(["a", "b"], 120)),
    ]
    for envelope in cards:
        assert problems(envelope) == []
        actions = envelope["attachments"][0]["content"].get("actions") or []
        assert all(
            a["type"] == "Action.OpenUrl" and a["url"].startswith("https://") for a in actions
        )


def test_a_card_of_any_size_fits_in_one_teams_message() -> None:
    huge = _alert(
        facts=tuple(f"fact {n} " + "e" * 300 for n in range(500)),
        summary="s" * 100_000,
        description="d" * 300_000,
    )
    envelope = adaptive_card.message(adaptive_card.alert_card(huge))
    assert adaptive_card.size(envelope) <= MAX_BYTES
    assert problems(envelope) == []
    assert "oom-killed" in json.dumps(envelope)


TEAM_MANIFEST = """\
name: frob
title: Frobnicator
description: The team's frobnicator and its failures.
components: [{name: frobnicator, versions: "2.x"}]
"""
TEAM_ENTRY = """\
id: frob-overload
title: The frobnicator overloads
summary: A team runbook entry.
symptoms: ["frobnicator quantum flux overload detected"]
root_cause: The frobnicator overheats.
fix: [{text: Cool it down., command: "kubectl rollout restart deploy/<deployment> -n <namespace>"}]
links: [{url: "https://runbooks.example.com/frob", title: Runbook}]
sources: [team-runbook]
"""


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_platform_says_an_answer_comes_from_a_team_pack(name: str, tmp_path: Path) -> None:
    """Issue 76 (LOW): an answer from a team's pack says so on every platform, so a team pack's
    fix is never taken for kubemedic's own."""
    from intents.loader import load_catalog

    (tmp_path / "frob" / "entries").mkdir(parents=True)
    (tmp_path / "frob" / "pack.yaml").write_text(TEAM_MANIFEST)
    (tmp_path / "frob" / "entries" / "frob-overload.yaml").write_text(TEAM_ENTRY)
    catalog = load_catalog([tmp_path])
    assert not catalog.problems, catalog.problems
    team = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda e: e.id))
    drawing = RENDERERS[name]
    diagnosis = diagnose_paste(team, "E0101 frobnicator quantum flux overload detected on node-1")
    assert diagnosis.answer is not None and diagnosis.answer.match.id == "frob-overload"
    rendered = drawing.draw(AnswerMessage(diagnosis, ()))
    shown = rendered if isinstance(rendered, str) else json.dumps(rendered, default=str)
    assert "team pack frob" in shown, name
    core = drawing.draw(AnswerMessage(diagnose_paste(team, OOM), ()))
    core_shown = core if isinstance(core, str) else json.dumps(core, default=str)
    assert "team pack" not in core_shown, name
