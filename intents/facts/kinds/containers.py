"""A container's state, reason, exit code, restarts, messages and logs."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, SafeRegex, clip, first, pod, search
from intents.facts.model import ContainerFacts


def _reason(rule: Rule, c: ContainerFacts) -> str | None:
    if c.init and rule.container_reason == "Completed":
        return None  # an init container ends Completed: that is it succeeding
    if c.reason == rule.container_reason:
        code = f" (exit code {c.exit_code})" if c.exit_code is not None else ""
        detail = f": {clip(c.message)}" if c.message and c.state == "waiting" else ""
        return f"is {c.state} with reason {c.reason}{code}{detail}"
    if c.last_reason == rule.container_reason:
        return f"last terminated with reason {c.last_reason} (exit code {c.last_exit_code})"
    return None


def _log(rule: Rule, c: ContainerFacts) -> str | None:
    # A container that has just crashed (terminated, not restarted yet) is itself the
    # "previous" run a rule asks for; the one before it may be gone already.
    logs = [("current", c.current_log)]
    if rule.previous_log:
        crashed = [("last run's", c.current_log)] if c.state == "terminated" else []
        logs = [*crashed, ("previous", c.previous_log)]
    found = next(
        (
            (which, line)
            for which, log in logs
            if (line := search(rule.log_pattern, log, last=True)) is not None
        ),
        None,
    )
    if found is None:
        return None
    which = f"{found[0]} log"
    return f"{which if c.named else 'logged'}: {found[1]}"


KILLED_CODES = (137, 143)
"""SIGKILL and SIGTERM: how the kubelet ends a container it kills (a failed liveness probe)."""


def ended_itself(c: ContainerFacts) -> int | None:
    """The exit code of a run that ended on its own (not killed, not OOMKilled), else None."""
    ended = c.state == "terminated"
    code, reason = (c.exit_code, c.reason) if ended else (c.last_exit_code, c.last_reason)
    if code is None or code in KILLED_CODES or reason == "OOMKilled":
        return None
    return code


def _flags(rule: Rule, c: ContainerFacts) -> list[str] | None:
    """What the restarts and the pasted-only flags say, or None when one does not hold."""
    parts: list[str] = []
    if rule.ended_itself is not None:
        code = ended_itself(c)
        if (code is not None) != rule.ended_itself:
            return None
        parts += [f"ended on its own (exit code {code})"] if code is not None else []
    if rule.min_restarts is not None:
        if c.restarts < rule.min_restarts or (c.state == "running" and c.ready):
            return None  # restarts of a container running and ready now are history, not a loop
        parts.append(f"restarted {c.restarts} times")
    if rule.running_unready is not None:
        if c.running_unready != rule.running_unready:
            return None
        parts.append("runs and is not ready past its start")
    if rule.init_stalled is not None:
        if c.init_stalled != rule.init_stalled:
            return None
        parts.append("runs past the pod's start and never completes")
    return parts


def _status(rule: Rule, c: ContainerFacts) -> list[str] | None:
    """What its reason, exit code, restarts and flags say, or None when one does not hold."""
    parts: list[str] = []
    if rule.container_reason is not None:
        if (reason := _reason(rule, c)) is None:
            return None
        parts.append(reason)
    if rule.exit_code is not None:
        if rule.exit_code not in (c.exit_code, c.last_exit_code):
            return None
        if rule.container_reason is None:
            parts.append(f"exited with code {rule.exit_code}")
    flags = _flags(rule, c)
    return None if flags is None else parts + flags


def _texts(rule: Rule, c: ContainerFacts) -> list[str] | None:
    """The line of its message and of its log the rule's regexes match, or None."""
    parts: list[str] = []
    if rule.container_message is not None:
        line = search(rule.container_message, c.message) or search(
            rule.container_message, c.last_message
        )
        if line is None:
            return None
        parts.append(f"reports: {line}")
    if rule.log_pattern is not None:
        if (logged := _log(rule, c)) is None:
            return None
        parts.append(logged)
    return parts


def _container(rule: Rule, c: ContainerFacts) -> str | None:
    if rule.container_name is not None and c.name != rule.container_name:
        return None
    status = _status(rule, c)
    texts = _texts(rule, c) if status is not None else None
    if status is None or texts is None:
        return None
    return f"{c.label} " + ", ".join(status + texts)


def _ran(c: ContainerFacts) -> bool:
    return c.state == "terminated" or c.last_exit_code is not None or c.last_reason is not None


def check(rule: Rule, facts: Facts) -> str | None:
    found = pod(facts)
    if found is None:
        return None
    if rule.ended_itself is False and not any(_ran(c) for c in found.containers):
        only = all(
            getattr(rule, spec.name) is None
            for spec in KIND.fields
            if spec.name not in ("ended_itself", "previous_log")
        )
        if only:  # no run shown ending at all: nothing says it ended on its own
            return ""
    return first([_container(rule, c) for c in found.containers])


KIND = FactKind(
    "containers",
    20,
    "PodFacts.containers",
    __doc__ or "",
    check=check,
    fields=(
        RuleField("container_name", str | None, "The container's name.", refutes=True),
        RuleField(
            "container_reason",
            str | None,
            "Its waiting or (last) terminated reason (CrashLoopBackOff, OOMKilled...).",
            refutes=True,
        ),
        RuleField("exit_code", int | None, "Its exit code, now or last run.", refutes=True),
        RuleField(
            "min_restarts",
            int | None,
            "It restarted at least this often and is not running ready.",
            refutes=True,
        ),
        RuleField(
            "container_message",
            SafeRegex | None,
            "Regex on a container's waiting/terminated message.",
            refutes=True,
        ),
        RuleField(
            "log_pattern",
            SafeRegex | None,
            "Regex on a line of its log (the last that matches is quoted).",
        ),
        RuleField(
            "previous_log", bool, "`log_pattern` reads the previous run's log.", default=False
        ),
        RuleField(
            "running_unready",
            bool | None,
            "A container runs and is not ready past its "
            "start (its readiness probe has not succeeded).",
        ),
        RuleField(
            "ended_itself",
            bool | None,
            "Its last run ended on its own (an exit code other than 137 or 143, not OOMKilled); "
            "false: no run shown ended so (a probe that kills it, or none ended).",
            refutes=True,
        ),
        RuleField(
            "init_stalled",
            bool | None,
            "An init container runs past the pod's start without completing, never restarted.",
        ),
    ),
)
