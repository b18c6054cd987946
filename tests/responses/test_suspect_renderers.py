"""Every platform draws a walked namespace the same way: the first suspect (object, cause, catalog
id, confidence, its one fix) first, then each other suspect with why it ranks lower; within each
platform's limits whatever the suspects hold. The suspects come from the walk over the test shop."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from bot.diagnosis.explaining import Examined
from bot.diagnosis.pod import Judge
from intents.matcher import Matcher
from responses import adaptive_card
from responses.alert_detail import AlertDetail, AlertTexts
from responses.alert_view import AlertView
from responses.answer_build import answer_view
from responses.block_kit import details_blocks, diagnosis_blocks
from responses.chat import AlertMessage, AnswerMessage
from responses.diagnosis import Diagnosis, Suspect
from responses.mattermost_post import MAX_MESSAGE, answer_message, details_message
from responses.renderers import RENDERERS
from tests.responses.conftest import check_limits
from tests.standins.teams_webhook import MAX_BYTES, problems
from tests.suspects import faults
from tests.suspects import shop as shops
from tests.suspects.ranked import suspects_of

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
HEALTHY_NOTE = "No problem found: all 3 pods in namespace shop are healthy"


def _walked(matcher: Matcher, *inject: object, symptom: str = "checkout is failing") -> Diagnosis:
    shop = shops.healthy()
    for fault in inject:
        fault(shop)  # type: ignore[operator]
    suspects = suspects_of(shop.snapshot(), (), judge=Judge(matcher), symptom=symptom)
    return Diagnosis(
        subject="namespace shop",
        cluster="lab",
        suspects=suspects,
        counts=(("Running", 3),),
        notes=(HEALTHY_NOTE,),
    )


def _shown(rendered: object) -> str:
    return (
        rendered
        if isinstance(rendered, str)
        else json.dumps(rendered, ensure_ascii=False, default=vars)
    )


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_platform_leads_with_the_first_suspect(name: str, matcher: Matcher) -> None:
    diagnosis = _walked(matcher, faults.selector_typo, faults.target_port)
    first, second = diagnosis.suspects or ()
    assert (first.object, second.object) == ("service/checkout", "service/cart")
    rendered = RENDERERS[name].draw(AnswerMessage(diagnosis))
    shown = _shown(rendered)
    assert shown.index(first.object) < shown.index(first.id) < shown.index(second.object), name
    # Teams escapes Markdown in text from the cluster: the label shows as typed, `check\_out`
    unescaped = shown.replace("\\\\_", "_").replace("\\_", "_")
    assert "app=check_out" in unescaped
    assert (f'"lower": "{second.lower[:12]}' if name == "mcp" else "ranks lower") in shown
    if name != "mcp":  # the chats and the terminal say the pods are healthy, not "no problem found"
        assert "no problem found" not in shown.lower() and "all 3 pods" in shown, name


def test_a_healthy_walk_says_no_problem_found_on_every_chat(matcher: Matcher) -> None:
    diagnosis = _walked(matcher)
    assert diagnosis.suspects == ()
    for name in ("slack", "mattermost", "teams"):
        shown = _shown(RENDERERS[name].draw(AnswerMessage(diagnosis)))
        assert "No problem found" in shown and "ranks lower" not in shown, name


def _huge(suspect: Suspect, number: int) -> Suspect:
    return dataclasses.replace(
        suspect,
        object=f"service/s{number}-" + "x" * 200,
        fix="f" * 20_000,
        chain=tuple("c" * 300 for _ in range(200)),
        why=tuple("w" * 500 for _ in range(50)),
        lower="l" * 5000,
        finding=dataclasses.replace(
            suspect.finding, evidence=tuple(f"e{n} " + "e" * 3000 for n in range(100))
        ),
    )


def test_any_suspects_fit_each_platform(matcher: Matcher) -> None:
    diagnosis = _walked(
        matcher, faults.selector_typo, faults.target_port, faults.env_typo, faults.quota
    )
    suspects = diagnosis.suspects or ()
    huge = dataclasses.replace(
        diagnosis, suspects=tuple(_huge(s, n) for n, s in enumerate(suspects * 2))
    )
    blocks = diagnosis_blocks(huge)
    check_limits(blocks)
    assert blocks[2]["type"] == "section" and blocks[2]["text"]["text"].startswith(
        "*Most likely: service/s0-"
    )
    view = answer_view(huge)
    check_limits(details_blocks(view.details, title=view.headline))
    assert (
        len(answer_message(view)) <= MAX_MESSAGE
        and len(details_message(view.details, title="t")) <= MAX_MESSAGE
    )
    envelope = adaptive_card.message(adaptive_card.answer_card(view))
    assert adaptive_card.size(envelope) <= MAX_BYTES and problems(envelope) == []


def test_every_platform_leads_an_alert_with_its_first_suspect(matcher: Matcher) -> None:
    walked = _walked(matcher, faults.selector_typo, faults.target_port)
    assert (walked.suspects or ())[0].confidence in ("high", "medium")  # it leads the message
    # the cause and diagnosis as Explainer.explain stores them for a walked target
    detail = AlertDetail(
        alert=AlertTexts(summary="checkout answers 5xx", runbook_url="https://runbooks.example/x"),
        explanation=Examined.of(walked, None).explanation(),
    )
    view = AlertView(
        key="k",
        source="alertmanager",
        status="firing",
        title="CheckoutHighErrorRate",
        detail=detail,
        subjects=1,
        restarts=0,
        seen=1,
        first_seen=NOW,
        last_seen=NOW,
        now=NOW,
    )
    for name in ("slack", "mattermost", "teams", "html"):
        shown = _shown(RENDERERS[name].draw(AlertMessage(view)))
        assert shown.index("Most likely: service/checkout") < shown.index("service/cart"), name
        assert "service-endpoints-empty" in shown and "ranks lower" in shown, name
