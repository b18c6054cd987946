"""The small messages: outcome and usage."""

from __future__ import annotations

from datetime import UTC, datetime

from intents.schema import CatalogEntry, FixStep
from responses.block_kit import diagnosis_blocks
from responses.block_notices import Outcome, outcome_blocks, usage_blocks
from responses.buttons import ConfirmSpec, remediation_button
from responses.mrkdwn import code_block
from responses.redaction import redact
from tests.responses.conftest import check_limits, finding, pod_diagnosis, texts

AT = datetime(2024, 5, 1, 10, 42, tzinfo=UTC)


def _text(blocks: list[dict]) -> str:
    return "\n".join(text for _, text in texts(blocks))


def _posted(entries: dict[str, CatalogEntry]) -> list[dict]:
    confirm = ConfirmSpec("Delete pod?", "Delete pod `tidb/tikv-0` in cluster `prod`.", "Delete")
    fix = remediation_button("delete-pod", label="Delete pod", value="pa_1", confirm=confirm)
    return diagnosis_blocks(pod_diagnosis(finding(entries["pod-evicted"])), buttons=[fix])


def test_outcome_replaces_the_clicked_row(entries: dict[str, CatalogEntry]) -> None:
    posted = _posted(entries)
    outcome = Outcome("done", "pod tidb/tikv-0 deleted", user_id="U123", at=AT)
    updated = outcome_blocks(posted, outcome)
    check_limits(updated)
    assert len(updated) == len(posted)
    assert not [b for b in updated if b["type"] == "actions"]
    line = next(b for b in updated if b.get("block_id") == "remediate-outcome")
    text = line["elements"][0]["text"]
    assert text.startswith("✅ Done by <@U123> at <!date^1714560120^{time}|10:42 UTC>")
    assert text.endswith(": pod tidb/tikv-0 deleted")


def test_outcome_texts_for_failure_and_dry_run(entries: dict[str, CatalogEntry]) -> None:
    failed = outcome_blocks(_posted(entries), Outcome("failed", "forbidden", user_id="U0987"))
    dry = outcome_blocks(_posted(entries), Outcome("dry-run", "pod would be deleted"))
    assert "❌ Failed: forbidden (clicked by <@U0987>)" in _text(failed)
    assert "🧪 Dry run only: pod would be deleted (clicked by someone)" in _text(dry)


def test_outcome_detail_is_escaped_but_keeps_user_mentions(
    entries: dict[str, CatalogEntry],
) -> None:
    detail = "<@U0987>: pod tidb/tikv-0 deleted <!channel> password=hunter2"
    updated = outcome_blocks(_posted(entries), Outcome("done", redact(detail), user_id="U0987"))
    body = _text(updated)
    assert "<@U0987>: pod tidb/tikv-0 deleted &lt;!channel&gt; password=[REDACTED]" in body
    refused = outcome_blocks(_posted(entries), Outcome("refused", "not an admin", "U0987"))
    assert "🚫 Refused: not an admin (clicked by <@U0987>)" in _text(refused)


def test_outcome_without_the_row_is_appended() -> None:
    updated = outcome_blocks([{"type": "divider"}] * 50, Outcome("done", "x", user_id="<!here>"))
    assert len(updated) == 50 and "<!here>" not in _text(updated)


def test_usage_lists_every_command_form() -> None:
    blocks = usage_blocks()
    check_limits(blocks)
    body = _text(blocks)
    for form in (
        "/diagnose pod NS/NAME",
        "/diagnose pod NAME -n NS",
        "/diagnose pod CONTEXT:NS/NAME",
        "--context CTX",
        "/diagnose namespace NS [symptom]",
        "/diagnose service NS/NAME [symptom]",
        "/diagnose node NAME",
        "/diagnose summary",
        "/diagnose &lt;pasted error&gt;",
        "/diagnose help",
    ):
        assert f"`{form}`" in body


def test_long_code_is_cut_with_a_note() -> None:
    block = code_block("line\n" * 1000, 1500)
    assert len(block) <= 1500 + 80 and block.startswith("```line")
    assert "more lines" in block


def test_code_cannot_break_out_of_its_block() -> None:
    step = FixStep(text="t", command="echo ```done``` <!channel>")
    assert "```" not in code_block(step.command or "", 300)[3:-3]
