"""What an API server's answer redacts to, kept by the answer's digest: a body read again as it was
is not parsed and redacted again.

A storm's walks list the same namespace again and again, and a list of a few hundred pods costs
several times more to redact (every string of every object) than to read. The key is a digest of
the bytes the API server sent, so a read is never answered from what another read said: a changed
object is new bytes, redacted anew. Only redacted values are kept (the digest stands for the raw
bytes), at most `MAX_BYTES` of answers, the least recently read forgotten first. An object is
handed out as a fresh copy (its dicts and lists new, its strings shared, being immutable), so what
one reader does with it never reaches another.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

MAX_BYTES = 4 * 1024 * 1024
"""Bytes of answers (as sent) whose redacted values are kept; a larger answer is never kept."""


_CONTAINERS = (dict, list)


def fresh(value: Any) -> Any:
    """A JSON value with new dicts and lists, the same strings and numbers (a dict or list is
    copied whole at C speed, then only its containers are replaced: most of a value is leaves)."""
    if type(value) is dict:
        copied: Any = dict(value)
        for key, item in copied.items():
            if type(item) in _CONTAINERS:
                copied[key] = fresh(item)
        return copied
    if type(value) is list:
        copied = list(value)
        for number, item in enumerate(copied):
            if type(item) in _CONTAINERS:
                copied[number] = fresh(item)
        return copied
    return value


class ReadMemo:
    """Redacted values by the digest of the bytes they were read from (shared by a gateway's threads)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._max = max_bytes
        self._kept: OrderedDict[tuple[str, bytes], tuple[int, Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def value(self, how: str, raw: bytes, make: Callable[[bytes], Any]) -> Any:
        """`make(raw)` (`how` names what it makes), or a fresh copy of what it made from the same
        bytes before."""
        key = (how, hashlib.sha256(raw).digest())
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is not None:
            return fresh(kept[1])
        made = make(raw)
        if len(raw) <= self._max:
            self._keep(key, len(raw), fresh(made))
        return made

    def _keep(self, key: tuple[str, bytes], size: int, value: Any) -> None:
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = (size, value)
            self._bytes += size
            while self._bytes > self._max:
                _key, (gone, _value) = self._kept.popitem(last=False)
                self._bytes -= gone
