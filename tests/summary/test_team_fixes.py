"""The summary lists what the team did (who, when, what) and the people involved, from what they wrote."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.summary.team_actions import team_action
from tests.cli.runner import kubemedic
from tests.slack.harness import block_text, running_bot
from tests.standins.slack_events import member_joined_channel_event
from tests.summary.history import ALICE, BOB, CAROL, ts_at

EXPORT = Path(__file__).resolve().parents[2] / "examples" / "slack-export"


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("agreed. bumping the limit to 1Gi", "bumping the limit to 1Gi"),
        ("scaled the node group to 5", "scaled the node group to 5"),
        ("ok, rolled back the release to 2.13.", "ok, rolled back the release to 2.13"),
        (
            "I just raised the memory request to 512Mi on checkout",
            "I just raised the memory request to 512Mi on checkout",
        ),
        ("@bob drained node ip-10-0-1-2", "@bob drained node ip-10-0-1-2"),
        (
            "ran `kubectl -n shop rollout restart deploy/checkout` again",
            "kubectl -n shop rollout restart deploy/checkout",
        ),
        (
            "```$ kubectl scale deploy/api --replicas=0 -n web```",
            "kubectl scale deploy/api --replicas=0 -n web",
        ),
        ("helm rollback checkout 41 -n checkout", "helm rollback checkout 41 -n checkout"),
        # not fixes: questions, proposals, negations, someone else's change, chat, read-only commands
        ("should we bump the limit to 1Gi?", None),
        ("let's scale the deployment to 3", None),
        ("I didn't restart the pods", None),
        ("the 2.14 release added the new pricing cache, that's probably the memory", None),
        ("yes, looking. pods are restarting a lot", None),
        ("$ kubectl -n checkout describe pod checkout-api-7d9f8c6b5-x2x4q", None),
        ("for the record the db password was rotated this morning", None),
        (
            "```Normal  ScalingReplicaSet  deployment-controller  Scaled up replica set api-6c5 to 3```",
            None,
        ),
    ],
)
def test_which_messages_are_fixes(text: str, fix: str | None) -> None:
    assert team_action(text) == fix


def test_the_export_summary_has_what_the_team_did_and_the_people() -> None:
    result = kubemedic("summarize", str(EXPORT), "--channel", "inc-142-checkout-502")
    assert result.code == 0, result.stderr
    text = result.stdout
    team = text[text.index("What the team did:\n") : text.index("People:\n")]
    assert team.splitlines()[1:3] == [
        "  - 09:10 deepa (on call): bumping the limit to 1Gi",
        "  - 09:25 bob: scaling the node group from 3 to 5 workers",
    ]
    people = text[text.index("People:\n") :].split("\n\n")[0].splitlines()[1:]
    assert people == [
        "  - alice: 3 messages since 09:03",
        "  - deepa (on call): 4 messages since 09:05, 1 fix",
        "  - bob: 2 messages since 09:09, 1 fix",
        "  - Carol Silva: 2 messages since 09:18",
    ]
    assert (
        "09:25 fix: scaling the node group from 3 to 5 workers (bob)" in text
    )  # in the timeline too
    markdown = kubemedic(
        "summarize", str(EXPORT), "--channel", "inc-142-checkout-502", "--markdown"
    ).stdout
    assert "## What the team did\n- 09:10 deepa (on call): bumping the limit to 1Gi" in markdown
    assert "## People\n- alice: 3 messages since 09:03" in markdown


def test_the_pinned_summary_names_the_fixes_and_people_without_pinging_them(tmp_path: Path) -> None:
    channel = "C0INC00042"
    history = [
        {"user": ALICE, "text": "checkout is down, opening this channel", "ts": ts_at(30)},
        {"user": BOB, "text": "bumped the memory limit of checkout to 1Gi", "ts": ts_at(20, 1)},
        {"user": CAROL, "text": "should we also scale the node group?", "ts": ts_at(15, 2)},
        {
            "user": ALICE,
            "text": "`kubectl -n shop rollout restart deploy/checkout` done",
            "ts": ts_at(10, 3),
        },
    ]

    async def scenario() -> str:
        async with running_bot(tmp_path) as bot:
            for user, name in ((ALICE, "alice"), (BOB, "bob"), (CAROL, "carol")):
                bot.slack.add_user(user, name)
            bot.slack.add_channel(
                channel, "inc-42-checkout", members=[ALICE, BOB, CAROL], history=history
            )
            await bot.send(bot.requests.event(member_joined_channel_event(channel)))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            return block_text(posted.blocks)

    text = asyncio.run(scenario())
    assert "What the team did" in text and "People" in text
    assert "bob: bumped the memory limit of checkout to 1Gi" in text
    assert "alice: kubectl -n shop rollout restart deploy/checkout" in text
    assert "should we also scale" not in text.split("What the team did")[1].split("People")[0]
    assert "carol: 1 message since" in text and "alice: 2 messages since" in text
    assert "bob: 1 message since" in text and ", 1 fix" in text
    assert "<@" not in text  # people are named, never mentioned
