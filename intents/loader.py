"""Load catalog directories and collect every problem in them.

Loading never stops at the first bad file: `kubemedic catalog check` must
list every problem at once, and the bot must be able to start on the good
entries while reporting the broken ones.  Later directories override
earlier ones entry by entry (same id = override), so a team can replace a
built-in entry with its own runbook.

Only regular files are read (a symlink to one is fine: a ConfigMap volume is
made of them), and never more than MAX_ENTRY_FILE_BYTES of one: an entry
that is a FIFO would block the read forever and a symlink to /dev/zero would
read gigabytes, so each is reported as a problem of its file and skipped.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from intents.alert_map import claim_conflicts
from intents.causality import causal_problems
from intents.checked import validate
from intents.fix_values import problems as example_values
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


@dataclass
class LoadedCatalog:
    """Valid entries by id, plus everything that was wrong."""

    entries: dict[str, CatalogEntry] = field(default_factory=dict)
    origins: dict[str, Path] = field(default_factory=dict)
    problems: list[CatalogProblem] = field(default_factory=list)


def load_catalog(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> LoadedCatalog:
    """Load the built-in catalog, then each extra directory over it."""
    loaded = LoadedCatalog()
    for directory in (BUILTIN_CATALOG_DIR, *extra_dirs):
        _load_directory(Path(directory), loaded)
    for entry_id, message in [
        *claim_conflicts(loaded.entries.values()),
        *causal_problems(loaded.entries.values()),
        *table_conflicts(loaded.entries.values()),
        *walk_conflicts(loaded.entries.values()),
        *example_values(loaded.entries.values()),
    ]:
        loaded.problems.append(CatalogProblem(loaded.origins[entry_id], message))
    return loaded


def _load_directory(directory: Path, loaded: LoadedCatalog) -> None:
    if not directory.is_dir():
        loaded.problems.append(CatalogProblem(directory, "not a readable directory"))
        return
    seen_here: dict[str, Path] = {}
    for path in sorted(directory.glob("*.y*ml")):
        entry = _load_file(path, loaded.problems)
        if entry is None:
            continue
        if entry.id in seen_here:
            loaded.problems.append(
                CatalogProblem(
                    path, f"duplicate id {entry.id!r} (also in {seen_here[entry.id].name})"
                )
            )
            continue
        seen_here[entry.id] = path
        loaded.entries[entry.id] = entry
        loaded.origins[entry.id] = path


def _load_file(path: Path, problems: list[CatalogProblem]) -> CatalogEntry | None:
    import yaml  # here, not at start-up: a catalog read from the index cache needs no YAML
    from pydantic import ValidationError  # likewise: the cached index holds validated entries

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
    try:
        entry = validate(CatalogEntry, document)
    except ValidationError as exc:
        problems.extend(CatalogProblem(path, _describe(error)) for error in exc.errors())
        return None
    if path.stem != entry.id:
        problems.append(CatalogProblem(path, f"file name must be the entry id ({entry.id}.yaml)"))
    return entry


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
