"""Catalog packs: one component's knowledge kept together, added, reviewed and switched off whole.

A pack is a folder holding a manifest (`pack.yaml`: its name, what it covers and the component
versions it was written against), its entries (`entries/<id>.yaml`, the catalog's own schema),
the component's own log lines (`messages/*.yaml`, message formats as in intents/messages/data),
and its cases (`cases/<id>/*.txt`, pastes that entry must answer). The built-in packs live in
`intents/catalog/packs/`; a team's pack is a folder of the same shape named in
KUBEMEDIC_CATALOG_DIRS (the folder itself, or a folder of packs). Packs are read by
intents.loader, with the same rules as the core catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from intents.checked import Checked, Strict
from intents.schema import ENTRY_ID, Link, NonEmptyText

PACKS_DIR = Path(__file__).parent / "catalog" / "packs"
MANIFEST = "pack.yaml"
ENTRIES, MESSAGES, CASES = "entries", "messages", "cases"


@dataclass(frozen=True, kw_only=True)
class ComponentVersions(Strict):
    """A component the pack was written against and the releases its text was checked with."""

    name: NonEmptyText
    versions: NonEmptyText
    """The releases, as the project numbers them ("1.18-1.24", "v2.x")."""


@dataclass(frozen=True, kw_only=True)
class PackManifest(Strict):
    """`pack.yaml`: what the pack covers."""

    name: Annotated[str, Checked(pattern=ENTRY_ID)]
    title: NonEmptyText
    description: NonEmptyText
    components: Annotated[list[ComponentVersions], Checked(min_length=1)]
    links: list[Link] = field(default_factory=list)
    """The component's own troubleshooting documentation."""
    overrides: list[Annotated[str, Checked(pattern=ENTRY_ID)]] = field(default_factory=list)
    """Built-in entries a team's pack replaces on purpose (same id); any other entry of the pack
    with a built-in id is refused, so a pack cannot swap a core entry's fix or buttons unseen."""

    def versions(self) -> str:
        """The components and their versions in one phrase ("istio 1.18-1.24, envoy 1.26+")."""
        return ", ".join(f"{c.name} {c.versions}" for c in self.components)


@dataclass(frozen=True)
class PackFolder:
    """A pack's folder and where each part of it lives."""

    folder: Path
    builtin: bool

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def entries(self) -> Path:
        return self.folder / ENTRIES

    @property
    def messages(self) -> Path:
        return self.folder / MESSAGES

    def entry_ids(self) -> list[str]:
        """The ids its entry files name (a file is named after its entry id)."""
        return sorted(path.stem for path in self.entries.glob("*.y*ml"))

    def cases(self) -> list[tuple[Path, str]]:
        """(paste, the entry id that must answer it) for each of its cases."""
        return sorted((path, path.parent.name) for path in (self.folder / CASES).glob("*/*.txt"))


def undeclared(entry_id: str) -> str:
    """Why a team pack's entry with a built-in id is not loaded."""
    return (
        f"replaces the built-in entry {entry_id!r} (its fix and buttons) without "
        f"`overrides: [{entry_id}]` in the pack's pack.yaml: not loaded, the built-in one stays"
    )


def is_pack(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def packs_in(directory: Path, *, builtin: bool = False) -> list[PackFolder]:
    """The packs a catalog directory holds: itself when it is one, else each sub-folder that is."""
    if is_pack(directory):
        return [PackFolder(directory, builtin)]
    try:
        folders = sorted(path for path in directory.iterdir() if path.is_dir())
    except OSError:
        return []
    return [PackFolder(folder, builtin) for folder in folders if is_pack(folder)]


def builtin_packs() -> list[PackFolder]:
    """The packs shipped with kubemedic."""
    return packs_in(PACKS_DIR, builtin=True)


def builtin_entry_files() -> list[Path]:
    """Every built-in entry file: the core catalog's, then each pack's."""
    core = sorted(PACKS_DIR.parent.glob("*.y*ml"))
    return core + [path for pack in builtin_packs() for path in sorted(pack.entries.glob("*.y*ml"))]
