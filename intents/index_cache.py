"""Keep a built catalog index on disk so a command starts at once, whatever the catalog size.

Reading a catalog (YAML, validation, the regex safety checks) and building its index
(about 50 µs per symptom) costs about half a second of CPU for the built-in catalog and
seconds for a 10,000-entry one; loading the pickled index costs about 20 ms for the
built-in one.  The cache is keyed by the name, size and modification time of every
catalog file plus the index format, so any edit rebuilds it; the newest `KEEP` indexes
are kept (one per combination of catalog directories).  It is a pickle, so it lives only
in a private directory (mode 0700, owned by the current user); anything else is ignored,
never loaded.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import stat
import sys
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from intents.index import CatalogIndex, collector_paused
from intents.loaded import CatalogProblem
from intents.loader import BUILTIN_CATALOG_DIR, load_catalog
from intents.messages.formats import MessageFormat, format_folders, load_formats, preload_formats
from intents.packs import builtin_packs, packs_in
from intents.policy import POLICY

log = logging.getLogger(__name__)

INDEX_FORMAT = "kubemedic-index-32"  # bump when the index's shape changes (history: git log)
KEEP = 8  # indexes kept in the cache directory, the most recently used


def catalog_signature(directories: list[Path], packs_off: Collection[str] = ()) -> str:
    """A digest of every catalog file's and message format file's name, size and mtime, in load
    order, and of the packs switched off."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}|{sys.version_info[:2]}|{POLICY.index_key()}".encode())
    digest.update(f"off:{sorted(packs_off)}".encode())
    for directory in _signed_folders(directories):
        digest.update(f"dir:{Path(directory).resolve()}".encode())
        try:
            with os.scandir(directory) as found:
                names = sorted(e.name for e in found if e.name.endswith((".yaml", ".yml")))
            for name in names:
                info = os.stat(Path(directory) / name)
                digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}".encode())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def _signed_folders(directories: list[Path]) -> list[Path]:
    """Every folder whose YAML files make the index: formats, the core, each pack's parts."""
    packs = [*builtin_packs(), *(p for d in directories for p in packs_in(Path(d)))]
    folders = [*format_folders(), BUILTIN_CATALOG_DIR, *map(Path, directories)]
    return folders + [part for p in packs for part in (p.folder, p.entries)]


def _private_dir(cache_dir: Path) -> bool:
    try:
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = cache_dir.stat()
    except OSError:
        return False
    owned = info.st_uid == os.getuid()
    return owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load_index(
    directories: list[Path], *, cache_dir: Path | None, packs_off: Collection[str] = ()
) -> tuple[CatalogIndex, tuple[CatalogProblem, ...]]:
    """The index of the merged catalog, from the cache when it is current. The message formats
    (intents/messages/data) are kept with it: reading their YAML costs more than the index."""
    usable = cache_dir is not None and _private_dir(cache_dir)
    signature = catalog_signature(directories, packs_off)
    path = cache_dir / f"{signature}.pickle" if usable and cache_dir else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle, collector_paused():
                index, problems, formats = pickle.load(handle)
            gc.freeze()  # a long-lived index: keep it out of every later collection
            os.utime(path)  # recently used: kept when the directory is pruned
            _preload(formats)
            return index, problems
        except Exception:  # noqa: BLE001 - a corrupt cache is rebuilt, never fatal
            log.warning("ignoring unreadable catalog index cache %s", path)
    catalog = load_catalog(directories, packs_off=packs_off)
    index = CatalogIndex(sorted(catalog.entries.values(), key=lambda entry: entry.id))
    problems = tuple(catalog.problems)
    if path is not None:
        _save(path, (index, problems, _uncompiled(load_formats())))
        _prune(path.parent)
    return index, problems


def _uncompiled(formats: tuple[MessageFormat, ...]) -> tuple[MessageFormat, ...]:
    """Copies without the patterns compiled so far (a format compiles its own on first use): a
    process that matched before it built the index would otherwise store every compiled RE2
    pattern, and each later start would compile them all again while unpickling."""
    return tuple(replace(fmt) for fmt in formats)


def _preload(formats: object) -> None:
    if not isinstance(formats, tuple) or not all(isinstance(fmt, MessageFormat) for fmt in formats):
        raise TypeError("not a tuple of message formats")
    preload_formats(formats)


def _save(path: Path, payload: object) -> None:
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("cannot write catalog index cache %s: %s", path, exc)
        temporary.unlink(missing_ok=True)


def _prune(cache_dir: Path) -> None:
    """Keep the `KEEP` most recently used indexes (each edit or new directory adds one)."""
    try:
        found = sorted(cache_dir.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in found[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # another process pruned first, or the directory went away
        log.debug("cannot prune catalog index cache %s: %s", cache_dir, exc)
