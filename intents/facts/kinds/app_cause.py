"""The cause the app states: in its log (the run that crashed first), its termination message,
or the output of a probe or hook the kubelet ran in it (intents.app_cause)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from intents.app_cause import CAUSE_KINDS, AppCause, read_app_cause
from intents.checked import Checked
from intents.facts.kind import FactKind, Facts, Rule, RuleField, clip, pod
from intents.facts.model import ContainerFacts, EventFacts
from intents.lazy_re import lazy_compile

APP_EVENTS = ("Unhealthy", "FailedPostStartHook", "FailedPreStopHook")
"""Events whose message carries what a command run in the container printed."""
_KUBELETS_OWN = lazy_compile(
    r"^(?:(?:Get|Post|Head) \"?https?://|dial tcp |HTTP probe failed|Probe terminated|command timed out"
    r"|rpc error|timeout: |context deadline exceeded|read tcp |OCI runtime|$)"
)
"""A probe failure the kubelet says itself (it could not connect, the status code; its URL
quoted since Kubernetes 1.19, bare before): the app's port, not the app's words."""
CauseKind = Annotated[str, Checked(pattern=f"^(?:{'|'.join(CAUSE_KINDS)})$")]
"""One of intents.app_cause.CAUSE_KINDS (checked when the catalog is read)."""
_OUTPUT = lazy_compile(r"(?:probe failed|hook failed|[Ee]xec lifecycle hook \([^)]{0,200}\))")


@dataclass(frozen=True)
class Stated:
    """A cause the app states, and where it said it ("container api's previous log")."""

    cause: AppCause
    where: str


def _container(c: ContainerFacts) -> list[Stated]:
    """The run that ended first (a restart's reason), then the current run, then the messages."""
    crashed = c.state == "terminated" or c.restarts > 0 or c.last_reason is not None
    logs = [("previous log", c.previous_log), ("log", c.current_log)]
    if c.state == "terminated":
        logs.reverse()  # terminated now: its current log is the run that ended
    if not crashed:
        logs = logs[1:]
    texts = [*logs, ("termination message", c.last_message), ("message", c.message)]
    found = []
    for which, text in texts:
        cause = read_app_cause(text) if text else None
        if cause is not None:
            where = f"{c.label}'s {which}" if c.named else "the pasted log"
            found.append(Stated(cause, where))
    return found


_LOOPBACK = lazy_compile(r"^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|0\.0\.0\.0)$")
"""A probe command's own container (its port on the pod's loopback), not a service it calls."""


def _event(event: EventFacts) -> Stated | None:
    if event.reason not in APP_EVENTS:
        return None
    said = _OUTPUT.search(event.message)
    output = event.message[said.end() :].lstrip(": ") if said else event.message
    if _KUBELETS_OWN.match(output):
        return None
    cause = read_app_cause(output)
    if cause is None or (
        cause.kind.startswith("connection-") and _LOOPBACK.match(cause.value("host") or "-")
    ):
        return None  # an exec probe that cannot reach its own container's port: the probe's failure
    return Stated(cause, f"event {event.reason}")


def stated_causes(facts: Facts) -> list[Stated]:
    """Every cause the pod's apps state, its containers' first (one per text read)."""
    found = pod(facts)
    if found is None:
        return []
    said = [stated for c in found.containers for stated in _container(c)]
    return said + [stated for e in found.events if (stated := _event(e)) is not None]


def check(rule: Rule, facts: Facts) -> str | None:
    for stated in stated_causes(facts):
        if stated.cause.kind == rule.app_cause:
            return f"{stated.where} states {stated.cause.said()}: {clip(stated.cause.line)}"
    return None


KIND = FactKind(
    "app_cause",
    25,
    "PodFacts.containers (logs, messages), PodFacts.events",
    __doc__ or "",
    check=check,
    fields=(
        RuleField(
            "app_cause",
            CauseKind | None,
            "The cause the app states in its log, termination message or a probe's output, "
            f"by kind: {', '.join(CAUSE_KINDS)} (intents.app_cause).",
        ),
    ),
)
