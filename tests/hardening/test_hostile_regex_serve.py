"""Issue 24: a user catalog regex that backtracks elsewhere cannot freeze the real `serve --http`.

The team catalog carries `(x|x)*y` and `(.|\\s)*` (which `catalog check` accepted before and
which held the event loop for good on a 48-byte paste); 10 KB hostile pastes are matched
while /healthz and Slack acks keep being answered, and the pastes are answered. How fast they
answer is printed (median and slowest), not asserted: a test holds no wall-clock bound.
"""

from __future__ import annotations

import statistics
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.standins.bot_process import BotProcess
from tests.standins.slack_api import SlackStandIn, start_in_thread
from tests.standins.slack_requests import SlackRequests, post_sync
from tests.waiting import PATIENCE

TOKEN, SECRET = "xoxb-hostile-regex", "hostile-regex-signing-secret"
CHANNEL = "C0INCIDENT1"
SYMPTOM = "frobnicator quantum flux overload detected"
ENTRY = f"""\
id: frob-overload
title: Frobnicator overload
summary: A team entry whose patterns backtrack catastrophically in a backtracking engine.
symptoms: ["{SYMPTOM}"]
patterns: ['(x|x)*y', '(.|\\s)*\\bZZZ\\b']
root_cause: The frobnicator overheats.
fix: [{{text: Cool it down.}}]
links: [{{url: "https://runbooks.example.com/frob", title: Runbook}}]
sources: [team-runbook]
"""
HOSTILE = [f"{SYMPTOM} {body}" for body in ("x" * 48, "x" * 10_000, "a " * 5_000)]
"""One line each: every window of it the entry's words reach is searched by both patterns."""
ROUNDS = 2


def timed(work: object) -> float:
    assert callable(work)
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def test_healthz_and_acks_are_answered_while_hostile_pastes_are_matched(tmp_path: Path) -> None:
    catalog = tmp_path / "team-catalog"
    catalog.mkdir()
    (catalog / "frob-overload.yaml").write_text(ENTRY)
    slack = SlackStandIn(bot_token=TOKEN)
    with start_in_thread(slack) as server:
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.api_url,
            "KUBEMEDIC_CATALOG_DIRS": str(catalog),
            "KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"),
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "KUBECONFIG": str(tmp_path / "no-kubeconfig"),
        }
        with BotProcess(env, tmp_path / "serve.log").wait_ready() as bot:
            requests = SlackRequests(SECRET, standin=slack)
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

            def healthz() -> None:
                with opener.open(f"{bot.url}/healthz", timeout=5) as response:
                    assert response.status == 200

            def ack(text: str, user: str = "U0ALICE001") -> None:
                request = requests.message(CHANNEL, text, user=user)
                status, _ = post_sync(f"{bot.url}/slack/events", *request, timeout=5)
                assert status == 200

            def answered() -> (
                int
            ):  # one incident: the first answer is posted, the next ones update it
                return sum(
                    "frob-overload" in str(call.params)
                    for call in slack.calls
                    if call.method in ("chat.postMessage", "chat.update") and call.ok
                )

            timed(healthz)  # warm the connection path
            with ThreadPoolExecutor(1) as pool:  # hostile pastes keep arriving while the probes run
                sent = pool.submit(
                    lambda: [
                        timed(lambda n=n, paste=paste: ack(paste, user=f"U0HOST{n:04d}"))
                        for n, paste in enumerate(HOSTILE * ROUNDS)
                    ]
                )
                probes: list[float] = []
                started = time.monotonic()
                while (
                    not sent.done() or answered() < len(HOSTILE) or time.monotonic() - started < 2
                ):
                    assert time.monotonic() - started < PATIENCE, (
                        "the hostile pastes were never answered"
                    )
                    probes.append(timed(healthz))
                    probes.append(
                        timed(lambda: ack("anyone up for lunch?", user=f"U0PROBE{len(probes):04d}"))
                    )
                acks = sent.result()
            timings = sorted(acks + probes)
            shown = (
                f"ms: median {statistics.median(timings) * 1000:.0f}, max {timings[-1] * 1000:.0f}, "
                f"{len(timings)} answers"
            )
            print(f"\n/healthz and acks while hostile pastes are matched: {shown}")
            assert len(acks) == len(HOSTILE) * ROUNDS and len(probes) >= 4, shown
            assert "Traceback" not in bot.log()
