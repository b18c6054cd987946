"""Load catalog directories and collect every problem in them.

Loading never stops at the first bad file: `kubemedic catalog check` must
list every problem at once, and the bot must be able to start on the good
entries while reporting the broken ones.  Later directories override
earlier ones entry by entry (same id = override), so a team can replace a
built-in entry with its own runbook.

Packs (intents.packs) are read after the core catalog, each under the same rules; a pack named
in `packs_off` is listed but not loaded, and the entries it holds may be named by others'
`explains`/`outranks` without a problem (they are simply absent).

Only regular files are read (a symlink to one is fine: a ConfigMap volume is
made of them), and never more than MAX_ENTRY_FILE_BYTES of one: an entry
that is a FIFO would block the read forever and a symlink to /dev/zero would
read gigabytes, so each is reported as a problem of its file and skipped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from intents.alert_map import claim_conflicts
from intents.causality import causal_problems
from intents.checked import validate
from intents.fix_values import problems as example_values
from intents.packs import MANIFEST, PACKS_DIR, PackFolder, PackManifest, builtin_packs, packs_in
from intents.schema import CatalogEntry
from intents.walk_table import walk_conflicts
from intents.watch_table import table_conflicts

BUILTIN_CATALOG_DIR = Path(__file__).parent / "catalog"
MAX_ENTRY_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong with one catalog file."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class LoadedPack:
    """A pack as read: its manifest (None when unreadable), its entry ids, whether it is off."""

    folder: PackFolder
    manifest: PackManifest | None
    entry_ids: tuple[str, ...]
    cases: int
    off: bool


@dataclass
class LoadedCatalog:
    """Valid entries by id, plus everything that was wrong."""

    entries: dict[str, CatalogEntry] = field(default_factory=dict)
    origins: dict[str, Path] = field(default_factory=dict)
    problems: list[CatalogProblem] = field(default_factory=list)
    packs: dict[str, LoadedPack] = field(default_factory=dict)
    """Every pack found, in load order (switched off ones too), by name."""

    def pack_of(self, entry_id: str) -> str | None:
        """The pack an entry comes from (None: the core catalog or a plain directory)."""
        return next((n for n, p in self.packs.items() if entry_id in p.entry_ids), None)


def load_catalog(
    extra_dirs: list[Path] | tuple[Path, ...] = (), *, packs_off: Collection[str] = ()
) -> LoadedCatalog:
    """Load the built-in catalog and packs, then each extra directory (and its packs) over it."""
    loaded = LoadedCatalog()
    builtin: dict[str, Path] = {}  # core and built-in packs: one id once among them all
    _load_directory(BUILTIN_CATALOG_DIR, loaded, builtin)
    for pack in builtin_packs():
        _load_pack(pack, loaded, packs_off, builtin)
    for directory in map(Path, extra_dirs):
        _load_directory(directory, loaded, {})
        for pack in packs_in(directory):
            _load_pack(pack, loaded, packs_off, {})
    absent = {i for p in loaded.packs.values() if p.off for i in p.entry_ids} - set(loaded.entries)
    for entry_id, message in [
        *claim_conflicts(loaded.entries.values()),
        *causal_problems(loaded.entries.values(), absent=absent),
        *table_conflicts(loaded.entries.values()),
        *walk_conflicts(loaded.entries.values()),
        *example_values(loaded.entries.values()),
    ]:
        loaded.problems.append(CatalogProblem(loaded.origins[entry_id], message))
    loaded.problems += pack_problems(loaded, packs_off)
    return loaded


def _load_directory(directory: Path, loaded: LoadedCatalog, seen: dict[str, Path]) -> None:
    if not directory.is_dir():
        loaded.problems.append(CatalogProblem(directory, "not a readable directory"))
        return
    for path in sorted(directory.glob("*.y*ml")):
        if path.name == MANIFEST:
            continue  # a pack's manifest (read by _load_pack), not an entry
        entry = _load_file(path, loaded.problems)
        if entry is None:
            continue
        if entry.id in seen:
            loaded.problems.append(
                CatalogProblem(
                    path, f"duplicate id {entry.id!r} (also in {_shown(seen[entry.id])})"
                )
            )
            continue
        seen[entry.id] = path
        loaded.entries[entry.id] = entry
        loaded.origins[entry.id] = path


def _shown(path: Path) -> str:
    """A file's name, with its pack when it is in one (`istio/entries/x.yaml`)."""
    return "/".join(path.parts[-3:]) if path.parent.name == "entries" else path.name


def _load_pack(
    pack: PackFolder, loaded: LoadedCatalog, off: Collection[str], seen: dict[str, Path]
) -> None:
    manifest = read_manifest(pack, loaded.problems)
    name = manifest.name if manifest is not None else pack.name
    switched_off = name in off
    if name in loaded.packs:
        loaded.problems.append(
            CatalogProblem(
                pack.folder, f"pack {name!r} is also at {loaded.packs[name].folder.folder}"
            )
        )
        return
    loaded.packs[name] = LoadedPack(
        pack, manifest, tuple(pack.entry_ids()), len(pack.cases()), switched_off
    )
    if manifest is not None and not switched_off:
        _load_directory(pack.entries, loaded, seen)


def pack_problems(loaded: LoadedCatalog, packs_off: Collection[str]) -> list[CatalogProblem]:
    """What `catalog check` refuses in packs beyond their entries' own rules: a pack with no
    entry, a case naming an entry the catalog lacks or holding nothing, and a name in
    KUBEMEDIC_CATALOG_PACKS_OFF that is no pack."""
    problems: list[CatalogProblem] = []
    absent = {i for p in loaded.packs.values() if p.off for i in p.entry_ids}
    for pack in loaded.packs.values():
        if not pack.entry_ids:
            problems.append(CatalogProblem(pack.folder.entries, "the pack holds no entry"))
        for path, entry_id in [] if pack.off else pack.folder.cases():
            if entry_id not in loaded.entries and entry_id not in absent:
                problems.append(CatalogProblem(path, f"a case of {entry_id!r}, which is no entry"))
            elif not path.read_bytes().strip():
                problems.append(CatalogProblem(path, "an empty case"))
    unknown = sorted(set(packs_off) - set(loaded.packs))
    if unknown:
        problems.append(
            CatalogProblem(
                PACKS_DIR, f"KUBEMEDIC_CATALOG_PACKS_OFF names no pack: {', '.join(unknown)}"
            )
        )
    return problems


def read_manifest(pack: PackFolder, problems: list[CatalogProblem]) -> PackManifest | None:
    """The pack's `pack.yaml`, or None with its problems recorded."""
    document = _read_yaml(pack.folder / MANIFEST, problems)
    if document is None:
        return None
    from pydantic import ValidationError

    try:
        manifest = validate(PackManifest, document)
    except ValidationError as exc:
        problems.extend(CatalogProblem(pack.folder / MANIFEST, _describe(e)) for e in exc.errors())
        return None
    if manifest.name != pack.name:
        problems.append(
            CatalogProblem(pack.folder / MANIFEST, f"name must be the folder's ({pack.name})")
        )
    return manifest


def _load_file(path: Path, problems: list[CatalogProblem]) -> CatalogEntry | None:
    from pydantic import ValidationError  # here: the cached index holds validated entries

    document = _read_yaml(path, problems)
    if document is None:
        return None
    try:
        entry = validate(CatalogEntry, document)
    except ValidationError as exc:
        problems.extend(CatalogProblem(path, _describe(error)) for error in exc.errors())
        return None
    if path.stem != entry.id:
        problems.append(CatalogProblem(path, f"file name must be the entry id ({entry.id}.yaml)"))
    return entry


def _read_yaml(path: Path, problems: list[CatalogProblem]) -> dict[str, object] | None:
    """A catalog file's mapping, or None with its problem recorded."""
    import yaml  # here, not at start-up: a catalog read from the index cache needs no YAML

    try:
        text = _read_entry_file(path)
        if text is None:
            problems.append(
                CatalogProblem(
                    path, "not a regular file (a FIFO, device, socket or folder): skipped"
                )
            )
            return None
        if len(text) > MAX_ENTRY_FILE_BYTES:
            problems.append(
                CatalogProblem(path, f"file larger than {MAX_ENTRY_FILE_BYTES} bytes: skipped")
            )
            return None
        document = yaml.load(
            text.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(CatalogProblem(path, f"cannot read: {exc}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(CatalogProblem(path, f"invalid YAML: {_one_line(str(exc))}"))
        return None
    if not isinstance(document, dict):
        problems.append(CatalogProblem(path, "expected a mapping with id, title, symptoms, ..."))
        return None
    return document


def _read_entry_file(path: Path) -> bytes | None:
    """At most MAX_ENTRY_FILE_BYTES + 1 bytes of a regular file (None for anything else); opened
    without blocking, so a FIFO is turned away instead of waited on."""
    descriptor = os.open(
        path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(MAX_ENTRY_FILE_BYTES + 1)
    finally:
        os.close(descriptor)


def _describe(error: object) -> str:
    details = error if isinstance(error, dict) else {}
    where = ".".join(str(part) for part in details.get("loc", ())) or "entry"
    if details.get("type") == "unexpected_keyword_argument":
        return f"{where}: unknown key (not part of the catalog schema; a typo?)"
    message = str(details.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
