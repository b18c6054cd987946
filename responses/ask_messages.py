"""Every sentence of asking: "Is it one of these?", choices, "Not this", "which one?".

Kept apart from responses/messages.py (the answer's own texts), as small functions and
constants; mrkdwn is escaped by the block builders that use them, never here.
"""

from __future__ import annotations

QUESTION_TITLE = "Is it one of these?"
QUESTION_LEAD = (
    "kubemedic is not sure. Pick the one that fits and it answers here; the team's choice "
    "answers the same error next time."
)
TERMINAL_PICK = (
    "To pick one, add it to a team examples file and match again with --examples FILE "
    '(docs/asking.md, "Try it without a workspace").'
)
THIS_ONE = "This one"
NONE_OF_THESE = "None of these"
UNDO = "Undo"
WHICH_TITLE = "Which one do you mean?"
WHICH_LEAD = "Your question names more than one object kubemedic can read. Pick one to diagnose it from the cluster."
DIAGNOSE_THIS = "Diagnose"

MODAL_TITLE = "What was it?"
MODAL_SUBMIT = "Use this"
MODAL_CLOSE = "Cancel"
MODAL_OTHERS = "Another candidate"
MODAL_SEARCH = "Or search the catalog"
MODAL_SEARCH_HINT = "Type a few words: oom, image pull secret, evicted..."
MODAL_NOTHING_PICKED = "Pick a candidate or an entry from the search."
MODAL_UNKNOWN_ENTRY = "That entry is not in the catalog; pick one from the search."
MODAL_NOT_OFFERED = (
    "That entry was not offered here; pick one of the candidates or one the search found."
)

QUESTION_GONE = "That question is no longer stored; ask again."
STORE_DOWN = "The database is unavailable right now; nothing was recorded. Try again in a minute."
NOT_HERE = "This question belongs to another channel; choose where it was asked."
NOT_YOURS_TO_UNDO = "Only the person who chose, or an admin, can undo this choice."
NOTHING_TO_UNDO = "This choice was already undone."
NOT_YOUR_DIALOG = "This dialog was opened by someone else."


def modal_lead(answered: str | None) -> str:
    said = f"kubemedic answered `{answered}`. " if answered else ""
    return (
        said
        + "Pick the right entry: it replaces the answer in the thread, and the team's choice answers "
        "the same error next time."
    )


def already_closed(state: str, by: str | None, entry: str | None) -> str:
    who = f"<@{by}>" if by else "someone"
    if state == "none":
        return f"Already answered: {who} chose none of these."
    return f"Already answered: {who} chose `{entry}`."


def chosen_line(by: str, title: str, entry: str) -> str:
    return f"<@{by}> chose *{title}* (`{entry}`); the answer is in the thread."


def chosen_note(chooser: str, day: str) -> str:
    return f"chosen by @{chooser} on {day}: kubemedic was not sure and asked"


def none_line(by: str, handed_off: bool) -> str:
    after = (
        "; handed to the team's agent"
        if handed_off
        else "; kept for new catalog entries (`kubemedic catalog suggest`)"
    )
    return f"<@{by}> chose none of these{after}."


def withdrawn(by: str, chooser: str | None, entry: str | None) -> str:
    whose = f"<@{chooser}>'s" if chooser else "the"
    return (
        f"Withdrawn: <@{by}> undid {whose} choice of `{entry}`. The question above is open again, "
        "and the choice no longer answers the same error."
    )


def named_object(kind: str, where: str, cluster: str) -> str:
    return (
        f"your question names {kind} {where}: diagnosed from cluster {cluster}, as /diagnose would"
    )


def walked_deployment(deployment: str, service: str, cluster: str) -> str:
    return (
        f"your question names deployment {deployment}: walked from Service {service}, which selects "
        f"its pods, in cluster {cluster}"
    )


def workload_pod(kind: str, name: str, pod: str, count: int, cluster: str) -> str:
    of = f"the least healthy of {count}" if count > 1 else "its only pod"
    return (
        f"your question names {kind} {name}: diagnosed its pod {pod} ({of}) from cluster {cluster}"
    )
