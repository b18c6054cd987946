"""A realistic incident channel: pasted logs of several problems, chat, threads, bots, files.

Timestamps are recent (an hour ago onwards) so the bot's 7-day back-fill window includes them.
"""

from __future__ import annotations

import time
from typing import Any

from tests.standins.slack_events import file_object

CHANNEL = "C0INC00001"
NAME = "inc-checkout"
ALICE, BOB, CAROL, DAVE = "U0ALICE001", "U0BOB00001", "U0CAROL001", "U0DAVE0001"
SECRET = "s3cr3t-Value-9f8e7d6c5b4a"

OOM = (
    "kubectl -n web describe pod api-7d9f8-x2x\n"
    "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
)
TIKV = (
    '[2024/05/14 08:27:51.512 +00:00] [FATAL] [server.rs:1045] ["failed to start node: '
    'Other(\\"[components/raftstore/src/store/node.rs:350]: cluster ID mismatch, local 7262388432156321285 '
    "!= remote 7339127044327413962, you are trying to connect to another cluster, please reconnect to "
    'the correct PD\\")"]'
)
PENDING = "0/3 nodes are available: 3 Insufficient memory."
MOUNT = (
    'Warning  FailedMount  kubelet  MountVolume.SetUp failed for volume "data" : '
    "mount failed: exit status 32"
)
IMAGE = (
    "Error: ImagePullBackOff: manifest for registry.example.com/app:v9 not found: manifest unknown"
)


def ts_at(minutes_ago: float, serial: int = 0) -> str:
    base = int(time.time() - minutes_ago * 60)
    return f"{base}.{serial:06d}"


def history() -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]], dict[str, str]]:
    """(top-level messages, thread replies by parent ts, named ts values)."""
    ts = {
        name: ts_at(60 - 5 * n, n + 1)
        for n, name in enumerate(
            ("open", "alert", "tikv", "chat", "oom", "secret", "file", "edited")
        )
    }
    messages = [
        {
            "user": ALICE,
            "text": "checkout API is returning 5xx since 14:00, opening this channel",
            "ts": ts["open"],
        },
        {
            "subtype": "bot_message",
            "bot_id": "B0ALERTS01",
            "username": "alertmanager",
            "ts": ts["alert"],
            "text": f"[FIRING:1] KubePodCrashLooping tidb/tikv-0 {OOM}",
        },
        {
            "user": BOB,
            "text": f"tikv-0 keeps dying in cluster=prod-eu\n```{TIKV}```",
            "ts": ts["tikv"],
        },
        {
            "user": CAROL,
            "text": "anyone else seeing slow dashboards? probably unrelated",
            "ts": ts["chat"],
        },
        {"user": ALICE, "text": f"the api pods are dying too:\n```{OOM}```", "ts": ts["oom"]},
        {
            "user": DAVE,
            "text": f"for the record the db password={SECRET} was rotated this morning",
            "ts": ts["secret"],
        },
        {
            "user": CAROL,
            "subtype": "file_share",
            "text": "scheduler events",
            "ts": ts["file"],
            "files": [
                file_object(
                    "events.txt", user=CAROL, preview=f"Warning  FailedScheduling  {PENDING}"
                )
            ],
        },
        {
            "user": DAVE,
            "text": "looking at node ip-10-0-3-17 now",
            "ts": ts["edited"],
            "edited": {"user": DAVE, "ts": ts_at(20)},
        },
    ]
    replies = {
        ts["tikv"]: [
            {"user": CAROL, "text": "looks like PD was restored from a backup", "ts": ts_at(43, 1)},
            {
                "user": BOB,
                "text": "yes: pod tidb/pd-0 came back with a new cluster id",
                "ts": ts_at(42, 2),
            },
        ],
        ts["chat"]: [
            {"user": ALICE, "text": "not related, ignore", "ts": ts_at(38, 3)},
        ],
    }
    return messages, replies, ts
