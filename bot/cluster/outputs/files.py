"""The files of a `--from-outputs PATH`: one file, or a folder read recursively, bounded.

Recordings come as whatever people attach: `.txt`, `.log`, `.yaml`, no extension,
folders of folders.  Every regular file is read in name order (so `01-pods.txt`
comes before `02-describe.txt`, and a later view of an object is merged over an
earlier one of the same richness).  Limits keep a wrong path (a home directory, a
disk image) from being read at all: at most MAX_FILES files and MAX_TOTAL_BYTES in
all; a file with NUL bytes in its first block is binary and refused, naming it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from bot.errors import BadInput

MAX_FILES = 5000
MAX_TOTAL_BYTES = 64 * 1024 * 1024
BINARY_PROBE = 8192
_SKIPPED_NAMES = (".DS_Store", "Thumbs.db")


def _regular_files(root: str) -> Iterator[tuple[str, int]]:
    """(path, size) of the regular files under `root`, depth first, in name order."""
    with os.scandir(root) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIPPED_NAMES:
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _regular_files(entry.path)
        elif entry.is_file(follow_symlinks=False):
            yield entry.path, entry.stat(follow_symlinks=False).st_size


def input_files(path: Path) -> list[tuple[str, int]]:
    """(file, size) of the files to read, in order; BadInput (one line) when the path
    cannot be used."""
    if not path.exists():
        raise BadInput(f"--from-outputs: {path}: no such file or directory")
    if path.is_file():
        return [(str(path), path.stat().st_size)]
    if not path.is_dir():
        raise BadInput(f"--from-outputs: {path}: not a file or a directory")
    found: list[tuple[str, int]] = []
    for file in _regular_files(str(path)):
        found.append(file)
        if len(found) > MAX_FILES:
            raise BadInput(
                f"--from-outputs: {path} holds more than {MAX_FILES} files; "
                "point it at the folder of the recorded outputs"
            )
    return found


def read_texts(path: Path) -> list[tuple[str, str]]:
    """(file, text) of every input file, refusing binary files and more than the size cap."""
    total = 0
    texts: list[tuple[str, str]] = []
    for file, size in input_files(path):
        total += size
        if total > MAX_TOTAL_BYTES:
            raise BadInput(
                f"--from-outputs: {file}: the outputs exceed {MAX_TOTAL_BYTES // 2**20} MiB "
                "in all; kubemedic reads recorded outputs up to that size"
            )
        try:
            with open(file, "rb") as f:
                data = f.read()
        except OSError as e:
            raise BadInput(f"--from-outputs: cannot read {file}: {e.strerror or e}") from None
        if b"\x00" in data[:BINARY_PROBE]:
            raise BadInput(f"--from-outputs: {file}: a binary file, not recorded command output")
        text = data.decode("utf-8", errors="replace")
        texts.append((file, text.replace("\r\n", "\n") if "\r" in text else text))
    return texts
