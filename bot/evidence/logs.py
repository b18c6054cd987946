"""The current and previous log of each failing container, bounded.

A crash-looping container's cause is usually in its previous instance's
last lines (the cluster id mismatch, the panic), so both are read, in
parallel, tail-limited in lines and bytes.  A container that never started
has no log; the API answers 400 and that is not a gap (any other refusal is).
Logs are redacted as they are read: applications print connection strings
and tokens at start-up.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.cluster.errors import ClusterError, Forbidden, TimedOut, Unreachable
from bot.cluster.reader import ClusterReader
from bot.evidence.common import TAIL_LINES, gap
from intents.facts.model import ContainerFacts, PodFacts
from responses.redaction import redact

LIMIT_BYTES = 64 * 1024
NO_LOG = "unable to retrieve container logs for "
"""What a kubelet answers (200 OK, as the log's text) when the container's log file is gone,
e.g. the previous instance of a container the kubelet already garbage-collected."""


def wanted(container: ContainerFacts) -> list[bool]:
    """Which logs to read: False = current, True = previous."""
    if not container.failing:
        return []
    logs: list[bool] = []
    if container.state in ("running", "terminated") or container.last_reason is not None:
        logs.append(False)
    if container.restarts > 0 or container.last_reason is not None:
        logs.append(True)
    return logs


def _refused(result: object) -> bool:
    """An HTTP refusal other than "no such log" (400/404), e.g. 406: a gap, never silence."""
    status = getattr(result, "status", "") if isinstance(result, ClusterError) else ""
    return status.isdigit() and status not in ("400", "404")


class LogsCollector:
    """Log tails of failing containers (current and previous instance)."""

    what = "logs"

    async def collect(self, facts: PodFacts, *, reader: ClusterReader) -> None:
        jobs = [
            (index, previous) for index, c in enumerate(facts.containers) for previous in wanted(c)
        ]
        results = await asyncio.gather(
            *(self._read(facts, index, previous, reader) for index, previous in jobs),
            return_exceptions=True,
        )
        forbidden: list[Forbidden] = []
        for (index, previous), result in zip(jobs, results, strict=True):
            container = facts.containers[index]
            if isinstance(result, str) and result.startswith(NO_LOG):
                continue  # no log to read, like a 400: not a gap, and not the log's text
            if isinstance(result, str):
                facts.containers[index] = (
                    replace(container, previous_log=result)
                    if previous
                    else replace(container, current_log=result)
                )
            elif isinstance(result, Forbidden):
                forbidden.append(result)
            elif isinstance(result, (TimedOut, Unreachable)) or _refused(result):
                which = "previous" if previous else "current"
                facts.gaps.append(gap(f"the {which} log of container {container.name}", result))
            elif not isinstance(result, ClusterError):
                raise result
        if forbidden:
            raise forbidden[0]

    @staticmethod
    async def _read(facts: PodFacts, index: int, previous: bool, reader: ClusterReader) -> str:
        """The log tail, redacted before it becomes a fact: it is matched, quoted and stored."""
        text = await reader.logs(
            facts.namespace,
            facts.name,
            facts.containers[index].name,
            previous=previous,
            tail_lines=TAIL_LINES,
            limit_bytes=LIMIT_BYTES,
        )
        return await asyncio.to_thread(redact, text)
