"""The bot's ack and /healthz latency while the costliest pastes we can build are read (issue 76).

    python -m bench.costly_inputs [--size 300000] [--rounds 1]

First, in this process, every candidate below (runs of backslashes, escaped quotes, spaces,
nested JSON, long words, a-runs, chains of options and keys that once made a regex rescan a
line...) of about `--size` characters is redacted and matched as the bot does, each within the
default CPU budget; the 10 that cost the most CPU are kept. Then a real `kubemedic serve --http`
(SQLite, the Slack stand-in) gets those 10 as signed Slack messages, each in a channel of its own,
while another user's ordinary paste and a /healthz probe go out every 100 ms; it prints the ack
and /healthz latency before and during, and what each costly paste was answered.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Self

from bench.measure import percentile
from bot.command_settings import CommandSettings
from bot.diagnosis.paste import diagnose_paste
from bot.knowledge import load_knowledge
from bot.runtime.budget import TEXT_CPU_SECONDS, TooCostly, within_budget
from intents.matcher import Matcher
from responses.redaction import redact_paste
from tests.standins.bot_process import BotProcess
from tests.standins.slack_api import SlackStandIn, start_in_thread
from tests.standins.slack_requests import SlackRequests, new_ts, post_sync

TOKEN, SECRET = "xoxb-bench-costly", "bench-costly-signing-secret-0123456789"
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
UNITS: dict[str, str] = {
    "backslashes": "\\",
    "escaped quotes": '\\"',
    "escaped newlines": "\\n",
    "spaces": " ",
    "tabs and spaces": "\t ",
    "newlines": "\n",
    "nested JSON": '{"a":',
    "a-run": "a",
    "words": "word ",
    "dotted name": "a.",
    "dashed name": "ab-",
    "digits": "0",
    "kubectl options": "kubectl -n ns ",
    "amtool": "amtool ",
    "JWT heads": "eyJ-",
    "braced values": "- = { ",
    "prose password": "PASSWORD IS \u201c ",
    "netrc": "default login ",
    "mentions": "<@U0|",
    "key lines": "key: value  \n",
    "yaml quotes": "a: 'b'' \n",
    "Go frames": "a/b.c(",
    "klog lines": "E0514 08:27:51.123456 1 kubelet.go:123] error syncing pod web: timeout\n",
    "events rows": "Warning  BackOff  3m (x20 over 1h)  kubelet  Back-off restarting failed container\n",
}
"""Runs an attacker pastes; each is repeated to the size asked, an OOMKilled line last."""
MAX_SLACK_BODY = 1024 * 1024


def candidates(size: int) -> dict[str, str]:
    """Each run repeated to about `size` characters, shortened until its signed Slack event fits
    the bot's 1 MiB body limit (a larger one is refused with 413, never read)."""
    signer = SlackRequests(SECRET)
    built: dict[str, str] = {}
    for name, unit in UNITS.items():
        count = size // len(unit)
        while len(signer.message("C0COSTLY00", unit * count + "\n" + OOM).body) > MAX_SLACK_BODY:
            count = count * 9 // 10
        built[name] = unit * count + "\n" + OOM
    return built


def read_cost(text: str, matcher: Matcher) -> tuple[float, str]:
    """CPU seconds to redact and match `text` as the bot does, and how it ended."""
    started = time.process_time()
    try:
        pasted = within_budget(TEXT_CPU_SECONDS, redact_paste, text)
        diagnosis = within_budget(TEXT_CPU_SECONDS, diagnose_paste, matcher, pasted, top=3)
        ended = diagnosis.answer.match.id if diagnosis.answer else "no answer"
    except TooCostly:
        ended = "too costly to read"
    return time.process_time() - started, ended


def costliest(size: int, keep: int = 10) -> list[tuple[str, str, float, str]]:
    matcher = load_knowledge(CommandSettings.from_environment()).matcher
    costs = []
    for name, text in candidates(size).items():
        spent, ended = read_cost(text, matcher)
        costs.append((name, text, spent, ended))
        print(f"  {name:18} {len(text):>8,} chars  {spent:6.2f} s CPU  {ended}", flush=True)
    return sorted(costs, key=lambda cost: -cost[2])[:keep]


class Probe:
    """Every `every` seconds until stopped: one /healthz and one signed ordinary paste, timed."""

    def __init__(self, bot: BotProcess, requests: SlackRequests, every: float = 0.1) -> None:
        self.bot, self.requests, self.every = bot, requests, every
        self.healthz: list[float] = []
        self.acks: list[float] = []
        self._stop = threading.Event()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _timed(self, work: Callable[[], object]) -> float:
        started = time.perf_counter()
        work()
        return time.perf_counter() - started

    def _health(self) -> None:
        with self._opener.open(f"{self.bot.url}/healthz", timeout=120) as response:
            response.read()

    def _paste(self) -> None:
        request = self.requests.message("C0PROBE001", OOM, user="U0PROBE001", ts=new_ts())
        post_sync(f"{self.bot.url}/slack/events", *request, timeout=120)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.healthz.append(self._timed(self._health))
            self.acks.append(self._timed(self._paste))
            self._stop.wait(self.every)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def shown(name: str, values: list[float]) -> str:
    ms = sorted(value * 1000 for value in values)
    return (
        f"{name}: n={len(ms)} p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, "
        f"max {ms[-1]:.0f} ms"
    )


def answered(slack: SlackStandIn, ts: str) -> str:
    for call in slack.calls:
        if call.method == "chat.postMessage" and call.params.get("thread_ts") == ts:
            text = f"{call.text or ''} {call.blocks}"
            return "too costly to read" if "too costly" in text else "answered"
    return "quiet (not sure enough to answer)"


def open_pastes(database: Path) -> int:
    """The costly pastes stored and not finished yet."""
    with sqlite3.connect(database) as db:
        query = (
            "SELECT count(*) FROM work_items WHERE payload LIKE '%C0COSTLY%' AND done_at IS NULL"
        )
        return int(db.execute(query).fetchone()[0])


def serve(costly: list[tuple[str, str, float, str]], tmp: Path) -> None:
    slack = SlackStandIn(bot_token=TOKEN)
    with start_in_thread(slack) as server:
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.api_url,
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
            "KUBECONFIG": str(tmp / "none"),
            "KUBEMEDIC_USER_REQUESTS_PER_MINUTE": "100000",
            "KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE": "100000",
        }
        with BotProcess(env, tmp / "serve.log") as bot:
            bot.wait_ready()
            requests = SlackRequests(SECRET, standin=slack)
            with Probe(bot, requests) as before:
                time.sleep(5)
            print(shown("before: acks", before.acks))
            print(shown("before: /healthz", before.healthz))
            sent: list[tuple[str, str, float]] = []
            with Probe(bot, requests) as during:
                started = time.perf_counter()
                for number, (name, text, _cpu, _ended) in enumerate(costly):
                    ts = new_ts()
                    request = requests.message(
                        f"C0COSTLY{number:02d}", text, user=f"U0EVIL{number:03d}", ts=ts
                    )
                    status, _ = post_sync(f"{bot.url}/slack/events", *request, timeout=300)
                    assert status == 200, f"{name}: HTTP {status}"
                    sent.append((name, ts, time.perf_counter()))
                time.sleep(0.5)  # the last one stored
                while open_pastes(tmp / "bot.db"):
                    time.sleep(0.1)
                took = time.perf_counter() - started
            print(shown("during: acks", during.acks))
            print(shown("during: /healthz", during.healthz))
            print(f"the 10 costly pastes sent and all finished in {took:.1f} s:")
            for name, ts, _at in sent:
                print(f"  {name:18} {answered(slack, ts)}")
            if "Traceback" in bot.log():
                print("the bot logged a traceback", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=300_000, help="characters per paste")
    args = parser.parse_args()
    print(f"reading each candidate of ~{args.size:,} characters in this process:")
    costly = costliest(args.size)
    print("the 10 costliest: " + ", ".join(f"{name} ({cpu:.2f} s)" for name, _, cpu, _ in costly))
    with tempfile.TemporaryDirectory() as tmp:
        serve(costly, Path(tmp))


if __name__ == "__main__":
    main()
