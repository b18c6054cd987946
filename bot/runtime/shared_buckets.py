"""Token-bucket state shared by the worker processes of one replica (KUBEMEDIC_WORKER_PROCESSES).

A fixed table in shared memory, made before the workers are forked: each
slot holds a key's digest, its tokens and when they were counted. A worker
reads and writes a slot under a POSIX record lock on a file the workers
share (the kernel drops a dead process's lock, so a killed worker cannot
leave the table locked). Keys probe a few slots from their hash; a key that
finds neither its slot nor a free one takes the slot counted longest ago (a
bucket that old is full again, or nearly: at worst that key starts full).
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import struct
import tempfile
from collections.abc import Callable
from typing import IO

SLOTS = 65_536
PROBES = 8
_SLOT = struct.Struct("16sdd")  # key digest, tokens, when counted (monotonic seconds)
_EMPTY = bytes(16)

Bucket = tuple[float, float]
"""(tokens, when counted)."""


class SharedBuckets:
    """Buckets by key, shared across forked processes (made in the parent, used in the children)."""

    def __init__(self, slots: int = SLOTS) -> None:
        self.slots = slots
        self._memory = mmap.mmap(-1, slots * _SLOT.size)  # anonymous and shared: inherited by fork
        self._lock_file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the workers

    def update(self, key: str, change: Callable[[Bucket | None], Bucket]) -> Bucket:
        """Replace `key`'s bucket (None: none yet) with `change(bucket)`, atomically across processes."""
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        fd = self._lock_file.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            at, bucket = self._find(digest)
            new = change(bucket)
            _SLOT.pack_into(self._memory, at * _SLOT.size, digest, *new)
            return new
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def read(self, key: str) -> Bucket | None:
        """`key`'s bucket as last counted (None: none)."""
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        fd = self._lock_file.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            return self._find(digest)[1]
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def _find(self, digest: bytes) -> tuple[int, Bucket | None]:
        """The slot of `digest` and its bucket; else a free slot, else the one counted longest ago."""
        start = int.from_bytes(digest[:8], "little") % self.slots
        oldest, oldest_at = start, float("inf")
        for probe in range(PROBES):
            at = (start + probe) % self.slots
            held, tokens, counted = _SLOT.unpack_from(self._memory, at * _SLOT.size)
            if held == digest:
                return at, (tokens, counted)
            if held == _EMPTY:
                return at, None
            if counted < oldest_at:
                oldest, oldest_at = at, counted
        return oldest, None
