"""Sections of a paste's text that are no kubectl object: read where the one reader reads none.

The one reader (bot/cluster/outputs) takes the outputs that show objects. Between them, a paste
holds lines kubemedic still reads: a command someone typed, a pod's `Tolerations:` list pasted
alone, `helm status`, one-line statuses (`rollout status`, `cluster-info`, `version`), and
sentences that retell a status or a reason (bot.diagnosis.paste_prose). Each section reader
looks at one line of that text (`Text`), says whether a section starts there and reads it into
a `Section`: its lines, whether they are healthy (quiet: kept from the matcher) and the
subjects they state. The readers are tried in `SECTION_READERS`' order; the first that reads a
section takes its lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.cluster.outputs.scan import keyed
from bot.diagnosis.paste_model import COMMAND, Part, Subject
from bot.diagnosis.paste_prose import read_reasons, read_states
from bot.diagnosis.paste_text import is_command
from intents.facts.model import OwnerFacts, PodFacts
from intents.lazy_re import lazy_compile


@dataclass
class Section:
    """What one section reader read: its lines as a part, and the subjects they state."""

    part: Part
    subjects: list[Subject] = field(default_factory=list)


Reader = Callable[[Sequence[str], int, int], Section | None]
"""(lines, the line to read at, the first line the reader may not take) -> what it read."""


def quiet(shape: str, start: int, stop: int) -> Section:
    """A healthy section: its lines are kept from the matcher."""
    return Section(Part(start, stop, shape, True, set(range(start, stop))))


def _command(lines: Sequence[str], at: int, _stop: int) -> Section | None:
    """A shell line running kubectl or helm: what someone ran, not what happened."""
    return quiet(COMMAND, at, at + 1) if is_command(lines[at]) else None


TOLERATIONS = "kubectl describe (Tolerations)"
MAX_TOLERATIONS = 40
_TOLERATION = lazy_compile(
    r"^(?:Tolerations:\s*)?(?:<none>|[\w./-]{0,253}(?:=[\w./-]{0,63})?(?::(?:NoSchedule|PreferNoSchedule|NoExecute))?"
    r"(?: op=Exists)?(?: for \d{1,9}s)?)$"
)
"""A line of describe's Tolerations list (`key=value:Effect`, `key:Effect op=Exists for 300s`)."""
_OPERATOR = lazy_compile(
    r"^[\w./-]{1,253}:(?:NoSchedule|PreferNoSchedule|NoExecute) op=Exists(?: for \d{1,9}s)?$"
)
"""A toleration only a Tolerations list prints (`key:Effect op=Exists`): no taint has one."""


def _toleration_line(line: str, first: bool) -> bool:
    """A line of a Tolerations list: a toleration, indented unless it is the first."""
    return (
        bool(line.strip())
        and _TOLERATION.match(line.strip()) is not None
        and (first or line[:1] in (" ", "\t"))
    )


def _tolerations(lines: Sequence[str], at: int, stop: int) -> Section | None:
    """A pod's `Tolerations:` list pasted alone: its configuration, no node's state (every pod
    tolerates not-ready and unreachable for 300 s; a toleration of disk-pressure is no disk
    pressure)."""
    stripped = lines[at].strip()
    if not (stripped.startswith("Tolerations:") or _OPERATOR.match(stripped)):
        return None
    end = at
    while end < stop and end - at < MAX_TOLERATIONS and _toleration_line(lines[end], end == at):
        end += 1
    return quiet(TOLERATIONS, at, end) if end > at else None


HELM = "helm status"
HELM_OK = frozenset({"deployed", "superseded", "uninstalled"})


def _helm_status(lines: Sequence[str], at: int, stop: int) -> Section | None:
    """`helm status` / `helm install` output (`NAME:`, `LAST DEPLOYED:`, ..., `STATUS:`, NOTES):
    a release deployed is healthy, NOTES and all (they speak of ports, passwords and waiting for
    a LoadBalancer, words failure entries use); any other STATUS leaves it to the matcher."""
    first = keyed(lines[at].strip())
    if first is None or first[0] != "NAME" or at + 1 >= stop:
        return None
    if not lines[at + 1].strip().startswith("LAST DEPLOYED:"):
        return None
    end, status = at, ""
    indent = len(lines[at]) - len(lines[at].lstrip())
    while end < stop and not is_command(lines[end]):
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            break  # the paste's own text resumes: the output was indented as a block
        if not line.strip() and end + 1 < stop and not lines[end + 1].strip():
            break  # two blank lines: a fence closed (cleaning blanks it) or the output ended
        pair = keyed(line.strip())
        if pair is not None and pair[0] == "STATUS":
            status = pair[1]
        end += 1
    if status in HELM_OK:
        return quiet(HELM, at, end)
    return Section(Part(at, end, HELM, False))


ROLLOUT = "kubectl rollout status"
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
_LOWER_STARTS = ("deployment", "daemon set", "statefulset", "partitioned", "error: deployment")


def _status_line(lines: Sequence[str], at: int, _stop: int) -> Section | None:
    """One-line kubectl statuses that say things are fine (a rollout waiting or done, a
    cluster-info or version line), or a rollout that exceeded its deadline (an owner fact). A
    partition wait is healthy only when the paste goes on to say the rollout completed; any
    other wait unless kubectl gave up on it before a rollout completed."""
    stripped = lines[at].strip()
    if not (stripped[:1].isupper() or stripped.startswith(_LOWER_STARTS)):
        return None
    after = lines[at + 1 :]
    if _PARTITION_WAIT.match(stripped) and not any(
        _ROLLOUT_DONE.match(line.strip()) for line in after
    ):
        return None
    if _WAIT.match(stripped) and _gave_up(after):
        return None
    if _ROLLOUT_OK.match(stripped):
        return quiet(ROLLOUT, at, at + 1)
    if deadline := _DEADLINE.match(stripped):
        name = deadline.group(1)
        owner = OwnerFacts("Deployment", name, ("ProgressDeadlineExceeded",))
        facts = PodFacts(namespace="", name=name, owners=[owner])
        subject = Subject(f"deployment {name}", ROLLOUT, facts, set(), False)
        return Section(Part(at, at + 1, ROLLOUT, False), [subject])
    if _RUNNING_AT.match(stripped) or stripped == _CLUSTER_INFO_HINT:
        return quiet("kubectl cluster-info", at, at + 1)
    if _VERSION.match(stripped):
        return quiet("kubectl version", at, at + 1)
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


def _prose(read: Callable[[str, int], tuple[Part, list[Subject]] | None]) -> Reader:
    def section(lines: Sequence[str], at: int, _stop: int) -> Section | None:
        found = read(lines[at].strip(), at)
        return Section(*found) if found is not None else None

    return section


SECTION_READERS: tuple[Reader, ...] = (
    _command,
    _tolerations,
    _helm_status,
    _status_line,
    _prose(read_states),
    _prose(read_reasons),
)
"""Tried in this order on each line no output holds: the first that reads a section takes it."""


def read_sections(lines: Sequence[str], taken: Sequence[tuple[int, int]]) -> list[Section]:
    """Every section of the lines outside `taken` ([start, stop) of the outputs, in order)."""
    found: list[Section] = []
    at, edges = 0, [*taken, (len(lines), len(lines))]
    for start, stop in edges:
        while at < start:
            section = _first(lines, at, start) if lines[at].strip() else None
            if section is not None and section.part.stop > at:
                found.append(section)
                at = section.part.stop
            else:
                at += 1
        at = max(at, stop)
    return found


def _first(lines: Sequence[str], at: int, stop: int) -> Section | None:
    for reader in SECTION_READERS:
        if (section := reader(lines, at, stop)) is not None:
            return section
    return None
