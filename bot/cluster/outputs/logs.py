"""`kubectl logs` outputs, served back as the log of the container they came from.

A log may be of one pod (`kubectl logs web-1 -c app --previous`) or of a
controller's pod (`kubectl logs deploy/web`: one pod of it, the one kubectl picked),
so a pod's log is looked up by pod, then by the controller that owns it.  Some tools
record a summary of error patterns instead of the lines (`{"patterns": [{"sample":
...}]}`); its sample lines are the log.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cluster.outputs.recording import LogRecord
from bot.runtime import json_depth

MAX_LOG_CHARS = 4 * 1024 * 1024


def log_text(lines: Sequence[str]) -> str:
    """The log lines of an output: as they are, or the samples of a pattern summary."""
    text = "\n".join(lines).strip("\n")
    if text.lstrip().startswith("{") and '"patterns"' in text[:4096]:
        samples = _pattern_samples(text)
        if samples is not None:
            return "\n".join(s.replace("\n", " ") for s in samples)
    return text[-MAX_LOG_CHARS:]


def _pattern_samples(text: str) -> list[str] | None:
    """The sample lines of a `{"patterns": [{"sample": ...}]}` summary; None if it is not one."""
    try:
        summary = json_depth.loads(text)
    except ValueError:
        return None
    patterns = summary.get("patterns") if isinstance(summary, dict) else None
    if not isinstance(patterns, list):
        return None
    return [
        str(p.get("sample"))
        for p in patterns
        if isinstance(p, dict) and p.get("sample") is not None
    ]


def tail(text: str, *, tail_lines: int, limit_bytes: int) -> str:
    """What the API's tailLines + limitBytes return of a log."""
    lines = text.splitlines(keepends=True)
    kept = "".join(lines[max(len(lines) - max(tail_lines, 0), 0) :])
    data = kept.encode()[: max(limit_bytes, 0)]
    return data.decode("utf-8", errors="replace")


def _pod_of(record: LogRecord, pod: str, owners: Sequence[str]) -> bool:
    if record.owner_kind == "pods":
        return record.name == pod
    return record.name in owners or pod.startswith(record.name + "-")


def _of_pod(
    records: Sequence[LogRecord], namespace: str, pod: str, previous: bool, owners: Sequence[str]
) -> list[LogRecord]:
    return [
        r
        for r in records
        if r.previous == previous and r.namespace in (None, namespace) and _pod_of(r, pod, owners)
    ]


def find_log(
    records: Sequence[LogRecord],
    namespace: str,
    pod: str,
    container: str,
    previous: bool,
    owners: Sequence[str],
    *,
    default_container: str | None = None,
) -> LogRecord | None:
    """The recorded log that best answers a request for one container's log. A log recorded
    without -c is the pod's default container's (kubectl's choice), so it answers for that
    container only, or for any when the pod's containers are not known; asked for no container
    (a table row names none), the log of the pod's one recorded container."""
    candidates = _of_pod(records, namespace, pod, previous, owners)
    if not container:  # the pod's containers unknown: its one container's log, if it has one
        return _latest(candidates) if len({r.container for r in candidates}) == 1 else None
    named = [r for r in candidates if r.container == container]
    return _latest(named or _unnamed(candidates, default_container in (None, container)))


def _unnamed(candidates: Sequence[LogRecord], default: bool) -> list[LogRecord]:
    """The logs recorded without -c, when they are the asked container's (`default`)."""
    return [r for r in candidates if r.container is None] if default else []


def _latest(found: list[LogRecord]) -> LogRecord | None:
    """The last log of the pod itself, else the last of its controller's pods."""
    direct = [r for r in found if r.owner_kind == "pods"]
    return (direct or found)[-1] if found else None
