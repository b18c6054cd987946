"""Load catalog directories and collect every problem in them.

Loading never stops at the first bad file: `kubemedic catalog check` must
list every problem at once, and the bot must be able to start on the good
entries while reporting the broken ones.  Later directories override
earlier ones entry by entry (same id = override), so a team can replace a
built-in entry with its own runbook.

Packs (intents.packs) are read after the core catalog, each under the same rules; a pack named
in `packs_off` is listed but not loaded, and the entries it holds may be named by others'
`explains`/`outranks` without a problem (they are simply absent).

Files are read through intents.catalog_files (regular files only, never more than a cap), and
each problem names its file and, where the file says it, the line.  What `catalog check`
refuses in packs beyond the entries' own rules is intents.pack_checks'.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from intents.alert_map import claim_conflicts
from intents.catalog_files import MAX_ENTRY_FILE_BYTES, UnreadableFile, line_of, read_guarded
from intents.causality import causal_problems
from intents.checked import validate
from intents.fix_values import problems as example_values
from intents.index import collector_paused
from intents.loaded import CatalogProblem, LoadedCatalog, LoadedPack
from intents.pack_checks import pack_problems
from intents.packs import MANIFEST, PackFolder, PackManifest, builtin_packs, packs_in, undeclared
from intents.regex_engine import regexes_proven
from intents.schema import CatalogEntry
from intents.walk_table import walk_conflicts
from intents.watch_table import table_conflicts

BUILTIN_CATALOG_DIR = Path(__file__).parent / "catalog"
T = TypeVar("T")
SET_BY_LOADER = ("pack", "team")
"""Entry fields the loader sets from where the file is; a file that writes one is refused."""


@collector_paused()
def load_catalog(
    extra_dirs: list[Path] | tuple[Path, ...] = (), *, packs_off: Collection[str] = ()
) -> LoadedCatalog:
    """Load the built-in catalog and packs, then each extra directory (and its packs) over it."""
    loaded = LoadedCatalog()
    builtin: dict[str, Path] = {}  # core and built-in packs: one id once among them all
    with regexes_proven():  # the built-in catalog's regexes are compiled by the fast tier
        _load_directory(BUILTIN_CATALOG_DIR, loaded, builtin)
        for pack in builtin_packs():
            _load_pack(pack, loaded, packs_off, builtin)
    for directory in map(Path, extra_dirs):
        _load_directory(directory, loaded, {}, team=True)
        for pack in packs_in(directory):
            _load_pack(pack, loaded, packs_off, {}, builtin=builtin)
    absent = {i for p in loaded.packs.values() if p.off for i in p.entry_ids} - set(loaded.entries)
    for entry_id, message in [
        *claim_conflicts(loaded.entries.values()),
        *causal_problems(loaded.entries.values(), absent=absent),
        *table_conflicts(loaded.entries.values()),
        *walk_conflicts(loaded.entries.values()),
        *example_values(loaded.entries.values()),
    ]:
        path = loaded.origins[entry_id]
        loaded.problems.append(CatalogProblem(path, message, line_of(path, _named_key(message))))
    loaded.problems += pack_problems(loaded, packs_off)
    return loaded


def _load_directory(
    directory: Path,
    loaded: LoadedCatalog,
    seen: dict[str, Path],
    *,
    team: bool = False,
    pack: str | None = None,
    protected: Collection[str] = (),
) -> list[str]:
    """Load a directory's entries (`team`: from KUBEMEDIC_CATALOG_DIRS, `pack`: the pack they are
    in); an id in `seen` is a duplicate, one in `protected` a built-in entry a team's pack may not
    replace (its manifest does not declare it). Returns the ids loaded."""
    if not directory.is_dir():
        loaded.problems.append(CatalogProblem(directory, "not a readable directory"))
        return []
    ids: list[str] = []
    for path in sorted(directory.glob("*.y*ml")):
        if path.name == MANIFEST:
            continue  # a pack's manifest (read by _load_pack), not an entry
        entry = _load_file(path, loaded.problems)
        if entry is None:
            continue
        if entry.id in protected:
            loaded.problems.append(
                CatalogProblem(path, undeclared(entry.id), line_of(path, ["id"]))
            )
            continue
        if entry.id in seen:
            also = _shown(seen[entry.id])
            loaded.problems.append(
                _at_key(path, "id", f"duplicate id {entry.id!r} (also in {also})")
            )
            continue
        seen[entry.id] = path
        loaded.entries[entry.id] = replace(entry, pack=pack, team=team)
        loaded.origins[entry.id] = path
        ids.append(entry.id)
    return ids


def _shown(path: Path) -> str:
    """A file's name, with its pack when it is in one (`istio/entries/x.yaml`)."""
    return "/".join(path.parts[-3:]) if path.parent.name == "entries" else path.name


def _load_pack(
    pack: PackFolder,
    loaded: LoadedCatalog,
    off: Collection[str],
    seen: dict[str, Path],
    *,
    builtin: dict[str, Path] | None = None,
) -> None:
    """Load a pack's entries; a team's pack (`builtin`: the built-in ids) may replace a built-in
    entry only where its manifest says `overrides: [id]` (intents.pack_checks)."""
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
    valid: list[str] = []
    if manifest is not None and not switched_off:
        protected = set(builtin or ()) - set(manifest.overrides)
        valid = _load_directory(
            pack.entries, loaded, seen, team=builtin is not None, pack=name, protected=protected
        )
    loaded.packs[name] = LoadedPack(
        pack,
        manifest,
        tuple(pack.entry_ids()),
        len(pack.cases()),
        switched_off,
        tuple(valid),
    )


def read_manifest(pack: PackFolder, problems: list[CatalogProblem]) -> PackManifest | None:
    """The pack's `pack.yaml`, or None with its problems recorded."""
    path = pack.folder / MANIFEST
    manifest = _validated(PackManifest, path, problems)
    if manifest is not None and manifest.name != pack.name:
        problems.append(_at_key(path, "name", f"name must be the folder's ({pack.name})"))
    return manifest


def _load_file(path: Path, problems: list[CatalogProblem]) -> CatalogEntry | None:
    entry = _validated(CatalogEntry, path, problems, refused=SET_BY_LOADER)
    if entry is not None and path.stem != entry.id:
        problems.append(_at_key(path, "id", f"file name must be the entry id ({entry.id}.yaml)"))
    return entry


def _validated(
    cls: type[T], path: Path, problems: list[CatalogProblem], *, refused: Sequence[str] = ()
) -> T | None:
    """The file's mapping validated as `cls`, or None with its problems recorded; a key of
    `refused` (set by the loader, never written) is a problem of its own."""
    from pydantic import ValidationError  # here: the cached index holds validated entries

    document = _read_yaml(path, problems)
    if document is None:
        return None
    written = [key for key in refused if key in document]
    problems.extend(
        _at_key(
            path, key, f"{key}: set from where the file is (its pack, its directory); remove it"
        )
        for key in written
    )
    if written:
        return None
    try:
        return validate(cls, document)
    except ValidationError as exc:
        problems.extend(_validation_problem(path, error) for error in exc.errors())
        return None


def _at_key(path: Path, key: str, message: str) -> CatalogProblem:
    """A problem of a file, on the line of its top-level `key`."""
    return CatalogProblem(path, message, line_of(path, [key]))


def _read_yaml(path: Path, problems: list[CatalogProblem]) -> dict[str, object] | None:
    """A catalog file's mapping, or None with its problem recorded."""
    import yaml  # here, not at start-up: a catalog read from the index cache needs no YAML

    try:
        text = read_guarded(path, MAX_ENTRY_FILE_BYTES)
        document = yaml.load(
            text.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    except UnreadableFile as exc:
        problems.append(CatalogProblem(path, str(exc)))
        return None
    except UnicodeDecodeError as exc:
        problems.append(CatalogProblem(path, f"cannot read: {exc}"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(CatalogProblem(path, f"invalid YAML: {_one_line(str(exc))}", line))
        return None
    if not isinstance(document, dict):
        problems.append(CatalogProblem(path, "expected a mapping with id, title, symptoms, ..."))
        return None
    return document


def _validation_problem(path: Path, error: object) -> CatalogProblem:
    """One pydantic error as a problem of its file, on the line of the key it is about."""
    details: Mapping[str, Any] = error if isinstance(error, dict) else {}
    loc: Sequence[str | int] = tuple(details.get("loc", ()))
    message = _describe(details)
    return CatalogProblem(path, message, line_of(path, loc or _named_key(message)))


def _describe(details: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in details.get("loc", ())) or "entry"
    if details.get("type") == "unexpected_keyword_argument":
        return f"{where}: unknown key (not part of the catalog schema; a typo?)"
    message = str(details.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}"


_NAMED_KEY = re.compile(r"^(?:entry: )?([a-z_]+)(?:\[(\d+)\]| step (\d+))?")


def _named_key(message: str) -> tuple[str | int, ...]:
    """The key path a problem's text starts with (`fix step 2 ...` -> fix.1, `excludes[0] ...`
    -> excludes.0, `explains: ...` -> explains)."""
    found = _NAMED_KEY.match(message)
    if found is None:
        return ()
    number = found.group(2) or found.group(3)
    if number is None:
        return (found.group(1),)
    return (found.group(1), int(number) - (1 if found.group(3) else 0))


def _one_line(text: str) -> str:
    return " ".join(text.split())
