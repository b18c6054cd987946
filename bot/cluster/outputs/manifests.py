"""`kubectl get ... -o yaml|json` outputs: single objects, Lists, multi-document YAML.

Loaded with a safe loader (no tags, no code), timestamps left as the strings the
API sends, then copied with a budget: YAML aliases let a few lines stand for an
exponential tree ("billion laughs"), so a document that expands past MAX_NODES
values or nests past json_depth.MAX_DEPTH is refused, never walked.  A Secret keeps
its name, labels and type only; its data never enters the reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from bot.cluster.outputs.kinds import custom_plural, resolve
from bot.cluster.reader import JsonObject
from bot.runtime import json_depth
from intents.partial_json import cut_short, cut_value

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


def load_documents(text: str, *, cut_ok: bool = False) -> list[Any]:
    """The documents of a YAML or JSON output, bounded; ManifestError when it is neither.
    `cut_ok`: JSON cut short is read for what it shows (a paste's `| head`); a file of a
    folder of outputs cut short is listed as broken."""
    stripped = text.lstrip()
    try:
        if stripped[:1] in ("{", "["):
            docs = [_json_document(stripped) if cut_ok else json_depth.loads(stripped)]
        else:
            docs = _yaml_documents(text)
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


def _json_document(text: str) -> Any:
    """A JSON value, or what a value cut short (`-o json | head` in a paste) shows of itself."""
    try:
        return json_depth.loads(text)
    except json.JSONDecodeError as error:
        cut = cut_value(text, 0) if cut_short(text, 0, error.pos) else None
        if cut is None:
            raise
        return cut.value


def _yaml_documents(text: str) -> list[Any]:
    """The YAML documents of `text`, or of it with its single-quoted scalars' inner quotes
    doubled again (a paste is cleaned as text: `'container''s'` reads as the words it means)."""
    try:
        return list(yaml.load_all(text, Loader=_Loader))
    except yaml.YAMLError:
        requoted = requoted_scalars(text)
        if requoted == text:
            raise
        return list(yaml.load_all(requoted, Loader=_Loader))


_SINGLE_QUOTED = re.compile(r"^(\s*(?:- )?[A-Za-z_][\w.-]{0,60}: ')(.*)'\s*$")


def requoted_scalars(text: str) -> str:
    """Single-quoted scalars with their inner quotes doubled again, as YAML escapes them
    (intents.normalize.clean_text reads `'container''s'` as the text it means)."""
    out = []
    for line in text.split("\n"):
        found = _SINGLE_QUOTED.match(line) if "'" in line else None
        out.append(
            found.group(1) + found.group(2).replace("'", "''") + "'"
            if found and "'" in found.group(2)
            else line
        )
    return "\n".join(out)


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
    plural = resolve(kind) or custom_plural(kind)
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
