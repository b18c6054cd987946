"""`match_error` through the official MCP client over the held-out real pastes.

    python -m bench.mcp_bench                 # the test half and every fresh batch, stdio and HTTP
    python -m bench.mcp_bench --limit 200     # a quick look: the first 200 pastes (file order)

Every held-out paste of tests/corpus/real (the test half and the fresh batches,
never tuned on) is sent to `kubemedic mcp` (the installed command, as an agent
starts it) through the SDK's `Client`: once over stdio, once over stateless
Streamable HTTP on loopback with a bearer token. It reports, per paste kind,
what an agent gets: an answer (right or wrong against the paste's labels), an
abstain (by reason), "healthy", or a refusal (a paste over 40 KB); and the
latency of each call, client-side wall time, p50/p95 per transport (after an
untimed warm-up pass over the first 50 pastes), against the same tool called
in-process (no protocol) as the baseline, and the cost of a call whose tool
costs next to nothing (`catalog_entry`): the protocol's own share.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import select
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import percentile
from tests.real_corpus import HELD_OUT, KINDS, RealCase, load

SCRIPT = Path(sys.executable).parent / "kubemedic"
TOKEN = "kmsk_4lh4q7UEVt4V8pBa0LtqTJDW2GzkfTdPACgVXSzAwgImaGux"


@dataclass(frozen=True)
class Call:
    case: RealCase
    outcome: str
    """answer, abstain, healthy or refused."""
    answer: str | None
    reason: str | None
    seconds: float


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUBEMEDIC_", "SLACK_"))}
    return {**env, "KUBEMEDIC_MCP_TOKEN": TOKEN}


def _read(result: Any) -> tuple[str, str | None, str | None]:
    if result.is_error:
        return "refused", None, None
    body = result.structured_content or {}
    answer, abstain = body.get("answer"), body.get("abstain")
    return body["outcome"], answer["id"] if answer else None, abstain["reason"] if abstain else None


WARM_UP = 50
"""Pastes each transport matches once, untimed, before the timed pass."""
FIXED_CALLS = 200
"""`catalog_entry` calls per transport: what a call costs when the tool itself costs next to nothing."""


@dataclass(frozen=True)
class Run:
    calls: list[Call]
    fixed: list[float]
    """Seconds per `catalog_entry("oom-killed")` call."""


async def _drive(client: Any, cases: Sequence[RealCase]) -> Run:
    for case in cases[:WARM_UP]:  # the server's first calls compile its lazy regexes: not timed
        await client.call_tool("match_error", {"text": case.text()})
    calls = []
    for case in cases:
        started = time.perf_counter()
        result = await client.call_tool("match_error", {"text": case.text()})
        seconds = time.perf_counter() - started
        calls.append(Call(case, *_read(result), seconds))
    fixed = []
    for _ in range(FIXED_CALLS):
        started = time.perf_counter()
        await client.call_tool("catalog_entry", {"id": "oom-killed"})
        fixed.append(time.perf_counter() - started)
    return Run(calls, fixed)


async def over_stdio(cases: Sequence[RealCase]) -> Run:
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(command=str(SCRIPT), args=["mcp"], env=_environment())
    async with Client(params, read_timeout_seconds=120) as client:
        return await _drive(client, cases)


def start_http() -> tuple[subprocess.Popen[bytes], str]:
    process = subprocess.Popen(
        [str(SCRIPT), "mcp", "--http", "--host", "127.0.0.1", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_environment(),
    )
    assert process.stderr is not None
    said, deadline = b"", time.monotonic() + 60
    while b"serving " not in said and process.poll() is None and time.monotonic() < deadline:
        if select.select([process.stderr], [], [], 0.2)[0]:
            said += os.read(process.stderr.fileno(), 4096)
    line = next((part for part in said.decode().splitlines() if "serving " in part), None)
    if line is None:
        process.kill()
        raise SystemExit(f"kubemedic mcp --http did not start: {said.decode()!r}")
    return process, line.rsplit(" ", 1)[-1]


async def over_http(cases: Sequence[RealCase]) -> Run:
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    process, url = start_http()
    try:
        async with (
            create_mcp_http_client(headers={"Authorization": f"Bearer {TOKEN}"}) as http,
            Client(
                streamable_http_client(url, http_client=http), read_timeout_seconds=120
            ) as client,
        ):
            return await _drive(client, cases)
    finally:
        process.terminate()
        process.wait(timeout=20)


async def in_process(cases: Sequence[RealCase]) -> Run:
    """The same tool without the protocol: the baseline for the transports' cost."""
    from bot.errors import BadInput
    from bot.knowledge import load_knowledge
    from bot.mcp.tools import KubemedicTools
    from bot.settings import Settings

    settings = Settings()
    tools = KubemedicTools(
        matcher=load_knowledge(settings).matcher, readers=_NoCluster(), namespaces=(), timeout=1.0
    )
    for case in cases[:WARM_UP]:
        with contextlib.suppress(BadInput):
            await tools.match_error(case.text())
    calls = []
    for case in cases:
        started = time.perf_counter()
        try:
            body = (await tools.match_error(case.text())).model_dump()
            read = (
                body["outcome"],
                (body["answer"] or {}).get("id"),
                (body["abstain"] or {}).get("reason"),
            )
        except BadInput:
            read = ("refused", None, None)
        calls.append(Call(case, *read, time.perf_counter() - started))
    fixed = []
    for _ in range(FIXED_CALLS):
        started = time.perf_counter()
        tools.catalog_entry("oom-killed")
        fixed.append(time.perf_counter() - started)
    return Run(calls, fixed)


class _NoCluster:
    def reader(self, context: str | None) -> Any:
        raise RuntimeError("match_error reads no cluster")


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.2f}" if whole else "-"


def quality(calls: Sequence[Call]) -> list[str]:
    """Per paste kind: positives answered right, answered wrong, abstained; negatives answered."""
    lines = [
        (
            "| paste kind | positives | answered right | answered wrong | abstained (too close) "
            "| healthy | over 40 KB | negatives answered |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    by_kind: dict[str, list[Call]] = defaultdict(list)
    for call in calls:
        by_kind[call.case.kind].append(call)
    for kind, group in [*((k, by_kind[k]) for k in KINDS if by_kind[k]), ("all", list(calls))]:
        positives = [c for c in group if c.case.klass == "positive"]
        negatives = [c for c in group if c.case.klass != "positive"]
        right = sum(c.answer in c.case.expected for c in positives if c.outcome == "answer")
        wrong = sum(c.outcome == "answer" for c in positives) - right
        abstained = [c for c in positives if c.outcome == "abstain"]
        close = sum(c.reason == "candidates too close" for c in abstained)
        lines.append(
            f"| {kind} | {len(positives)} | {share(right, len(positives))} | {share(wrong, len(positives))} "
            f"| {share(len(abstained), len(positives))} ({close}) "
            f"| {sum(c.outcome == 'healthy' for c in positives)} "
            f"| {sum(c.outcome == 'refused' for c in group)} "
            f"| {share(sum(c.outcome == 'answer' for c in negatives), len(negatives))} |"
        )
    return lines


def latency(runs: dict[str, Run]) -> list[str]:
    base = percentile([c.seconds for c in runs["in-process"].calls], 0.5)
    lines = [
        (
            "| transport | match_error calls | p50 ms | p95 ms | max ms | p50 vs in-process "
            "| catalog_entry p50 / p95 ms |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    for name, run in runs.items():
        seconds = [c.seconds for c in run.calls]
        p50 = percentile(seconds, 0.5)
        lines.append(
            f"| {name} | {len(seconds)} | {p50 * 1000:.1f} | {percentile(seconds, 0.95) * 1000:.1f} "
            f"| {max(seconds) * 1000:.0f} | {p50 / base:.2f}x "
            f"| {percentile(run.fixed, 0.5) * 1000:.1f} / {percentile(run.fixed, 0.95) * 1000:.1f} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N held-out pastes")
    args = parser.parse_args(argv)
    cases = [case for half in HELD_OUT for case in load(half)][: args.limit]
    runs = {
        "in-process": asyncio.run(in_process(cases)),
        "stdio": asyncio.run(over_stdio(cases)),
        "http": asyncio.run(over_http(cases)),
    }
    differ = sum(
        (a.outcome, a.answer) != (b.outcome, b.answer)
        for a, b in zip(runs["stdio"].calls, runs["http"].calls, strict=True)
    )
    answered = Counter(call.outcome for call in runs["stdio"].calls)
    print(
        f"match_error over MCP: {len(cases)} held-out pastes ({', '.join(HELD_OUT[:2])}, ... "
        f"{HELD_OUT[-1]}); stdio and HTTP disagree on {differ}"
    )
    print("\n".join(quality(runs["stdio"].calls)))
    print(f"\noutcomes: {dict(answered)}")
    print("\n".join(latency(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
