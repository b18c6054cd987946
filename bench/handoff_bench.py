"""An answer while hand-offs wait: does a silent agent delay anyone else's answer?

    python -m bench.handoff_bench [--waiting 4] [--rounds 5]

The real bolt app (tests/slack/harness: signed requests, the Slack Web API stand-in, SQLite)
with KUBEMEDIC_HANDOFF_URL at a local agent stand-in that answers nothing until released. One
person's `--waiting` slash commands without any candidate are handed off and wait on it; then
another person pastes an OOMKilled `kubectl describe pod` in a channel, and the time from that
event to its threaded answer (chat.postMessage) is measured. The same paste is timed with no
hand-off waiting, for the ratio. Printed: p50 and max of each, and the ratio; target: the answer
while four hand-offs wait < 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from tests.slack.harness import running_bot
from tests.slack.test_handoff import CHANNEL, NOTHING, OOM_DESCRIBE, handoff_settings
from tests.standins.agent_api import AgentStandIn, running_agent


async def _answer_seconds(waiting: int, round_: int, tmp: Path) -> float:
    """Seconds from the other person's paste to its answer, with `waiting` hand-offs waiting."""
    agent = AgentStandIn(hold=asyncio.Event())
    async with (
        running_agent(agent),
        running_bot(
            tmp / f"r{round_}-{waiting}",
            **handoff_settings(
                agent,
                KUBEMEDIC_HANDOFF_PER_USER=str(max(waiting, 1)),
                KUBEMEDIC_HANDOFF_TIMEOUT_SECONDS="600",
            ),
        ) as bot,
    ):
        for number in range(waiting):
            await bot.send(bot.requests.slash_command(f"{NOTHING} ({number})", channel_id=CHANNEL))
        await bot.slack.wait_for("response_url", count=2 * waiting, timeout=30)
        while len(agent.cases) < waiting:
            await asyncio.sleep(0.01)
        started = time.perf_counter()
        await bot.send(
            bot.requests.message(
                CHANNEL, OOM_DESCRIBE, user="U0BOB00002", ts=f"1700000000.{round_:06d}"
            )
        )
        await bot.slack.wait_for("chat.postMessage", timeout=120)
        seconds = time.perf_counter() - started
        assert agent.hold is not None
        agent.hold.set()
    return seconds


async def _run(waiting: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await _answer_seconds(0, 0, Path(tmp))  # warm: the matcher and the catalog loaded once
        alone = [await _answer_seconds(0, r, Path(tmp)) for r in range(1, rounds + 1)]
        busy = [await _answer_seconds(waiting, r, Path(tmp)) for r in range(1, rounds + 1)]
    print(
        f"answer alone:                     p50 {statistics.median(alone) * 1000:6.0f} ms, "
        f"max {max(alone) * 1000:6.0f} ms"
    )
    print(
        f"answer while {waiting} hand-offs wait:     p50 {statistics.median(busy) * 1000:6.0f} ms, "
        f"max {max(busy) * 1000:6.0f} ms (target < 1000 ms: "
        f"{'met' if max(busy) < 1 else 'NOT met'})"
    )
    print(
        f"ratio (p50 with / without):       {statistics.median(busy) / statistics.median(alone):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--waiting", type=int, default=4, help="hand-offs waiting on the agent (default 4)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="timed answers each way (default 5)")
    args = parser.parse_args()
    asyncio.run(_run(args.waiting, args.rounds))


if __name__ == "__main__":
    main()
