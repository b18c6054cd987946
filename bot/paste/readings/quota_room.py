"""A quota with no room for an object the paste declares and the cluster does not have.

The API server refuses a Service or a claim whose count or storage would push a
ResourceQuota past its hard limit; `kubectl apply` prints the refusal once and
no event records it.  Afterwards a paste shows the pieces: the manifest that
declares the object, a listing of its kind without it (or a message saying it
is not found), and `kubectl get resourcequota` with usage that leaves less room
than the object needs (one more Service; one more claim and its requested
storage).  Together they are the refusal: the quota's facts (`QuotaFacts.refused`),
which only a paste can show (a cluster read sees no declared object), confirm and state
resource-quota-exceeded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.cluster.outputs.table import Header, loose_cells
from bot.evidence.common import quantity
from bot.paste.model import QUOTAS, PastedFacts, Subject
from bot.paste.reading import AfterReading
from bot.paste.readings.quota_rows import QuotaUsage
from bot.paste.table_model import Listed, TableBlock, TableReading
from intents.facts.model import PodFacts, QuotaFacts
from intents.lazy_re import lazy_compile

COUNTED_KINDS = {"Service": "services", "PersistentVolumeClaim": "persistentvolumeclaims"}
"""Manifest kinds a count quota refuses without an event (pods are refused with FailedCreate)."""
_KIND = lazy_compile(r"^kind: (Service|PersistentVolumeClaim)\s*$")
_NAME = lazy_compile(r"^  name: ['\"]?([a-z0-9][a-z0-9.-]{0,252})['\"]?\s*$")
_STORAGE = lazy_compile(r"^\s+storage: ['\"]?([0-9][0-9.]{0,20}[a-zA-Z]{0,3})['\"]?\s*$")
_TOP_KEY = lazy_compile(r"^([a-zA-Z]{1,40}):")
_NOT_FOUND = lazy_compile(
    r'\b(persistentvolumeclaims?|services?) "([a-z0-9][a-z0-9.-]{0,252})" not found'
)
MAX_DECLARED = 200
SERVICE_COLUMNS = frozenset({"NAME", "TYPE", "CLUSTER-IP", "PORT(S)"})
"""`kubectl get services`."""


@dataclass(frozen=True)
class Declared:
    """An object a manifest in the paste declares."""

    kind: str
    name: str
    storage: str = ""
    """A claim's requested storage (`resources.requests.storage`), as written."""

    @property
    def resource(self) -> str:
        return COUNTED_KINDS[self.kind]

    def needs(self) -> dict[str, float]:
        """What the object adds to a quota's usage."""
        need = {self.resource: 1.0}
        if self.kind == "PersistentVolumeClaim" and self.storage:
            need["requests.storage"] = quantity(self.storage)
        return need


def declared(lines: list[str]) -> list[Declared]:
    """Services and claims declared by top-level manifests (`kind:` at the start of a line,
    `name:` under `metadata:`, a claim's `storage:` under its spec)."""
    found: list[Declared] = []
    kind = name = storage = ""
    section = ""

    def flush() -> None:
        if kind and name and len(found) < MAX_DECLARED:
            found.append(Declared(kind, name, storage))

    for line in lines:
        if not line.strip() or line[:1] in (" ", "\t", "-") and not line.startswith("---"):
            if section == "metadata" and kind and not name and (match := _NAME.match(line)):
                name = match.group(1)
            elif (
                section == "spec"
                and kind == "PersistentVolumeClaim"
                and not storage
                and (match := _STORAGE.match(line))
            ):
                storage = match.group(1)
            continue
        key = _TOP_KEY.match(line)
        if key is None or key.group(1) in ("apiVersion", "kind") and (kind or name):
            flush()
            kind = name = storage = ""
        if key is not None:
            section = key.group(1)
            if (match := _KIND.match(line)) is not None:
                kind = match.group(1)
    flush()
    return list(dict.fromkeys(found))


def said_missing(lines: list[str]) -> set[tuple[str, str]]:
    """(resource, name) of the objects a message says are not found (the scheduler's
    `persistentvolumeclaim "x" not found`, kubectl's `services "x" not found`)."""
    found = set()
    for line in lines:
        if "not found" in line:
            for kind, name in _NOT_FOUND.findall(line):
                found.add((kind.rstrip("s") + "s", name))
    return found


def refusals(
    objects: list[Declared],
    listed: dict[str, frozenset[str]],
    missing: set[tuple[str, str]],
    room: Sequence[tuple[str, str, float, float, str]],
) -> dict[str, list[str]]:
    """Quota name -> what it refused: a declared object absent from the paste (a listing of its
    kind without it, or a message saying it is not found) that the quota has no room for.
    `room` holds (quota, resource, used, hard, "used/hard" as printed)."""
    refused: dict[str, list[str]] = {}
    for item in objects:
        absent = (item.resource, item.name) in missing or (
            item.resource in listed and item.name not in listed[item.resource]
        )
        if not absent:
            continue
        for quota, resource, used, hard, shown in room:
            need = item.needs().get(resource)
            if need is not None and hard > 0 and used + need > hard:
                refused.setdefault(quota, []).append(
                    f"{item.kind} {item.name} (needs {item.storage or 1} of {resource}, at {shown})"
                )
    return refused


def list_services(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    block.found.append(
        Listed("services", frozenset(loose_cells(line, header).get("NAME", "") for line in rows))
    )


def check_room(facts: PastedFacts) -> None:
    """Each quota's refusals as a subject of the quota table (`QuotaFacts.refused`)."""
    usage = [pair for found in facts.found(QuotaUsage) for pair in found.pairs]
    if not usage:
        return
    objects = declared(facts.lines)
    if not objects:
        return
    listed: dict[str, frozenset[str]] = {}
    for found in facts.found(Listed):
        listed[found.resource] = listed.get(found.resource, frozenset()) | found.names
    refused = refusals(objects, listed, said_missing(facts.lines), usage)
    home = next(
        block
        for block in facts.blocks
        if any(isinstance(found, QuotaUsage) and found.pairs for found in block.found)
    )
    for quota, what in refused.items():
        subject = Subject(
            f"ResourceQuota {quota}",
            home.shape,
            PodFacts(namespace="", name=quota, quotas=[QuotaFacts(quota, refused=tuple(what))]),
            {QUOTAS},
            False,
        )
        home.subjects.append(subject)
        home.settle()


SERVICES = TableReading(
    "get services", lambda header: header.has(SERVICE_COLUMNS), finish=list_services
)
CHECK_ROOM = AfterReading(
    "quota room", check_room, "quota usage, manifests and listings of their kinds"
)
