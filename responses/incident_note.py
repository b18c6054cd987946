"""The note kubemedic writes on a PagerDuty incident or an Opsgenie alert: plain text, short.

It says what the chat message says, in a few lines: the answer (the cause and its catalog id, or
the object most likely at fault), why (the facts that confirm it), the one fix, where the chat
thread is, and whether it still fires. The last line carries the incident's record key, which is
how kubemedic finds its own note again. Secrets are redacted like every text kubemedic writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from responses import alert_view as words
from responses.alert_view import AlertView
from responses.redaction import Redacted, redact

MAX_NOTE = 3000
FACTS = 3


def confident(view: AlertView) -> bool:
    """Whether the message's cause may be written on the incident: confirmed by the cluster, or the
    walk's high or medium first suspect (what the message leads with). Anything less stays quiet."""
    explanation = view.detail.get("explanation") or {}
    return view.cause is not None and (
        bool(explanation.get("confirmed")) or view.suspect is not None
    )


def marker(key: str) -> str:
    """The note's last line: how kubemedic recognises its own note on the incident."""
    return f"(kubemedic · {key})"


def incident_note(view: AlertView, *, thread_link: str | None, key: str) -> Redacted:
    """The note's text for the message's current state."""
    cause: Mapping[str, Any] = view.cause or {}
    lines = [_answer(view, cause)]
    why = _why(cause)
    if why:
        lines.append(f"Why: {why}")
    fix = _fix(cause)
    if fix:
        lines.append(f"Fix: {fix}")
    late = (view.detail.get("incident") or {}).get("late_minutes")
    if late:
        lines.append(
            f"Late: received {_duration(int(late))} after it occurred (the tool sent it again); "
            "diagnosed from the cluster as it was then"
        )
    lines.append(f"Chat thread: {thread_link}" if thread_link else "Chat thread: not posted")
    lines.append(f"Status: {words.state_line(view)}")
    text = "\n".join(lines)
    end = "\n" + marker(key)
    return redact(text[: MAX_NOTE - len(end)] + end)


def _duration(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def _answer(view: AlertView, cause: Mapping[str, Any]) -> str:
    if view.suspect is not None:
        return f"kubemedic: {words.suspect_heading(cause)} [{cause.get('id')}]"
    return f"kubemedic: {cause.get('title')} [{cause.get('id')}], confirmed in the cluster"


def _why(cause: Mapping[str, Any]) -> str:
    facts = [str(fact) for fact in (cause.get("evidence") or [])[:FACTS]]
    if not facts:
        facts = [
            str(step.get("effect")) for step in (cause.get("why") or [])[:1] if step.get("effect")
        ]
    return "; ".join(" ".join(fact.split())[:300] for fact in facts)


def _fix(cause: Mapping[str, Any]) -> str:
    if cause.get("suspect_fix"):
        return " ".join(str(cause["suspect_fix"]).split())[:600]
    steps = cause.get("fix") or []
    if not steps:
        return ""
    first = steps[0]
    command = f" ({' '.join(str(first['command']).split())[:300]})" if first.get("command") else ""
    return " ".join(str(first.get("text", "")).split())[:400] + command
