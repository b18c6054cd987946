"""`kubectl describe` of a custom resource, back into the object it prints.

kubectl describes a custom resource by printing its object as an indented tree: each field's
name split into capitalised words (`lastTransitionTime` as `Last Transition Time:`), a map's
fields one level deeper, the maps of a list one after the other at the same depth (a key seen
again starts the next one). Its `API Version:` and `Kind:` say what it is.
"""

from __future__ import annotations

from typing import Any

from bot.cluster.outputs.describe_tree import Entry
from bot.cluster.reader import JsonObject

LISTS = frozenset({"conditions", "messages"})
"""Fields that are lists in the object: describe prints a list of one map as the map alone."""
MAX_DEPTH = 40


def is_custom(root: Entry) -> bool:
    """A describe that names its own Kind (kubectl prints it, with its API Version, for a custom
    resource only; a describe trimmed by hand may keep the Kind alone)."""
    return bool(root.value_of("Kind"))


def camel(words: str) -> str:
    """`Last Transition Time` -> `lastTransitionTime`; `API Version` -> `apiVersion`."""
    parts = words.replace("API ", "Api ").split()
    return parts[0].lower() + "".join(p[:1].upper() + p[1:] for p in parts[1:]) if parts else ""


def _fields(entry: Entry, depth: int = 0) -> Any:
    """The map an entry's keyed children print, or the list of maps they print one after the
    other (a key seen again starts the next)."""
    maps: list[dict[str, Any]] = [{}]
    for child in entry.children:
        if not child.key:
            continue
        name = camel(child.key)
        if name in maps[-1]:
            maps.append({})
        maps[-1][name] = child.value or (_fields(child, depth + 1) if depth < MAX_DEPTH else "")
    return maps[0] if len(maps) == 1 else maps


def _section(root: Entry, title: str) -> dict[str, Any]:
    """A describe's `Spec:` or `Status:` as a mapping (empty when not shown or not one)."""
    found = _fields(root.get(title) or Entry(None, "", 0, "", 0))
    return found if isinstance(found, dict) else {}


def custom(root: Entry) -> JsonObject:
    """The object a custom resource's describe prints: its name, namespace, spec and status."""
    status = {
        k: [v] if k in LISTS and isinstance(v, dict) else v
        for k, v in _section(root, "Status").items()
    }
    meta = {"name": root.value_of("Name") or ""}
    if namespace := root.value_of("Namespace"):
        meta["namespace"] = namespace
    return {
        "apiVersion": root.value_of("API Version"),
        "kind": root.value_of("Kind"),
        "metadata": meta,
        "spec": _section(root, "Spec"),
        "status": status,
    }
