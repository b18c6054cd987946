"""Diagnosis -> Block Kit: every catalog entry renders, limits hold for any input."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.matcher import Matcher
from intents.schema import CatalogEntry, FixStep, Link
from responses import messages
from responses.answer_build import answer_view
from responses.block_kit import details_blocks, diagnosis_blocks, fallback_text
from responses.block_notices import SeenInfo
from responses.buttons import feedback_buttons
from responses.diagnosis import Diagnosis, PodRow
from responses.redaction import redact_paste
from tests.responses.conftest import check_limits, finding, pod_diagnosis, texts

SECRET_LINE = "Authorization: Bearer s3cr3tT0kenValue and password=hunter2 OOMKilled"


def _context_texts(blocks: list[dict]) -> list[str]:
    return [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]


def _all_text(blocks: list[dict]) -> str:
    return "\n".join(text for _, text in texts(blocks))


def _details(diagnosis: Diagnosis) -> list[dict]:
    view = answer_view(diagnosis)
    return details_blocks(view.details, title=view.headline)


def test_every_builtin_entry_renders_its_first_screen_and_its_details(
    entries: dict[str, CatalogEntry],
) -> None:
    for entry in entries.values():
        found = finding(
            entry,
            evidence=("a container last terminated with reason OOMKilled",),
            lines=(entry.symptoms[0],),
            text_score=0.6,
        )
        diagnosis = pod_diagnosis(found, gaps=("events: forbidden",))
        blocks = diagnosis_blocks(diagnosis, buttons=feedback_buttons("diag-1"))
        details = _details(diagnosis)
        check_limits(blocks)
        check_limits(details)
        title = (
            f"{messages.PROBLEM_MARK} {entry.title}"  # marked a problem, whatever its confidence
        )
        assert blocks[0] == {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": title if len(title) <= 150 else blocks[0]["text"]["text"],
            },
        }
        assert f"`{entry.id}`" in _context_texts(blocks), entry.id
        body, folded = _all_text(blocks), _all_text(details)
        [shown] = answer_view(diagnosis).problems
        for step in entry.fix:
            if step.command:
                first = step.command.strip().splitlines()[0][:40].replace("&", "&amp;")
                first = first.replace("<", "&lt;").replace(">", "&gt;")
                first_screen = shown.fix is not None and step.text == shown.fix.text
                where = (
                    body if first_screen and not shown.fix.long_code else folded
                )  # a long one: in full there
                assert re.search(r"```[^`]*" + re.escape(first), where), (entry.id, first)
        for link in entry.links[:2]:
            assert f"<{link.url}|" in folded and f"<{link.url}|" not in body
        assert "a container last terminated with reason OOMKilled" in body
        assert "Could not read: events: forbidden" in folded and "Could not read" not in body


def test_the_first_screen_and_the_details_hold_their_parts_in_order(
    entries: dict[str, CatalogEntry],
) -> None:
    found = finding(
        entries["oom-killed"],
        0.91,
        evidence=("last terminated OOMKilled",),
        lines=("Last State: Terminated Reason: OOMKilled",),
    )
    other = finding(entries["crashloop-backoff"], 0.85)
    diagnosis = pod_diagnosis(found, other)
    blocks, details = diagnosis_blocks(diagnosis), _details(diagnosis)
    check_limits(blocks)
    body, folded = _all_text(blocks), _all_text(details)
    assert [
        body.index(h) for h in ("Why this answer", messages.CONFIRMED_BY, messages.FIX)
    ] == sorted(body.index(h) for h in ("Why this answer", messages.CONFIRMED_BY, messages.FIX))
    order = [
        messages.ROOT_CAUSE,
        messages.OTHER_STEPS,
        messages.LINKS,
        messages.WHY,
        messages.OTHERS,
    ]
    assert [folded.index(h) for h in order] == sorted(folded.index(h) for h in order)
    assert not any(h in body for h in order)  # all of it behind the fold
    contexts = _context_texts(blocks)
    assert messages.confidence("high") in contexts and "`oom-killed`" in contexts
    assert "cluster *prod*" in contexts and "pod tidb/tikv-0" in contexts
    assert "score 0.91" in folded and "`Last State: Terminated Reason: OOMKilled`" in folded
    assert "`crashloop-backoff`" in folded and "close to the answer (0.85 against 0.91)" in folded


def test_a_distant_rival_is_not_shown_at_all(entries: dict[str, CatalogEntry]) -> None:
    found = finding(entries["oom-killed"], 1.0, evidence=("last terminated OOMKilled",))
    far = finding(entries["gateway-not-programmed"], 0.39)
    diagnosis = pod_diagnosis(found, far)
    assert "gateway-not-programmed" not in _all_text(diagnosis_blocks(diagnosis)) + _all_text(
        _details(diagnosis)
    )


def test_show_others_false_leaves_the_closest_out(entries: dict[str, CatalogEntry]) -> None:
    diagnosis = pod_diagnosis(
        finding(entries["oom-killed"], 0.3), finding(entries["crashloop-backoff"], 0.25)
    )
    assert messages.CLOSEST in _all_text(diagnosis_blocks(diagnosis))
    assert messages.CLOSEST not in _all_text(diagnosis_blocks(diagnosis, show_others=False))


def test_healthy_pod_says_no_problem_found() -> None:
    # The diagnosis layer's note for a healthy pod starts with "no problem found".
    diagnosis = Diagnosis(
        "pod shop/web-1",
        cluster="prod",
        notes=("no problem found: pod shop/web-1 is Running, all containers ready",),
    )
    blocks = diagnosis_blocks(diagnosis)
    check_limits(blocks)
    assert blocks[0]["text"]["text"] == "✅ No problem found for pod shop/web-1"
    assert fallback_text(diagnosis) == "✅ No problem found for pod shop/web-1 in cluster prod"


def test_no_confident_match_lists_closest_by_id(entries: dict[str, CatalogEntry]) -> None:
    diagnosis = pod_diagnosis(finding(entries["oom-killed"], 0.3), gaps=("logs: timeout",))
    blocks = diagnosis_blocks(diagnosis)
    check_limits(blocks)
    body = _all_text(blocks)
    assert blocks[0]["text"]["text"].startswith("🤷 No confident match for pod tidb/tikv-0")
    assert messages.CLOSEST in body and "`oom-killed`" in body and "logs: timeout" in body
    assert "No confident match" in fallback_text(diagnosis)


def test_namespace_diagnosis_lists_pods_and_top_cause(entries: dict[str, CatalogEntry]) -> None:
    top = finding(entries["oom-killed"], evidence=("OOMKilled",))
    rows = tuple(PodRow(f"web-{i}", "CrashLoopBackOff", 0, top) for i in range(300))
    diagnosis = Diagnosis(
        "namespace shop",
        (top,),
        cluster="prod",
        pods=rows,
        counts=(("CrashLoopBackOff", 300), ("Running", 2)),
        notes=("300 of 302 pods in namespace shop are unhealthy",),
    )
    blocks = diagnosis_blocks(diagnosis)
    check_limits(blocks)
    body = _all_text(blocks)
    assert "`web-0` CrashLoopBackOff — `oom-killed` (high)" in body
    assert "more pods" in body and "`oom-killed`" in _context_texts(blocks)
    assert "`oom-killed`" in fallback_text(diagnosis)


def test_fallback_text_names_the_catalog_id(entries: dict[str, CatalogEntry]) -> None:
    text = fallback_text(pod_diagnosis(finding(entries["oom-killed"])))
    assert "`oom-killed`" in text and "pod tidb/tikv-0" in text and "prod" in text


def test_a_pasted_secret_never_reaches_the_blocks(matcher: Matcher) -> None:
    """The paste is redacted where it arrives (`redact_paste`, once); the diagnosis quotes only
    that text, so its matched lines, evidence and details hold no secret, and the renderer, which
    no longer redacts, shows none."""
    paste = f"{SECRET_LINE}\nLast State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n"
    paste += "token: abc123xyz AKIAQYLPMN5HHHFPZAM2 seen\n"
    diagnosis = diagnose_paste(matcher, redact_paste(paste))
    assert diagnosis.answer is not None and diagnosis.answer.match.id == "oom-killed"
    dumped = (
        json.dumps(diagnosis_blocks(diagnosis))
        + json.dumps(_details(diagnosis))
        + fallback_text(diagnosis)
    )
    for secret in ("s3cr3tT0kenValue", "hunter2", "AKIAQYLPMN5HHHFPZAM2"):
        assert secret not in dumped
    assert "[REDACTED]" in dumped


def test_pasted_mentions_and_links_are_escaped(entries: dict[str, CatalogEntry]) -> None:
    found = finding(
        entries["oom-killed"],
        evidence=("<!channel> <https://evil|click>",),
        lines=("<!here> OOMKilled",),
    )
    dumped = json.dumps(diagnosis_blocks(pod_diagnosis(found))) + json.dumps(
        _details(pod_diagnosis(found))
    )
    assert "<!channel>" not in dumped and "<!here>" not in dumped and "<https://evil" not in dumped
    assert "&lt;!channel&gt;" in dumped


@pytest.mark.parametrize("size", [1, 10_000, 1_000_000])
def test_huge_inputs_stay_within_limits(entries: dict[str, CatalogEntry], size: int) -> None:
    # A huge root cause, 500 evidence lines, a 100 KB matched line, 60 findings, huge notes and
    # gaps: the reply still fits (≤ 50 blocks, every text within its limit, < 40 KB).
    entry = replace(
        entries["oom-killed"],
        title="T" * size,
        root_cause="cause & <effect> " * size,
        fix=entries["oom-killed"].fix * 20,
        links=entries["oom-killed"].links * 30,
    )
    evidence = tuple(f"fact {i} " + "e" * min(size, 5000) for i in range(500))
    top = finding(entry, evidence=evidence, lines=("x" * 100_000,) * 10)
    rest = [finding(entries[k], 0.5) for k in sorted(entries)][:59]
    diagnosis = pod_diagnosis(top, *rest, gaps=("g" * size,) * 50, notes=("n" * size,) * 50)
    blocks = diagnosis_blocks(diagnosis, buttons=feedback_buttons("d" * 100))
    details = _details(diagnosis)
    check_limits(blocks)
    check_limits(details)
    assert "`oom-killed`" in _context_texts(blocks)
    assert messages.CONFIRMED_BY in _all_text(blocks) and "Could not read" in _all_text(details)
    assert blocks[-1]["block_id"] == "feedback"


def test_shrinking_the_details_is_announced(entries: dict[str, CatalogEntry]) -> None:
    # Six full sections of long commands plus everything else exceed the 30 KB budget: the
    # lowest-priority parts go first (other matches, then matched lines) and the details say so.
    step = FixStep(text="run it", command="kubectl get pods -o yaml\n" * 50)
    link = Link(url="https://example.com/doc", title="a long title " * 30)
    entry = replace(entries["oom-killed"], fix=[step] * 14, links=[link] * 9)
    top = finding(entry, 0.6, evidence=("e" * 400,) * 200, lines=("x" * 1000,) * 5)
    rest = [finding(entries[k], 0.5) for k in sorted(entries)][:60]
    diagnosis = pod_diagnosis(top, *rest, gaps=("g" * 300,) * 50, notes=("n" * 300,) * 50)
    blocks = _details(diagnosis)
    check_limits(blocks)
    assert len(json.dumps(blocks, ensure_ascii=False).encode()) <= 30_000
    note = next(t for t in _context_texts(blocks) if t.startswith("✂️"))
    assert note.startswith("✂️ Shortened to fit in Slack: ")
    assert "other matches left out" in note
    assert messages.CONFIRMED_BY in _all_text(blocks) and "more steps" in _all_text(blocks)


def test_seen_info_adds_a_context_line(entries: dict[str, CatalogEntry]) -> None:
    seen = SeenInfo(3, datetime(2024, 5, 1, 10, 42, tzinfo=UTC))
    blocks = diagnosis_blocks(pod_diagnosis(finding(entries["oom-killed"])), seen=seen)
    line = next(b for b in blocks if b.get("block_id") == "seen")
    assert line["elements"][0]["text"].startswith("👀 Seen 3 times, last <!date^")
    assert "|10:42 UTC>" in line["elements"][0]["text"]
