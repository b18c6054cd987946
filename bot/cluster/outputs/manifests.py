"""`kubectl get ... -o yaml|json` outputs: single objects, Lists, multi-document YAML.

Loaded with a safe loader (no tags, no code), timestamps left as the strings the
API sends, then copied with a budget: YAML aliases let a few lines stand for an
exponential tree ("billion laughs"), so a document that expands past MAX_NODES
values or nests past json_depth.MAX_DEPTH is refused, never walked.  A Secret keeps
its name, labels and type only; its data never enters the reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import yaml

from bot.cluster.outputs.kinds import resolve
from bot.cluster.reader import JsonObject
from bot.runtime import json_depth

MAX_NODES = 400_000
"""Values one output may expand to (a List of 1,000 pods is about 300,000)."""
_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc]
    """A safe loader that leaves RFC 3339 timestamps as strings, as the JSON form has them."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ManifestError(ValueError):
    """The output cannot be read as YAML or JSON objects (the reason is one line)."""


def _copy(value: Any, budget: list[int], depth: int) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise ManifestError(f"it expands past {MAX_NODES:,} values (YAML aliases?); not read")
    if depth > json_depth.MAX_DEPTH:
        raise ManifestError(f"it nests more than {json_depth.MAX_DEPTH} levels; not read")
    if isinstance(value, dict):
        return {str(k): _copy(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v, budget, depth + 1) for v in value]
    return value


def load_documents(text: str) -> list[Any]:
    """The documents of a YAML or JSON output, bounded; ManifestError when it is neither."""
    stripped = text.lstrip()
    try:
        if stripped[:1] in ("{", "["):
            docs = [json_depth.loads(stripped)]
        else:
            docs = list(yaml.load_all(text, Loader=_Loader))
    except json.JSONDecodeError as e:
        raise ManifestError(f"broken JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    except yaml.YAMLError as e:
        raise ManifestError(_broken_yaml(e)) from None
    except (json_depth.TooDeep, RecursionError):
        raise ManifestError(f"it nests more than {json_depth.MAX_DEPTH} levels; not read") from None
    except ValueError as e:  # a number of thousands of digits
        raise ManifestError(f"not read: {e}") from None
    budget = [MAX_NODES]
    return [_copy(doc, budget, 0) for doc in docs if doc is not None]


def _broken_yaml(e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    where = f" at line {mark.line + 1}" if mark is not None else ""
    problem = getattr(e, "problem", None) or "cannot be parsed"
    return f"broken YAML{where}: {problem}"


def objects(doc: Any) -> Iterator[tuple[str, JsonObject]]:
    """(kind plural, object) of every API object in a document (an object or a List)."""
    if not isinstance(doc, dict):
        return
    kind = doc.get("kind")
    if isinstance(doc.get("items"), list) and (not isinstance(kind, str) or kind.endswith("List")):
        for item in _list_items(doc["items"], kind):
            yield from objects(item)
        return
    if not isinstance(kind, str) or not isinstance(doc.get("metadata"), dict):
        return
    plural = resolve(kind)
    if plural is None:
        return
    yield plural, _scrubbed(plural, doc)


def _list_items(items: list[Any], list_kind: Any) -> Iterator[JsonObject]:
    """The objects of a `PodList` (or `List`), each with its `kind` (`Pod` when it lacks one)."""
    item_kind = list_kind[:-4] if isinstance(list_kind, str) and list_kind != "List" else None
    for item in items:
        if isinstance(item, dict):
            yield item if "kind" in item or not item_kind else {"kind": item_kind, **item}


def _scrubbed(plural: str, obj: JsonObject) -> JsonObject:
    meta = obj["metadata"]
    annotations = meta.get("annotations")
    if isinstance(annotations, dict) and _LAST_APPLIED in annotations:
        meta["annotations"] = {k: v for k, v in annotations.items() if k != _LAST_APPLIED}
    if plural == "secrets":
        return {k: obj[k] for k in ("apiVersion", "kind", "metadata", "type") if k in obj}
    return obj
