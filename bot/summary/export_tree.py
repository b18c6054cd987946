"""The files of a Slack export, whether a folder on disk or the .zip Slack hands out.

Both are read the same way: relative names ("users.json",
"inc-checkout/2024-05-14.json") and bounded reads. A zip is never extracted:
members are read in memory, each capped, so a crafted archive (a huge or
lying member, thousands of files, "../" names) costs at most the caps and a
clear one-line refusal. A zip made by re-compressing the unzipped folder has
everything under one top folder; that folder is treated as the root.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import Protocol

from bot.errors import BadInput

MAX_FILES = 20000
MAX_FILE_BYTES = 200 * 1024 * 1024


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

    def names(self) -> list[str]:
        found = []
        for path in sorted(self.root.rglob("*.json")):
            found.append(path.relative_to(self.root).as_posix())
            if len(found) > MAX_FILES:
                raise BadInput(f"{self.root} holds more than {MAX_FILES} files; point at one channel's folder")
        return found

    def read(self, name: str) -> bytes:
        path = self.root / name
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise BadInput(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            return path.read_bytes()
        except OSError as exc:
            raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None


class ZipTree:
    """A Slack export .zip, read member by member without extracting it."""

    def __init__(self, path: Path) -> None:
        self.label = str(path)
        try:
            self._zip = zipfile.ZipFile(path)
            infos = [i for i in self._zip.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise BadInput(f"{path} is not a readable zip archive: {exc}") from None
        if len(infos) > MAX_FILES:
            raise BadInput(f"{path} holds {len(infos)} files; kubemedic reads exports of at most {MAX_FILES}")
        self._prefix = _common_root([i.filename for i in infos])
        self._infos = {i.filename[len(self._prefix):]: i for i in infos if _safe(i.filename)}

    def names(self) -> list[str]:
        return sorted(name for name in self._infos if name.endswith(".json"))

    def read(self, name: str) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise BadInput(f"{self.label} has no {name}")
        if info.file_size > MAX_FILE_BYTES:
            raise BadInput(f"{name} in {self.label} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        try:
            with self._zip.open(info) as member:
                data = member.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise BadInput(f"cannot read {name} in {self.label}: {exc}") from None
        if len(data) > MAX_FILE_BYTES:
            raise BadInput(f"{name} in {self.label} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return data


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts


def _common_root(names: list[str]) -> str:
    """"export/" when every member sits under one top folder holding channels.json or users.json."""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) != 1 or not all("/" in name for name in names):
        return ""
    top = next(iter(tops))
    inner = {name[len(top) + 1:] for name in names}
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
