"""Times in recorded outputs: kubectl's ages (`93s`, `2m3s`, `108d`) and describe's dates.

A table says how long ago something happened, relative to when it was recorded;
describe prints absolute dates (`Fri, 28 Nov 2025 15:31:20 +0800`).  Both are kept
as a `Stamp` until every output is read: where one object shows both (a table's
AGE and describe's CreationTimestamp), they say when the outputs were recorded; else
the newest date they show does. Ages are placed before that moment and dates stay as
written, so every age, "since" and "long ago" is judged on the recording's one clock,
whatever day it is read (`Clock`).
"""

from __future__ import annotations

import functools
import re
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from bot.cluster.moments import timed_parts, written

_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 365 * 86400}
_AGE = re.compile(r"^(?:\d{1,6}[smhdy]){1,4}$")
_PART = re.compile(r"(\d{1,6})([smhdy])")
_DATE_FORMATS = (
    "%a, %d %b %Y %H:%M:%S %z",
    "%a %b %d %H:%M:%S %Z %Y",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%d %H:%M:%S %z",
)


@dataclass(frozen=True)
class Stamp:
    """A moment, as seconds before the recording (`ago`) or as an absolute date (`at`)."""

    ago: float | None = None
    at: datetime | None = None


@functools.lru_cache(maxsize=4096)
def age_seconds(text: str) -> float | None:
    """Seconds of a kubectl age (`93s`, `2m3s`, `3h5m`, `108d`, `2y30d`), or None."""
    text = text.strip()
    if not _AGE.match(text):
        return None
    return float(sum(int(n) * _UNIT[u] for n, u in _PART.findall(text)))


def ago(text: str) -> Stamp | None:
    seconds = age_seconds(text)
    return None if seconds is None else Stamp(ago=seconds)


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
_RFC1123Z = re.compile(
    r"^\w{3}, (\d{1,2}) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$"
)


def _describe_date(text: str) -> datetime | None:
    """describe's `Mon, 02 Mar 2026 11:00:00 +0100`, without strptime (a node has dozens)."""
    m = _RFC1123Z.match(text)
    if m is None or m[2] not in _MONTHS:
        return None
    offset = timedelta(hours=int(m[8]), minutes=int(m[9])) * (1 if m[7] == "+" else -1)
    try:
        return datetime(
            int(m[3]),
            _MONTHS[m[2]],
            int(m[1]),
            int(m[4]),
            int(m[5]),
            int(m[6]),
            tzinfo=timezone(offset),
        )
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> datetime | None:
    """An absolute date as describe, the API or systemd print it; None if it is none of those."""
    text = text.strip()
    if not text or text.startswith("<"):
        return None
    if (when := _describe_date(text)) is not None:
        return when
    for fmt in _DATE_FORMATS:
        try:
            when = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def at(text: str) -> Stamp | None:
    when = parse_date(text)
    return None if when is None else Stamp(at=when)


class Clock:
    """Turns stamps into RFC 3339 strings on the recording's own clock.

    A recording is judged at the moment it was made: `at` when the person says so (`--at`),
    else what its views say (an age and a date of the same moment), else its newest date. Ages
    are placed before that moment; dates stay as written. The wall clock (`fallback`) is read
    only for a recording that shows no date at all, where every time is relative anyway."""

    def __init__(self, at: datetime | None = None, *, fallback: datetime | None = None) -> None:
        self.given = at
        self.samples: list[float] = []
        self.newest: datetime | None = None
        self.recorded_at: datetime | None = at
        """When the recording was made, as given or as it says (None: it shows no date)."""
        self.now = at or fallback or datetime.now(UTC)
        """The moment it is judged at: when it was made, else the wall clock (ages only)."""

    def pair(self, one: Stamp, other: Stamp) -> None:
        """Two views of the same moment, one relative and one absolute: a recording-time sample."""
        rel, absolute = (one, other) if one.ago is not None else (other, one)
        if rel.ago is not None and absolute.at is not None:
            self.samples.append(absolute.at.timestamp() + rel.ago)

    def saw(self, when: datetime) -> None:
        """A date the recording shows: the recording was made at or after it."""
        if self.newest is None or when > self.newest:
            self.newest = when

    def settle(self) -> None:
        """Fix the recording's moment once every view is read."""
        if self.given is not None:
            return
        told = (
            datetime.fromtimestamp(statistics.median(self.samples), UTC) if self.samples else None
        )
        known = [when for when in (told, self.newest) if when is not None]
        self.recorded_at = max(known) if known else None
        self.now = self.recorded_at or self.now

    def text(self, stamp: Stamp) -> str:
        if stamp.ago is not None:
            when = self.now - timedelta(seconds=stamp.ago)
        else:
            when = stamp.at or self.now
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def collect(self, obj: dict[str, Any]) -> None:
        """Note the dates an object shows (described, or as the API writes them)."""
        for part in timed_parts(obj):
            if isinstance(part, dict):
                for value in part.values():
                    if isinstance(value, Stamp) and value.at is not None:
                        self.saw(value.at)
        for when in written(obj):
            self.saw(when)

    def resolve(self, obj: dict[str, Any]) -> None:
        """Replace, in place, the Stamps of an object by their text, where the parsers put them:
        metadata, spec and status times, container states, conditions, an event's times."""
        for part in timed_parts(obj):
            if isinstance(part, dict):
                for key, value in part.items():
                    if isinstance(value, Stamp):
                        part[key] = self.text(value)
