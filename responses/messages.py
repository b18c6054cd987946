"""Every sentence the bot says in Slack, in one place.

Renderers and listeners take their words from here, so wording is reviewed
(and changed) in one module and tests can assert on the same constants.
Functions return mrkdwn; callers pass in text that is already escaped
where it came from a user or the cluster.
"""

from __future__ import annotations

NO_PROBLEM_PREFIX = "no problem found"
"""How the diagnosis layer starts the note of a healthy pod, namespace or node."""

CONFIDENCE = {
    "high": "🔴 high confidence",
    "medium": "🟠 medium confidence",
    "low": "⚪ low confidence",
}

ROOT_CAUSE = "*Root cause*"
CONFIRMED_BY = "*Confirmed by*"
FIX = "*Fix*"
LINKS = "*Links*"
WHY = "*Why this match*"
OTHERS = "*Other likely matches*"
CLOSEST = "*Closest matches (low confidence)*"
PODS = "*Unhealthy pods*"
COULD_NOT_READ = "Could not read:"
NOTE = "Note:"

HELPFUL = "Helpful"
NOT_THIS = "Not this"
SHOW_OTHERS = "Show other matches"
CONFIRM_DEFAULT = "Do it"
DENY_DEFAULT = "Cancel"

EXPIRED_ACTION = "⌛ This button has expired or was already used — run /diagnose again."
NOTHING_CHANGED = "Nothing was changed."
GENERIC_APOLOGY = "😞 Sorry, something went wrong on my side; it has been logged."

USAGE_TITLE = "kubemedic: diagnose Kubernetes problems"
USAGE: tuple[tuple[str, str], ...] = (
    ("/diagnose pod NS/NAME", "diagnose one pod"),
    ("/diagnose pod NAME -n NS", "the same, kubectl style"),
    ("/diagnose pod CONTEXT:NS/NAME", "a pod in another allowed cluster"),
    ("--context CTX", "pick the cluster for any command"),
    ("/diagnose namespace NS", "every unhealthy pod in a namespace, worst first"),
    ("/diagnose node NAME", "a node and its unhealthy pods"),
    ("/diagnose summary", "the incident summary of this channel"),
    ("/diagnose <pasted error>", "match an error message or log against the catalog"),
    ("/diagnose help", "this help"),
)


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


def no_match_detail() -> str:
    return "No catalog entry explains it with high or medium confidence."


def many_title(subject: str) -> str:
    return f"Diagnosis of {subject}"


def cluster(name: str) -> str:
    return f"cluster *{name}*"


def evidence_only() -> str:
    return "Matched on cluster evidence alone (no text matched)."


def more_items(count: int, what: str) -> str:
    return f"…and {count} more {what}"


def code_truncated(lines: int) -> str:
    return f"_(truncated: {lines} more line{'s' if lines != 1 else ''} — see the links)_"


def trimmed(parts: list[str]) -> str:
    return f"✂️ Shortened to fit in Slack: {', '.join(parts)}."


def diagnosing(subject: str) -> str:
    return f"⏳ Diagnosing {subject}…"


def refusal(reason: str) -> str:
    return f"🚫 {reason}\n{NOTHING_CHANGED}"


def user_error(reason: str) -> str:
    return f"⚠️ {reason}"


def not_posted(error: str) -> str:
    return (f"⚠️ I could not post the answer in this channel: Slack answered `{error}`. "
            "It has been logged; try again in a minute.")


def seen(count: int, last: str) -> str:
    return f"👀 Seen {count} times, last {last}"


def done(detail: str, by: str) -> str:
    return f"✅ Done by {by}: {detail}"


def failed(detail: str, by: str) -> str:
    return f"❌ Failed: {detail} (clicked by {by})"


def dry_run(detail: str, by: str) -> str:
    return f"🧪 Dry run only: {detail} (clicked by {by})"


def refused(detail: str, by: str) -> str:
    return f"🚫 Refused: {detail} (clicked by {by})"


def expired(detail: str, by: str) -> str:
    return f"⌛ Expired: {detail} (clicked by {by})"


def feedback_noted(detail: str, by: str) -> str:
    return f"🙏 Thanks {by}: {detail}"


def by_whom(user: str, when: str) -> str:
    return f"{user} at {when}" if when else user

