"""The moment a recording shows, and the moment a diagnosis judges at.

A recording (recorded outputs, a dump, a paste) is judged at the time it was made, never at the
time it is read: a pod Ready since the recording's last minute is Ready, whatever day it is
diagnosed. A live cluster is judged now. Every age, "since" and "long ago" reads the one moment
`judged_at` gives for the reader it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

TIME_KEYS = ("Timestamp", "Time", "At")
"""Keys the API writes a moment under (creationTimestamp, lastTransitionTime, finishedAt...)."""


@runtime_checkable
class Dated(Protocol):
    """A reader that says which moment it shows: a recording its own, a live cluster now."""

    def as_of(self) -> datetime: ...


def judged_at(reader: object, *, now: Callable[[], datetime] | None = None) -> datetime:
    """The moment to judge what `reader` shows at: its own (`Dated`), else the wall clock."""
    if isinstance(reader, Dated):
        return reader.as_of()
    return (now or _wall)()


def _wall() -> datetime:
    return datetime.now(UTC)


def timed_parts(obj: dict[str, Any]) -> list[Any]:
    """The parts of an object that carry its times: metadata, spec and status, container
    states, conditions, an event's own fields (not all are dicts)."""
    status = obj.get("status")
    parts = [obj, obj.get("metadata"), obj.get("spec"), status]
    if isinstance(status, dict):
        for key in ("containerStatuses", "initContainerStatuses"):
            for container in _dicts(status.get(key)):
                for state in _dicts([container.get("state"), container.get("lastState")]):
                    parts.extend(state.values())
        parts.extend(_dicts(status.get("conditions")))
    return parts


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def moment(value: object) -> datetime | None:
    """An RFC 3339 time as the API writes it, or None."""
    if not isinstance(value, str) or not value[:1].isdigit():
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def written(obj: dict[str, Any]) -> Iterable[datetime]:
    """Every moment the object writes under a time key."""
    for part in timed_parts(obj):
        if isinstance(part, dict):
            for key, value in part.items():
                when = moment(value) if str(key).endswith(TIME_KEYS) else None
                if when is not None:
                    yield when


def newest(objects: Iterable[dict[str, Any]]) -> datetime | None:
    """The newest moment the objects write, or None."""
    return max((when for obj in objects for when in written(obj)), default=None)
