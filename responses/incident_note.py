"""The note kubemedic writes on a PagerDuty incident or an Opsgenie alert: plain text, short.

It says what the chat message says, in a few lines: the answer (the cause and its catalog id, or
the object most likely at fault), why (the facts that confirm it), the one fix, where the chat
thread is, and whether it still fires. The last line carries the incident's record key, which is
how kubemedic finds its own note again. Secrets are redacted like every text kubemedic writes.
"""

from __future__ import annotations

from responses import alert_view as words
from responses.alert_view import AlertView
from responses.answer_view import Headline, suspect_heading
from responses.redaction import Redacted, redact

MAX_NOTE = 3000
FACTS = 3


def confident(view: AlertView) -> bool:
    """Whether the message's cause may be written on the incident: confirmed by the cluster, or the
    walk's high or medium first suspect (what the message leads with). Anything less stays quiet."""
    cause = view.cause
    if cause is None:
        return False
    suspect = cause.suspect
    return cause.confirmed or (suspect is not None and suspect.confidence in ("high", "medium"))


def marker(key: str) -> str:
    """The note's last line: how kubemedic recognises its own note on the incident."""
    return f"(kubemedic · {key})"


def incident_note(view: AlertView, *, thread_link: str | None, key: str) -> Redacted:
    """The note's text for the message's current state: the cause and the first fix step the chat
    card shows (the message's `Headline`)."""
    cause = view.cause
    lines = [f"kubemedic: {_answer(cause)}" if cause is not None else "kubemedic: no cause found"]
    why = _why(cause) if cause is not None else ""
    if why:
        lines.append(f"Why: {why}")
    first = cause.first_step if cause is not None else None
    if first is not None:
        lines.append(f"Fix: {words.step_line(first)[:600]}")
    late = view.detail.page.late_minutes if view.detail.page is not None else None
    if late:
        lines.append(
            f"Late: received {_duration(late)} after it occurred (the tool sent it again); "
            "diagnosed from the cluster as it was then"
        )
    lines.append(f"Chat thread: {thread_link}" if thread_link else "Chat thread: not posted")
    lines.append(f"Status: {words.state_line(view)}")
    text = "\n".join(lines)
    end = "\n" + marker(key)
    return redact(text[: MAX_NOTE - len(end)] + end)


def _duration(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def _answer(cause: Headline) -> str:
    if cause.suspect is not None:
        return f"{suspect_heading(cause.suspect)} [{cause.id}]"
    return f"{cause.problem.title} [{cause.id}], confirmed in the cluster"


def _why(cause: Headline) -> str:
    facts = list(cause.details.facts[:FACTS]) or ([cause.problem.why] if cause.problem.why else [])
    return "; ".join(" ".join(fact.split())[:300] for fact in facts)
