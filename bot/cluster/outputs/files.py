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
from typing import BinaryIO

from bot.errors import BadInput

MAX_FILES = 5000
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_LINE_BYTES = 1024 * 1024
"""The longest line kept (the rest of a longer one is dropped): memory stays bounded."""
BINARY_PROBE = 8192
_SKIPPED_NAMES = (".DS_Store", "Thumbs.db")


def _regular_files(root: str) -> Iterator[tuple[str, int]]:
    """(path, size) of the regular files under `root`, depth first, in name order; a stack
    of entries, not recursion, so no nesting depth can exhaust the interpreter's stack."""
    stack: list[os.DirEntry[str]] = _listing(root)
    while stack:
        entry = stack.pop()
        if entry.is_dir(follow_symlinks=False):
            stack.extend(_listing(entry.path))
        elif entry.is_file(follow_symlinks=False):
            yield entry.path, entry.stat(follow_symlinks=False).st_size


def _listing(folder: str) -> list[os.DirEntry[str]]:
    """The folder's visible entries, last name first (popped from a stack in name order)."""
    with os.scandir(folder) as listing:
        shown = [e for e in listing if not _hidden(e.name)]
    return sorted(shown, key=lambda e: e.name, reverse=True)


def _hidden(name: str) -> bool:
    return name.startswith(".") or name in _SKIPPED_NAMES


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
    try:
        for file in _regular_files(str(path)):
            found.append(file)
            if len(found) > MAX_FILES:
                raise BadInput(
                    f"--from-outputs: {path} holds more than {MAX_FILES} files; "
                    "point it at the folder of the recorded outputs"
                )
    except OSError as e:
        raise BadInput(f"--from-outputs: cannot read {e.filename}: {e.strerror or e}") from None
    return found


def checked_files(path: Path) -> list[str]:
    """The input files, in order, after the checks that refuse the whole input before any is
    read: the size cap, and a binary file (NUL bytes in its first block)."""
    total = 0
    checked: list[str] = []
    for file, size in input_files(path):
        total += size
        if total > MAX_TOTAL_BYTES:
            raise BadInput(
                f"--from-outputs: {file}: the outputs exceed {MAX_TOTAL_BYTES // 2**20} MiB "
                "in all; kubemedic reads recorded outputs up to that size"
            )
        if b"\x00" in _first_block(file):
            raise BadInput(f"--from-outputs: {file}: a binary file, not recorded command output")
        checked.append(file)
    return checked


def _first_block(file: str) -> bytes:
    try:
        with open(file, "rb") as f:
            return f.read(BINARY_PROBE)
    except OSError as e:
        raise BadInput(f"--from-outputs: cannot read {file}: {e.strerror or e}") from None


def file_lines(file: str) -> Iterator[str]:
    """The file's lines, decoded (a bad byte replaced), without their line ends; a line over
    MAX_LINE_BYTES is kept to that length, so one huge line never sits in memory whole."""
    try:
        with open(file, "rb") as f:
            while chunk := f.readline(MAX_LINE_BYTES):
                if not chunk.endswith(b"\n"):
                    _skip_rest_of_line(f)
                yield chunk.decode("utf-8", errors="replace").rstrip("\r\n")
    except OSError as e:
        raise BadInput(f"--from-outputs: cannot read {file}: {e.strerror or e}") from None


def _skip_rest_of_line(f: BinaryIO) -> None:
    while (rest := f.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
        continue
