"""Reading a catalog's files safely, and saying on which line of one a problem is.

A catalog directory can come from anyone (KUBEMEDIC_CATALOG_DIRS, a team's pack), so its files
are read with a guard: only regular files (a symlink to one is fine: a ConfigMap volume is made
of them), never more than a cap. A FIFO would block the read forever and a symlink to
/dev/zero would read gigabytes; each is turned away with a reason instead. The same guard
reads entries, manifests and a pack's cases.

`line_of` finds where in a YAML file a key path (`fix.0.command`) is written, so `catalog
check` can name the line of a problem (`frob-typo.yaml:5: symtpoms: unknown key`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

MAX_ENTRY_FILE_BYTES = 256 * 1024
MAX_CASE_FILE_BYTES = 256 * 1024


class UnreadableFile(Exception):
    """A catalog file that is not read: not a regular file, too large, or an OS error."""


def read_guarded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit`; raises UnreadableFile with the reason. Opened
    without blocking, so a FIFO is turned away instead of waited on."""
    try:
        descriptor = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnreadableFile("not a regular file (a FIFO, device, socket or folder): skipped")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc}") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise UnreadableFile(f"file larger than {limit} bytes: skipped")
    return data


def read_case(path: Path) -> str:
    """A pack case's text (undecodable bytes replaced); raises UnreadableFile."""
    return read_guarded(path, MAX_CASE_FILE_BYTES).decode("utf-8", errors="replace")


def line_of(path: Path, where: Sequence[str | int]) -> int | None:
    """The 1-based line where the key path `where` is written in a YAML file: the deepest part
    of it the file holds (a mapping's key, a list's item), None when the file cannot be read."""
    import yaml

    try:
        text = read_guarded(path, MAX_ENTRY_FILE_BYTES).decode("utf-8")
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnreadableFile, UnicodeDecodeError, yaml.YAMLError):
        return None
    if node is None:
        return None
    line: int = node.start_mark.line + 1
    current: object = node
    for part in where:
        found = _child(current, part)
        if found is None:
            break
        line, current = found
    return line


def _child(node: object, part: str | int) -> tuple[int, object] | None:
    """(the line of `part` in `node`, the node it leads to), or None when it holds no such part."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key.start_mark.line + 1, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item = node.value[part]
        return item.start_mark.line + 1, item
    return None
