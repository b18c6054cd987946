"""Issue 76's HIGH through the real `serve --http`, signed Slack requests and the Slack stand-in.

A run of backslashes was cubic to unescape: one 5,000-backslash message held Python's GIL, so no
ack, no /healthz and no other user's answer left the bot, and after a restart on its database it
took the same paste up again. Now every regex reads a text in linear time, and a text whose
reading still costs more than its CPU budget is told "too costly to read" in its thread, once:
its durable work is finished, so a restart on the same database never reads it again.

How fast probes were answered is printed, not asserted (a test holds no wall-clock bound: the
figures are bench/costly_inputs.py's, in docs/benchmarks.md).
"""

from __future__ import annotations

import sqlite3
import statistics
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.standins.bot_process import BotProcess
from tests.standins.slack_api import SlackStandIn, start_in_thread
from tests.standins.slack_record import RecordedCall
from tests.standins.slack_requests import SlackRequests, new_ts, post_sync
from tests.waiting import PATIENCE

TOKEN, SECRET = "xoxb-costly-paste", "costly-paste-signing-secret"
CHANNEL = "C0COSTLY01"
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
BACKSLASHES = "\\" * 20_000 + "\n" + OOM
"""Four times the issue's 5,000 backslashes, and the error the asker wants read."""
LOG = "".join(
    f"2024-05-01T10:{n // 60 % 60:02d}:{n % 60:02d}Z E0514 kubelet.go:{n}] pod web-{n} "
    f'error syncing: "timeout" (retry {n}) token=t{n:06d}\n'
    for n in range(4_000)
)
"""A 400 KB log: linear to read, and well past a budget of a few milliseconds."""
COSTLY = "too costly to read"


def environment(tmp_path: Path, server_url: str, **more: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": server_url,
        "KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"),
        "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "KUBECONFIG": str(tmp_path / "no-kubeconfig"),
        **more,
    }


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def in_thread(slack: SlackStandIn, ts: str) -> list[RecordedCall]:
    return [
        call
        for call in slack.calls
        if call.method == "chat.postMessage" and call.ok and call.params.get("thread_ts") == ts
    ]


def said(calls: list[RecordedCall]) -> str:
    return "\n".join(f"{call.text or ''} {call.blocks}" for call in calls)


def send(
    bot: BotProcess,
    requests: SlackRequests,
    text: str,
    *,
    user: str,
    ts: str,
    channel: str = CHANNEL,
) -> None:
    status, _ = post_sync(
        f"{bot.url}/slack/events", *requests.message(channel, text, user=user, ts=ts), timeout=30
    )
    assert status == 200


def test_a_run_of_backslashes_is_answered_while_acks_and_healthz_keep_flowing(
    tmp_path: Path,
) -> None:
    slack = SlackStandIn(bot_token=TOKEN)
    with (
        start_in_thread(slack) as server,
        BotProcess(environment(tmp_path, server.api_url), tmp_path / "serve.log") as bot,
    ):
        bot.wait_ready()
        requests = SlackRequests(SECRET, standin=slack)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

        def healthz() -> None:
            with opener.open(f"{bot.url}/healthz", timeout=30) as response:
                assert response.status == 200

        pastes = [new_ts() for _ in range(3)]
        probes: list[float] = []
        deadline = time.monotonic() + PATIENCE
        with ThreadPoolExecutor(1) as pool:
            sent = pool.submit(
                lambda: [
                    send(
                        bot,
                        requests,
                        BACKSLASHES,
                        user=f"U0BACK{n:04d}",
                        ts=ts,
                        channel=f"C0BACK{n}",
                    )
                    for n, ts in enumerate(pastes)  # a channel each: not a repeat of the first
                ]
            )
            while not sent.done() or not all(in_thread(slack, ts) for ts in pastes):
                probes.append(timed(healthz))
                probe = new_ts()
                probes.append(
                    timed(lambda p=probe: send(bot, requests, "lunch?", user="U0PROBE1", ts=p))
                )
                assert time.monotonic() < deadline, "the pastes were never answered"
                time.sleep(0.05)
            sent.result()
        for ts in pastes:
            answer = said(in_thread(slack, ts))
            assert "oom-killed" in answer and COSTLY not in answer, answer
        print(
            f"\n/healthz and acks beside 3 pastes of 20,000 backslashes: median "
            f"{statistics.median(probes) * 1000:.0f} ms, slowest {max(probes) * 1000:.0f} ms"
        )
        assert "Traceback" not in bot.log()


def eventually(condition: Callable[[], object], *, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not after {PATIENCE} s"
        time.sleep(0.05)


def done_pastes(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(
            db.execute(
                "SELECT count(*) FROM work_items WHERE kind LIKE '%paste' AND done_at IS NOT NULL"
            ).fetchone()[0]
        )


def test_a_paste_past_its_budget_is_told_once_and_a_restart_never_reads_it_again(
    tmp_path: Path,
) -> None:
    slack = SlackStandIn(bot_token=TOKEN)
    with start_in_thread(slack) as server:
        env = environment(
            tmp_path,
            server.api_url,
            KUBEMEDIC_TEXT_CPU_SECONDS="0.005",
            KUBEMEDIC_WORK_LEASE_SECONDS="2",
        )
        requests = SlackRequests(SECRET, standin=slack)
        costly = new_ts()
        with BotProcess(env, tmp_path / "first.log") as bot:
            bot.wait_ready()
            send(bot, requests, LOG, user="U0COSTLY1", ts=costly)
            eventually(lambda: in_thread(slack, costly), what="the costly paste's answer")
            [told] = in_thread(slack, costly)
            assert COSTLY in (told.text or "") and len((told.text or "").splitlines()) == 1
            eventually(lambda: done_pastes(tmp_path / "bot.db") == 1, what="its work finished")
            bot.kill()  # as an OOM kill or a liveness probe would
        with BotProcess(env, tmp_path / "second.log") as again:
            again.wait_ready()
            probe = new_ts()
            send(again, requests, OOM, user="U0PROBE2", ts=probe)
            eventually(lambda: in_thread(slack, probe), what="a paste after the restart")
            time.sleep(3 * 2)  # three leases: a take-over would have started by now
            assert len(in_thread(slack, costly)) == 1, said(in_thread(slack, costly))
            assert "taking over" not in again.log(), again.log()
            assert "Traceback" not in again.log() + bot.log()
