"""What loading the catalog gives: the valid entries, where each came from, every pack found and
every problem. Its own module so that the loader and the pack checks both use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from intents.packs import PackFolder, PackManifest
from intents.schema import CatalogEntry


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong with one catalog file (and the line it is on, where the file says)."""

    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class LoadedPack:
    """A pack as read: its manifest (None when unreadable), the ids its entry files name, those
    that were valid and loaded, how many cases it holds, whether it is off."""

    folder: PackFolder
    manifest: PackManifest | None
    entry_ids: tuple[str, ...]
    cases: int
    off: bool
    valid: tuple[str, ...] = ()

    @property
    def rejected(self) -> tuple[str, ...]:
        """Entry files of the pack that `catalog check` refuses (not loaded)."""
        return () if self.off else tuple(i for i in self.entry_ids if i not in self.valid)


@dataclass
class LoadedCatalog:
    """Valid entries by id, plus everything that was wrong."""

    entries: dict[str, CatalogEntry] = field(default_factory=dict)
    origins: dict[str, Path] = field(default_factory=dict)
    problems: list[CatalogProblem] = field(default_factory=list)
    packs: dict[str, LoadedPack] = field(default_factory=dict)
    """Every pack found, in load order (switched off ones too), by name."""
