"""Every sentence the bot says in Slack, in one place.

Renderers and listeners take their words from here, so wording is reviewed
(and changed) in one module and tests can assert on the same constants.
Functions return mrkdwn; callers pass in text that is already escaped
where it came from a user or the cluster - except `user_error`, whose reason
usually repeats what the user typed (a bad name, namespace or context) and is
redacted and escaped here, so no caller can forget.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from responses.inert import MAX_ECHO, escape
from responses.redaction import redact_clipped

NO_PROBLEM_PREFIX = "no problem found"
"""How the diagnosis layer starts the note of a healthy pod, namespace or node."""

CONFIDENCE = {
    "high": "high confidence",
    "medium": "medium confidence",
    "low": "low confidence",
}
"""How sure the answer is, in words: no coloured dot, which a reader takes for how bad it is."""
PROBLEM_MARK = "🔴"
"""Marks a problem found (before its title), as an incident channel marks one ongoing."""

ROOT_CAUSE = "*Root cause*"
CONFIRMED_BY = "*Confirmed by*"
FIX = "*Fix*"
NEXT = "*Next step*"
OTHER_STEPS = "*Fix steps*"
LINKS = "*Links*"
WHY = "*Why this match*"
OTHERS = "*Close to the answer*"
CLOSEST = "*Closest matches (low confidence)*"
PODS = "*Unhealthy pods*"
MORE_PODS = "*More unhealthy pods*"
COULD_NOT_READ = "Could not read:"
NOTE = "Note:"

HELPFUL = "Helpful"
NOT_THIS = "Not this"
SHOW_OTHERS = "Show other matches"
DETAILS = "Details"
CONFIRM_DEFAULT = "Do it"
DENY_DEFAULT = "Cancel"

GENERIC_APOLOGY = "😞 Sorry, something went wrong on my side; it has been logged."

USAGE_TITLE = "kubemedic: diagnose Kubernetes problems"
USAGE: tuple[tuple[str, str], ...] = (
    ("/diagnose pod NS/NAME", "diagnose one pod"),
    ("/diagnose pod NAME -n NS", "the same, kubectl style"),
    ("/diagnose pod CONTEXT:NS/NAME", "a pod in another allowed cluster"),
    ("--context CTX", "pick the cluster for any command"),
    (
        "/diagnose namespace NS [symptom]",
        'what could cause the symptom ("checkout is failing"), most likely first, then every unhealthy pod',
    ),
    ("/diagnose service NS/NAME [symptom]", "what on a Service's chain breaks it (or NAME -n NS)"),
    ("/diagnose node NAME", "a node and its unhealthy pods"),
    ("/diagnose summary", "the incident summary of this channel"),
    ("/diagnose <pasted error>", "match an error message or log against the catalog"),
    (
        "/diagnose doctor",
        "check the install: Slack, database, catalog, clusters, RBAC (admins only)",
    ),
    ("/diagnose help", "this help"),
)
DOCTOR_TITLE = "kubemedic doctor"
DOCTOR_RUNNING = "Checking the install (Slack, database, catalog, every allowed cluster)…"
DOCTOR_ADMINS_ONLY = (
    "Only the people in KUBEMEDIC_ADMINS may run /diagnose doctor; "
    "`kubemedic doctor` in the bot's pod runs the same checks."
)
HOME_INTRO = (
    "Paste an error in a channel I am in and I answer in a thread when I recognise it "
    "(and stay quiet when I don't), or ask me directly:"
)
HOME_CATALOG = "*The incident catalog*: every problem I know, searchable by a pasted error line"
HOME_NO_CATALOG = (
    "*The incident catalog*: set KUBEMEDIC_PUBLIC_URL to link it here, or run "
    "`kubemedic catalog site DIR` to get it as files."
)


def details_of(title: str) -> str:
    return f"*Details:* {title}"


def code_in_details(what: str) -> str:
    return f"_({what}: see Details)_"


def observed(figures: str) -> str:
    return f"Observed: {figures}"


def details_posted(by: str) -> str:
    return f"📎 Details are in the thread (asked by {by})"


def details_fallback(title: str) -> str:
    return f"Details: {title}"


def why_this_answer(reason: str) -> str:
    return f"Why this answer: {reason}"


def confidence(level: str) -> str:
    return CONFIDENCE.get(level, level)


def score(value: float) -> str:
    return f"score {value:.2f}"


def text_score(value: float) -> str:
    return f"text alone {value:.2f}, the rest from cluster evidence"


def no_problem(subject: str) -> str:
    return f"✅ No problem found for {subject}"


def no_confident_match(subject: str) -> str:
    return f"🤷 No confident match for {subject}"


def another_problem(number: int, total: int) -> str:
    return f"*Problem {number} of {total}*, separate, with its own fix:"


def no_match_detail() -> str:
    return "No catalog entry explains it with high or medium confidence."


_TO_TELL = re.compile(r"^(?P<what>.+?) \((?P<run>(?:kubectl|helm) [^()]{1,300})\)$")


def not_seen(asks: Sequence[str]) -> list[str]:
    """What the input did not show, said once per command that would show it: "not seen: the
    pods' labels (which pods Service checkout selects; which pods Service cart selects); to tell,
    run: kubectl get pods --show-labels -n shop". An ask is "[QUESTION: ]FACT (COMMAND)"."""
    runs: dict[tuple[str, str], list[str]] = {}
    plain: list[str] = []
    for ask in asks:
        found = _TO_TELL.match(ask)
        if found is None:
            plain.append(f"not seen: {ask}")
            continue
        question, _, fact = found.group("what").rpartition(": ")
        runs.setdefault((fact, found.group("run")), []).append(question)
    said = [
        f"not seen: {fact}"
        + (f" ({'; '.join(q for q in questions if q)})" if any(questions) else "")
        + f"; to tell, run: {run}"
        for (fact, run), questions in runs.items()
    ]
    return [*said, *plain]


def beside_suspects(notes: Sequence[str]) -> list[str]:
    """A namespace's notes under its suspects: "no problem found: all 3 pods ... are healthy" says
    only that the pods are healthy (a suspect is a problem found)."""
    return [
        note.split(": ", 1)[1]
        if note.lower().startswith(NO_PROBLEM_PREFIX) and ": " in note
        else note
        for note in notes
        if not note.lower().startswith(NO_PROBLEM_PREFIX) or ": " in note
    ]


def many_title(subject: str) -> str:
    return f"Diagnosis of {subject}"


def in_full(pod: str | None, subject: str) -> str:
    """Which of the listed causes the detailed part below is about."""
    return f"In full: the cause of {pod}" if pod else f"In full: the cause of {subject} itself"


def cluster(name: str) -> str:
    return f"cluster *{name}*"


def more_items(count: int, what: str) -> str:
    return f"…and {count} more {what}"


def code_truncated(lines: int) -> str:
    return f"_(truncated: {lines} more line{'s' if lines != 1 else ''} — see the links)_"


def trimmed(parts: list[str]) -> str:
    return f"✂️ Shortened to fit in Slack: {', '.join(parts)}."


def diagnosing(subject: str) -> str:
    return f"⏳ Diagnosing {subject}…"


def user_error(reason: str) -> str:
    """One line for an expected failure; `reason` is raw text (it may echo user input)."""
    return f"⚠️ {escape(redact_clipped(reason, MAX_ECHO))}"


def not_posted(error: str) -> str:
    return (
        f"⚠️ I could not post the answer in this channel: Slack answered `{error}`. "
        "It has been logged; try again in a minute."
    )


def seen(count: int, last: str) -> str:
    return f"👀 Seen {count} times, last {last}"


OUTCOME_LINES = {
    "done": "✅ Done by {by}: {detail}",
    "failed": "❌ Failed: {detail} (clicked by {by})",
    "dry-run": "🧪 Dry run only: {detail} (clicked by {by})",
    "refused": "🚫 Refused: {detail} (clicked by {by})",
    "expired": "⌛ Expired: {detail} (clicked by {by})",
    "feedback": "🙏 Thanks {by}: {detail}",
}
"""What a click came to, by its outcome's status."""


def outcome_line(status: str, detail: str, by: str) -> str:
    """The line saying what `by`'s click came to (an unknown status: failed)."""
    return OUTCOME_LINES.get(status, OUTCOME_LINES["failed"]).format(detail=detail, by=by)


def by_whom(user: str, when: str) -> str:
    return f"{user} at {when}" if when else user


# ---------------------------------------------------------------- buttons and summaries
BUTTON_INVALID = "This button is not valid. Nothing was changed."
BUTTON_EXPIRED = "This button has expired or was already used — run /diagnose again."
AUDIT_DOWN = "Cannot write the audit log, so nothing was changed. Try again later."
ACTION_UNREADABLE = "Cannot read the stored action right now. Nothing was changed; try again later."
REMEDIATION_NOT_ENABLED = "Remediation is not enabled on this kubemedic."
STORE_DOWN = "The database is unavailable right now; try again in a minute."
UNKNOWN_DIAGNOSIS = "That diagnosis is no longer stored; run /diagnose again."
NO_DETAILS = "This answer has no more details stored; run /diagnose again for the whole answer."
UNKNOWN_BUTTON = "kubemedic does not know this button; nothing was done."
SUMMARY_PINNED = "The incident summary is pinned in this channel and was just brought up to date."
NO_SUMMARY = "Sorry, the summary could not be built right now; the error was logged."


def feedback_thanks(catalog_id: str, helpful: bool) -> str:
    return f"Thanks, noted: `{catalog_id}` was {'helpful' if helpful else 'not this'}."


def other_matches(lines: list[str]) -> str:
    return "Other likely matches:\n" + ("\n".join(lines) or "none")


def other_match(catalog_id: str, title: str, confidence: str, score: float) -> str:
    return f"• `{catalog_id}` {title} ({confidence}, {score:.2f})"


def click_refused(reason: str) -> str:
    return f"Refused: {reason}. Nothing was changed."


def interrupted(user: str, verb: str) -> str:
    return (
        f"<@{user}> {verb}: the kubemedic replica carrying this out stopped before it could report; "
        "the change may or may not have been made. Check the cluster before trying again."
    )


DIALOG_NOT_OPENED = "The confirmation did not open in time; click the button again."
"""Mattermost: a remediation button's dialog could not be opened (its trigger lasts a few seconds)."""
DIALOG_NOT_YOURS = "Refused: this dialog was opened by someone else. Nothing was changed."
DIALOG_EXPIRED = "Refused: this dialog has expired; click the button again. Nothing was changed."
DIALOG_USED = "Refused: this dialog was already submitted. Nothing was changed."
"""Mattermost: a dialog submitted by another user than its clicker, late, or twice."""
