"""One-line kubectl outputs: rollout status, cluster-info, version.

Most of them say things are fine ("successfully rolled out", "2 out of 10
new replicas have been updated", "STATUS: deployed", "is running at").
"Waiting for partitioned roll out to finish" is healthy only when the paste
goes on to say the rollout completed: a StatefulSet partition holds that
rollout until someone lowers it, so on its own it is left to the matcher.
Any other wait is progress unless the paste goes on to say the wait gave up
("error: timed out waiting for the condition", kubectl's --timeout, or a
watch closed before it ended) before any rollout completed: then it is a
rollout that did not finish, left to the matcher too.
Their words ("Waiting", "rollout", "deployment") are the same words the
failure entries use, so they are recognised, and kept from the matcher,
instead of being left to look like an error.  The one failure among them,
a rollout that exceeded its progress deadline, becomes an owner fact.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.paste.model import Block, Subject
from bot.paste.reading import At, Reading
from intents.facts.model import OwnerFacts, PodFacts
from intents.lazy_re import lazy_compile

ROLLOUT_SHAPE = "kubectl rollout status"
_ROLLOUT_OK = lazy_compile(
    r"^(?:Waiting for (?:deployment|daemon set|statefulset|partitioned roll out|deployment spec update"
    r"|\d{1,6} pods to be ready)\b.{0,300}"
    r"|(?:deployment|daemon set|statefulset)(?:\.apps)? \"[^\"]{1,253}\" successfully rolled out"
    r"|partitioned roll out complete: .{0,200}"
    r"|statefulset rolling update complete .{0,200})$"
)
_PARTITION_WAIT = lazy_compile(r"^Waiting for partitioned roll out to finish: ")
_ROLLOUT_DONE = lazy_compile(
    r"^(?:partitioned roll out complete|statefulset rolling update complete)\b"
)
_WAIT = lazy_compile(
    r"^Waiting for (?:deployment|daemon set|statefulset|\d{1,6} pods to be ready)\b"
)
_ROLLED_OUT = lazy_compile(r"\bsuccessfully rolled out$")
_GAVE_UP = lazy_compile(
    r"^error: (?:timed out waiting for the condition|watch closed before \w+ timeout"
    r"|context deadline exceeded)"
)
"""kubectl's own words when `rollout status` stops waiting without the rollout finishing."""
_DEADLINE = lazy_compile(r"^error: deployment \"([^\"]{1,253})\" exceeded its progress deadline$")
_RUNNING_AT = lazy_compile(r"^[A-Za-z][\w .-]{0,80} is running at https?://\S{1,500}$")
_CLUSTER_INFO_HINT = (
    "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'."
)
_VERSION = lazy_compile(r"^(?:Client|Server|Kustomize) Version: v?\d[\w.+-]{0,80}$")
LOWER_STARTS = ("deployment", "daemon set", "statefulset", "partitioned", "error: deployment")
"""How the status lines that begin in lower case begin."""


def _one_line(shape: str, number: int, healthy: bool = True) -> Block:
    return Block(shape, number, number + 1, healthy=healthy, quiet={number} if healthy else set())


def status_line(stripped: str, number: int, lines: Sequence[str] = ()) -> Block | None:
    """A healthy one-line status, or a rollout that exceeded its deadline (`lines`: the paste)."""
    if _PARTITION_WAIT.match(stripped) and not any(
        _ROLLOUT_DONE.match(line.strip()) for line in lines[number + 1 :]
    ):
        return None
    if _WAIT.match(stripped) and _gave_up(lines[number + 1 :]):
        return None
    if _ROLLOUT_OK.match(stripped):
        return _one_line(ROLLOUT_SHAPE, number)
    deadline = _DEADLINE.match(stripped)
    if deadline:
        owner = OwnerFacts("Deployment", deadline.group(1), ("ProgressDeadlineExceeded",))
        block = _one_line(ROLLOUT_SHAPE, number, healthy=False)
        facts = PodFacts(namespace="", name=deadline.group(1), owners=[owner])
        block.subjects = [
            Subject(f"deployment {deadline.group(1)}", ROLLOUT_SHAPE, facts, set(), False)
        ]
        return block
    if _RUNNING_AT.match(stripped) or stripped == _CLUSTER_INFO_HINT:
        return _one_line("kubectl cluster-info", number)
    if _VERSION.match(stripped):
        return _one_line("kubectl version", number)
    return None


def _gave_up(after: Sequence[str]) -> bool:
    """Whether kubectl stopped waiting before any rollout after the wait completed."""
    for line in after:
        stripped = line.strip()
        if _ROLLED_OUT.search(stripped) or _ROLLOUT_DONE.match(stripped):
            return False
        if _GAVE_UP.match(stripped):
            return True
    return False


def may_start(at: At) -> bool:
    return at.stripped[0].isupper() or at.stripped.startswith(LOWER_STARTS)


STATUS_LINES = Reading(
    "status line",
    may_start,
    lambda at: status_line(at.stripped, at.number, at.lines),
    frozenset({"PodFacts.owners"}),
)
