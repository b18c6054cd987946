"""How kubectl lays out a cluster-info dump on disk, and reading it boundedly.

Kept apart from the reader so the file format (List files in JSON or YAML,
logs.txt sections between START/END marker lines) can be tested and changed
on its own. Object files are size-capped; logs.txt is scanned in chunks and
only a section's tail window is read, so a multi-gigabyte log never sits in
memory. A file nested past json_depth.MAX_DEPTH, a YAML file whose aliases
multiply it (bot.runtime.yaml_bounds), or one holding a number longer than
Python converts (4,300 digits) is refused as bad input, in one line.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from bot.cluster.errors import ClusterError
from bot.cluster.kinds import DUMP_TYPES
from bot.cluster.reader import JsonObject
from bot.errors import BadInput
from bot.runtime import json_depth, yaml_bounds

EXTENSIONS = (".json", ".yaml", ".yml")
MAX_OBJECT_FILE_BYTES = 256 * 1024 * 1024
SCAN_CHUNK = 1024 * 1024
TAIL_WINDOW = 4 * 1024 * 1024
TYPES = DUMP_TYPES


class CorruptDump(ClusterError):
    """A dump file exists but cannot be parsed as a Kubernetes List or object."""


class DumpRefused(BadInput):
    """A dump file no Kubernetes API server writes (nested too deep, a number too long): exit 2."""


class _KeepTimestampsLoader(yaml.SafeLoader):
    """Leaves RFC 3339 timestamps as strings, as the JSON form of the same dump has them."""


_KeepTimestampsLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def find_file(base: Path, stem: str) -> Path | None:
    """`base/stem.json`, or the `.yaml` file `kubectl cluster-info dump -o yaml` writes."""
    return next((p for ext in EXTENSIONS if (p := base / f"{stem}{ext}").is_file()), None)


def parse_objects(path: Path, kind: str) -> list[JsonObject]:
    """Items of a List file (or a single object), each given the kind/apiVersion the API adds."""
    size = path.stat().st_size
    if size > MAX_OBJECT_FILE_BYTES:
        raise CorruptDump(
            f"{path} is {size // 2**20} MiB; kubemedic reads dump files "
            f"up to {MAX_OBJECT_FILE_BYTES // 2**20} MiB"
        )
    doc = _document(path)
    if isinstance(doc, dict) and isinstance(doc.get("items"), list):
        items = doc["items"]
    elif isinstance(doc, dict) and "metadata" in doc:
        items = [doc]
    else:
        raise CorruptDump(f"{path} is not a Kubernetes List or object")
    api_version, type_name = TYPES[kind]
    return [
        i if "kind" in i else {"apiVersion": api_version, "kind": type_name, **i}
        for i in items
        if isinstance(i, dict)
    ]


def _document(path: Path) -> Any:
    """The file's JSON or YAML document; CorruptDump or DumpRefused with one line saying why."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            return json_depth.loads(text)
        return yaml_bounds.load(text, _KeepTimestampsLoader)
    except json.JSONDecodeError as e:
        raise CorruptDump(
            f"{path} is not valid JSON: line {e.lineno} column {e.colno}: {e.msg}"
        ) from e
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise CorruptDump(f"{path} cannot be parsed: {' '.join(str(e).split())}") from e
    except (json_depth.TooDeep, RecursionError):
        raise DumpRefused(
            f"{path} is nested more than {json_depth.MAX_DEPTH} levels deep; "
            "no Kubernetes object is: not read"
        ) from None
    except yaml_bounds.TooExpanded as e:
        raise DumpRefused(f"{path}: {e}; kubectl writes no YAML aliases: not read") from None
    except ValueError as e:  # Python's limit on converting a long number (4,300 digits)
        raise DumpRefused(
            f"{path} holds a number of thousands of digits; no Kubernetes object does: not read"
        ) from e


def as_events_v1(event: JsonObject) -> JsonObject:
    """A core/v1 Event as events.k8s.io/v1 serves the same object (dumps hold core events only)."""
    source = event.get("source") or {}
    out = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": event.get("metadata", {}),
        "eventTime": event.get("eventTime"),
        "series": event.get("series"),
        "reportingController": event.get("reportingComponent") or source.get("component", ""),
        "reportingInstance": event.get("reportingInstance") or source.get("host", ""),
        "action": event.get("action"),
        "reason": event.get("reason"),
        "regarding": event.get("involvedObject", {}),
        "related": event.get("related"),
        "note": event.get("message"),
        "type": event.get("type"),
        "deprecatedSource": source,
        "deprecatedFirstTimestamp": event.get("firstTimestamp"),
        "deprecatedLastTimestamp": event.get("lastTimestamp"),
        "deprecatedCount": event.get("count"),
    }
    return {k: v for k, v in out.items() if v not in (None, {}, "")}


def log_markers(namespace: str, pod: str, container: str) -> tuple[bytes, bytes]:
    """The lines kubectl writes around one container's log in `<ns>/<pod>/logs.txt`."""
    what = f"container {container} of pod {namespace}/{pod}"
    return f"==== START logs for {what} ====\n".encode(), f"==== END logs for {what} ====".encode()


def _scan(f: BinaryIO, needle: bytes, offset: int) -> int:
    """File offset of `needle` at or after `offset` (-1 if absent), reading in chunks."""
    f.seek(offset)
    carry, base, keep = b"", offset, len(needle) - 1
    while chunk := f.read(SCAN_CHUNK):
        buf = carry + chunk
        if (i := buf.find(needle)) >= 0:
            return base + i
        carry = buf[-keep:] if keep else b""
        base += len(buf) - len(carry)
    return -1


def section_tail(
    path: Path, start: bytes, end: bytes, *, tail_lines: int, limit_bytes: int
) -> str | None:
    """What the API's tailLines + limitBytes return for the section between `start` and
    `end`: its last `tail_lines` lines (looking back at most TAIL_WINDOW bytes), then at
    most `limit_bytes` of those. None when the file has no `start` marker."""
    with path.open("rb") as f:
        if (begin := _scan(f, start, 0)) < 0:
            return None
        begin += len(start)
        stop = _scan(f, end, begin)
        stop = f.seek(0, os.SEEK_END) if stop < 0 else stop
        cut = max(begin, stop - max(TAIL_WINDOW, limit_bytes))
        f.seek(cut)
        data = f.read(stop - cut)
    if cut > begin:  # drop the partial first line
        data = data.partition(b"\n")[2]
    lines = io.BytesIO(data).readlines()
    data = b"".join(lines[max(len(lines) - max(tail_lines, 0), 0) :])[: max(limit_bytes, 0)]
    return data.decode("utf-8", errors="replace")
