"""The catalog entries an index holds, compact when the catalog is large.

A 10,000-entry catalog is mostly prose (root causes, fix steps, links) that
only the few matched entries ever need.  Above a size threshold each entry
is kept as a zlib-compressed pickle and rebuilt on access (with a small cache),
which keeps a large catalog's resident memory to a fraction; small catalogs
keep their models as they are.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import overload

from intents.schema import CatalogEntry

COMPACT_ABOVE = 2_000
CACHE_ENTRIES = 512


class EntryStore(Sequence[CatalogEntry]):
    """A read-only sequence of entries, compressed in memory above COMPACT_ABOVE."""

    def __init__(self, entries: Sequence[CatalogEntry]) -> None:
        self.ids = [entry.id for entry in entries]
        self.number_of = {entry_id: number for number, entry_id in enumerate(self.ids)}
        self.fallback = [entry.fallback for entry in entries]
        self.explains = [self._numbers(entry.explains) for entry in entries]
        """Per entry, the numbers of the entries it declares it explains."""
        self.outranks = [self._numbers(entry.outranks) for entry in entries]
        """Per entry, the numbers of the entries it leads at equal strength."""
        self._live: list[CatalogEntry] | None = None
        self._packed: list[bytes] = []
        if len(entries) > COMPACT_ABOVE:
            self._packed = [zlib.compress(pickle.dumps(entry), 6) for entry in entries]
        else:
            self._live = list(entries)

    def _numbers(self, entry_ids: Sequence[str]) -> frozenset[int]:
        """The numbers of those ids that name entries of this store (others are ignored)."""
        return frozenset(
            self.number_of[entry_id] for entry_id in entry_ids if entry_id in self.number_of
        )

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, number: int) -> CatalogEntry: ...

    @overload
    def __getitem__(self, number: slice) -> Sequence[CatalogEntry]: ...

    def __getitem__(self, number: int | slice) -> CatalogEntry | Sequence[CatalogEntry]:
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self)))]
        if self._live is not None:
            return self._live[number]
        return _inflate(self._packed[number])

    def __iter__(self) -> Iterator[CatalogEntry]:
        if self._live is not None:
            return iter(self._live)
        return (self[number] for number in range(len(self)))

    def __getstate__(self) -> dict[str, object]:
        return dict(self.__dict__)


@lru_cache(maxsize=CACHE_ENTRIES)
def _inflate(packed: bytes) -> CatalogEntry:
    entry: CatalogEntry = pickle.loads(
        zlib.decompress(packed)
    )  # packed above from validated entries
    return entry
