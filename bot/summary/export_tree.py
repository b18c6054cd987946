"""The files of a Slack export, whether a folder on disk or the .zip Slack hands out.

Both are read the same way: relative names ("users.json",
"inc-checkout/2024-05-14.json") and bounded reads. A zip is never extracted:
members are read in memory, each capped and all together capped, so a crafted
archive (a huge or lying member, a zip bomb, thousands of files, "../" names)
costs at most the caps and a clear one-line refusal. In a folder only regular
files are read: a symlink (users.json -> /dev/zero) or a special file (a FIFO
named like a day file, which would block the read forever) is refused. A zip made by re-compressing
the unzipped folder has
everything under one top folder; that folder is treated as the root.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import Protocol

from bot.errors import BadInput

MAX_FILES = 20000
MAX_FILE_BYTES = 32 * 1024 * 1024
"""What one file of an export may hold (Slack's day files are kilobytes; a big users.json a few MB)."""
MAX_TOTAL_BYTES = 512 * 1024 * 1024
"""What one export may decompress to in all (a 149 KB zip could inflate past 3 GB)."""


class ExportTree(Protocol):
    """Files of an export by relative POSIX name."""

    label: str

    def names(self) -> list[str]:
        """Every file's relative name (folders are implied by the names)."""
        ...

    def read(self, name: str) -> bytes:
        """A file's bytes (BadInput when missing, unreadable or larger than MAX_FILE_BYTES)."""
        ...


class DirTree:
    """An unzipped export (or one channel's folder) on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = str(root)
        self._total = 0

    def names(self) -> list[str]:
        found = []
        for folder, subfolders, files in os.walk(
            self.root, followlinks=False
        ):  # never into a linked folder
            subfolders.sort()
            for file in sorted(files):
                if file.endswith(".json"):
                    found.append((Path(folder) / file).relative_to(self.root).as_posix())
                    if len(found) > MAX_FILES:
                        raise BadInput(
                            f"{self.root} holds more than {MAX_FILES} files; "
                            "point at one channel's folder"
                        )
        return sorted(found)

    def read(self, name: str) -> bytes:
        path = self.root / name
        try:
            self._check_plain(path, name)
            descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(descriptor, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped after the check
                    raise BadInput(f"{path} is not a regular file; not read")
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
        if len(data) > MAX_FILE_BYTES:
            raise BadInput(_too_large(str(path)))
        self._total = _counted(self._total, len(data), self.label)
        return data

    def _check_plain(self, path: Path, name: str) -> None:
        """BadInput unless `name` is a regular file, small enough, with no symbolic link on its way."""
        for part in [*reversed(path.relative_to(self.root).parents), PurePosixPath(name)]:
            if str(part) != "." and (self.root / part).is_symlink():
                raise BadInput(
                    f"{self.root / part} is a symbolic link; kubemedic reads only the "
                    "export's own files"
                )
        if not stat.S_ISREG(path.lstat().st_mode):
            raise BadInput(f"{path} is not a regular file (a FIFO, device or socket); not read")
        if path.lstat().st_size > MAX_FILE_BYTES:
            raise BadInput(_too_large(str(path)))


class ZipTree:
    """A Slack export .zip, read member by member without extracting it."""

    def __init__(self, path: Path) -> None:
        self.label = str(path)
        try:
            self._zip = zipfile.ZipFile(path)
            infos = [i for i in self._zip.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise BadInput(f"{path} is not a readable zip archive: {exc}") from None
        _check_bounds(path, infos)
        self._total = 0
        self._prefix = _common_root([i.filename for i in infos])
        self._infos = {i.filename[len(self._prefix) :]: i for i in infos if _safe(i.filename)}

    def names(self) -> list[str]:
        return sorted(name for name in self._infos if name.endswith(".json"))

    def read(self, name: str) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise BadInput(f"{self.label} has no {name}")
        if info.file_size > MAX_FILE_BYTES:
            raise BadInput(_too_large(f"{name} in {self.label}"))
        try:
            with self._zip.open(info) as member:
                data = member.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise BadInput(f"cannot read {name} in {self.label}: {exc}") from None
        if len(data) > MAX_FILE_BYTES:
            raise BadInput(_too_large(f"{name} in {self.label}"))
        self._total = _counted(self._total, len(data), self.label)
        return data


def _too_large(what: str) -> str:
    return (
        f"{what} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB (decompressed); no file of a Slack "
        "export is that large: not read"
    )


def _counted(total: int, more: int, label: str) -> int:
    """`total + more`, or BadInput once an export has decompressed past MAX_TOTAL_BYTES."""
    total += more
    if total > MAX_TOTAL_BYTES:
        raise BadInput(
            f"{label} decompresses to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB; "
            "kubemedic reads exports up to that size (export fewer channels or days)"
        )
    return total


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts


def _check_bounds(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """BadInput when the archive holds too many files or decompresses to too much."""
    if len(infos) > MAX_FILES:
        raise BadInput(
            f"{path} holds {len(infos)} files; kubemedic reads exports of at most {MAX_FILES}"
        )
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise BadInput(
            f"{path} decompresses to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB; "
            "kubemedic reads exports up to that size (export fewer channels or days)"
        )


def _common_root(names: list[str]) -> str:
    """ "export/" when every member sits under one top folder holding channels.json or users.json."""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) != 1 or not all("/" in name for name in names):
        return ""
    top = next(iter(tops))
    inner = {name[len(top) + 1 :] for name in names}
    return f"{top}/" if inner & {"channels.json", "users.json"} else ""


def is_zip(path: Path) -> bool:
    """A .zip name or zip magic bytes (a truncated archive is still meant as one)."""
    if path.suffix.lower() == ".zip":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def open_tree(path: Path) -> ExportTree:
    """A zip file or a folder; BadInput for anything else."""
    if path.is_dir():
        return DirTree(path)
    if path.is_file() and is_zip(path):
        return ZipTree(path)
    raise BadInput(f"cannot read {path}: no such file or directory")
