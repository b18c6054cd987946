"""What `kubemedic catalog check` refuses in packs beyond their entries' own rules.

A pack with no entry; a case that cannot be read (a FIFO, a device, a file over the cap), that
is empty, or that names an entry the catalog lacks (an entry whose file was rejected is named
as such, with its id, so the reader looks at that file's problems); an `overrides:` naming an
entry that is not built in or that the pack does not hold; and a name in
KUBEMEDIC_CATALOG_PACKS_OFF that is no pack.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from intents.catalog_files import UnreadableFile, line_of, read_case
from intents.loaded import CatalogProblem, LoadedCatalog, LoadedPack
from intents.packs import MANIFEST, PACKS_DIR


def pack_problems(loaded: LoadedCatalog, packs_off: Collection[str]) -> list[CatalogProblem]:
    """Every pack problem of a loaded catalog, pack by pack, then the names switched off."""
    problems: list[CatalogProblem] = []
    absent = {i for p in loaded.packs.values() if p.off for i in p.entry_ids}
    for pack in loaded.packs.values():
        if not pack.entry_ids:
            problems.append(CatalogProblem(pack.folder.entries, "the pack holds no entry"))
        if not pack.off:
            problems += case_problems(pack, loaded, absent)
            problems += override_problems(pack, loaded)
    unknown = sorted(set(packs_off) - set(loaded.packs))
    if unknown:
        problems.append(
            CatalogProblem(
                PACKS_DIR, f"KUBEMEDIC_CATALOG_PACKS_OFF names no pack: {', '.join(unknown)}"
            )
        )
    return problems


def case_problems(
    pack: LoadedPack, loaded: LoadedCatalog, absent: Collection[str] = ()
) -> list[CatalogProblem]:
    """A case of a rejected entry, of no entry, unreadable or empty."""

    problems = []
    for path, entry_id in pack.folder.cases():
        missing = case_entry_missing(pack, loaded, entry_id, absent)
        why = _unreadable(path) if missing is None else _CASE_OF[missing].format(id=entry_id)
        if why is not None:
            problems.append(CatalogProblem(path, why))
    return problems


_CASE_OF = {
    "rejected": "a case of {id!r}, whose entry was rejected (see {id}.yaml's problems)",
    "missing": "a case of {id!r}, which is no entry",
}


def case_entry_missing(
    pack: LoadedPack, loaded: LoadedCatalog, entry_id: str, absent: Collection[str] = ()
) -> str | None:
    """Why a case's entry cannot answer it: `rejected` (its file was refused), `missing` (no
    entry has that id), None (it is loaded, or its pack is off)."""
    if entry_id in loaded.entries or entry_id in absent:
        return None
    return "rejected" if entry_id in pack.rejected else "missing"


def _unreadable(path: Path) -> str | None:
    try:
        text = read_case(path)
    except UnreadableFile as exc:
        return str(exc)
    return None if text.strip() else "an empty case"


def override_problems(pack: LoadedPack, loaded: LoadedCatalog) -> list[CatalogProblem]:
    """An `overrides:` id the pack does not hold, or that no built-in entry has."""
    from intents.packs import builtin_entry_files

    if pack.manifest is None or not pack.manifest.overrides:
        return []
    manifest = pack.folder.folder / MANIFEST
    builtin = {path.stem for path in builtin_entry_files()}
    problems = []
    for number, entry_id in enumerate(pack.manifest.overrides):
        if entry_id not in builtin:
            why = f"overrides: {entry_id!r} is no built-in entry"
        elif entry_id not in pack.entry_ids:
            why = f"overrides: the pack holds no entry {entry_id!r}"
        else:
            continue
        problems.append(CatalogProblem(manifest, why, line_of(manifest, ("overrides", number))))
    return problems
