"""The summary itself: incidents with catalog ids, resources, ordered timeline, limits, speed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage.records import AuditRecord, ChannelMessage, DiagnosisRecord
from bot.summary.builder import SummaryInputs, build_summary
from bot.summary.recording import from_event, from_message
from responses.summary_blocks import summary_blocks, summary_fallback
from responses.summary_text import render_summary_text
from tests.slack.harness import block_text, shared_matcher
from tests.standins.slack_events import message_changed_event, message_deleted_event
from tests.standins.slack_methods import check_blocks
from tests.summary.history import (
    ALICE,
    CHANNEL,
    IMAGE,
    MOUNT,
    NAME,
    OOM,
    PENDING,
    SECRET,
    TIKV,
    history,
)

NOW = datetime.now(UTC)


def _recorded() -> list[ChannelMessage]:
    messages, replies, _ts = history()
    found = [from_message(CHANNEL, m) for m in messages]
    found += [
        from_message(CHANNEL, {**r, "thread_ts": parent})
        for parent, rs in replies.items()
        for r in rs
    ]
    return sorted((m for m in found if m is not None), key=lambda m: float(m.ts))


def test_incidents_resources_and_timeline_from_a_realistic_channel() -> None:
    summary = build_summary(SummaryInputs(NAME, _recorded()), matcher=shared_matcher(), now=NOW)
    ids = [item.catalog_id for item in summary.incidents]
    # tikv first (pasted first), then the OOM, then the pending pod from the shared file's preview;
    # the alertmanager bot's OOM text is not counted as a person's paste
    assert ids == ["tikv-cluster-id-mismatch", "oom-killed", "pending-insufficient-resources"]
    assert [i.messages for i in summary.incidents] == [1, 1, 1]
    assert all(i.confidence in ("high", "medium") and i.links for i in summary.incidents)
    assert summary.status == "ongoing"
    assert "web" in summary.resources.namespaces and "tidb" in summary.resources.namespaces
    assert "tidb/pd-0" in summary.resources.pods and "api-7d9f8-x2x" in summary.resources.pods
    assert "ip-10-0-3-17" in summary.resources.nodes and "prod-eu" in summary.resources.clusters
    whens = [item.when for item in summary.timeline]
    assert whens == sorted(whens) and summary.timeline[0].kind == "error"


def test_secrets_are_redacted_everywhere() -> None:
    summary = build_summary(SummaryInputs(NAME, _recorded()), matcher=shared_matcher(), now=NOW)
    assert all(SECRET not in m.text for m in _recorded())
    assert SECRET not in block_text(summary_blocks(summary)) + render_summary_text(summary)


def test_edits_and_deletions_change_what_counts() -> None:
    edited = from_event(message_changed_event(CHANNEL, "1700000000.000100", IMAGE, user=ALICE))
    deleted = from_event(message_deleted_event(CHANNEL, "1700000001.000100", previous_text=MOUNT))
    assert edited is not None and edited.edited and edited.text == IMAGE
    assert deleted is not None and deleted.deleted and deleted.text == ""
    gone = ChannelMessage(
        channel=CHANNEL,
        ts="1700000001.000100",
        text="",
        deleted=True,
        posted_at=NOW - timedelta(minutes=1),
    )
    summary = build_summary(SummaryInputs(NAME, [gone]), matcher=shared_matcher(), now=NOW)
    assert summary.incidents == ()


def test_diagnoses_remediations_and_mitigation() -> None:
    start = NOW - timedelta(minutes=30)
    messages = [ChannelMessage(channel=CHANNEL, ts="1", user=ALICE, text=OOM, posted_at=start)]
    diagnosis = DiagnosisRecord(
        id="d1",
        channel=CHANNEL,
        user=ALICE,
        subject="pod web/api-7d9f8-x2x",
        cluster="lab",
        catalog_ids=["oom-killed"],
        created_at=start + timedelta(minutes=2),
        body={"matches": [{"id": "oom-killed", "title": "OOMKilled", "confidence": "high"}]},
    )
    audit = AuditRecord(
        user="U0ADMIN0001",
        kind="raise-memory-limit",
        target={"name": "api"},
        namespace="web",
        channel=CHANNEL,
        outcome="done",
        result="memory limit 256Mi -> 512Mi",
        created_at=start + timedelta(minutes=5),
        updated_at=start + timedelta(minutes=6),
    )
    summary = build_summary(
        SummaryInputs(NAME, messages, [diagnosis], [audit]), matcher=shared_matcher(), now=NOW
    )
    assert [t.kind for t in summary.timeline] == ["error", "diagnosis", "remediation"]
    assert summary.status == "mitigated" and "lab" in summary.resources.clusters
    text = render_summary_text(summary)
    assert "raise-memory-limit web/api: done - memory limit 256Mi -> 512Mi (U0ADMIN0001)" in text
    assert "Mitigated after 6m" in text


def _flood(count: int) -> list[ChannelMessage]:
    texts = [OOM, TIKV, PENDING, MOUNT, IMAGE, "ok looking", "restarting api now", "+1 same here"]
    start = NOW - timedelta(hours=10)
    return [
        ChannelMessage(
            channel=CHANNEL,
            ts=f"{1700000000 + n}.000100",
            user=f"U{n % 40:09d}",
            text=f"{texts[n % len(texts)]}\npod web/api-{n % 300} on node node-{n % 50}"
            + (f" attempt {n}" if n % 3 else ""),
            posted_at=start + timedelta(seconds=3 * n),
        )
        for n in range(count)
    ]


def test_ten_thousand_messages_stay_within_block_kit_limits() -> None:
    messages = _flood(10_000)
    summary = build_summary(SummaryInputs(NAME, messages), matcher=shared_matcher(), now=NOW)
    blocks = summary_blocks(summary)
    check_blocks(blocks)  # raises invalid_blocks as Slack would
    assert len(blocks) < 50 and len(summary_fallback(summary)) <= 1000
    assert summary.messages == 10_000 and len(summary.incidents) >= 4
