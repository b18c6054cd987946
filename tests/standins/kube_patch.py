"""Patch application for the stand-in: JSON merge patch (RFC 7386), a practical
strategic-merge subset, and JSON patch (RFC 6902).

Errors raise :class:`PatchError` carrying the HTTP code and message the
apiserver would return.
"""

from __future__ import annotations

import copy
from typing import Any

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY = "application/apply-patch+yaml"
PATCH_TYPES = (MERGE, STRATEGIC, JSON_PATCH)

#: list fields merged by key under strategic merge (field name -> merge key)
_MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "env": "name",
    "volumeMounts": "mountPath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "conditions": "type",
    "ownerReferences": "uid",
    "tolerations": None,
    "finalizers": None,
}


class PatchError(Exception):
    """Patch failure mapped to an apiserver Status (code, reason, message)."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target: Any, patch: Any, field: str = "") -> Any:
    """Strategic merge: like merge patch, but known lists merge by key and
    ``$patch: delete`` / ``$deleteFromPrimitiveList`` directives are honoured."""
    if isinstance(patch, list) and isinstance(target, list) and field in _MERGE_KEYS:
        key = _MERGE_KEYS[field]
        if key is None:  # primitive/set-like list: union
            out = list(target)
            out += [p for p in patch if p not in out]
            return out
        out = [copy.deepcopy(t) for t in target]
        for item in patch:
            if not isinstance(item, dict) or key not in item:
                raise PatchError(
                    400, "BadRequest", f"map: {item} does not contain declared merge key: {key}"
                )
            idx = next(
                (i for i, t in enumerate(out) if isinstance(t, dict) and t.get(key) == item[key]),
                None,
            )
            if item.get("$patch") == "delete":
                if idx is not None:
                    out.pop(idx)
            elif idx is None:
                out.append({k: v for k, v in item.items() if not k.startswith("$")})
            else:
                out[idx] = strategic_merge_patch(out[idx], item)
        return out
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "delete":
        return None
    if patch.get("$patch") == "replace":
        return {k: v for k, v in patch.items() if not k.startswith("$")}
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$deleteFromPrimitiveList/"):
            name = key.split("/", 1)[1]
            result[name] = [v for v in result.get(name) or [] if v not in value]
        elif key.startswith("$"):
            continue
        elif value is None:
            result.pop(key, None)
        else:
            merged = strategic_merge_patch(result.get(key), value, key)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
    return result


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(422, "Invalid", f'JSON pointer must start with "/": "{path}"')
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc: Any, parts: list[str], path: str, op: str) -> tuple[Any, str]:
    cur = doc
    for part in parts[:-1]:
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            raise PatchError(
                422,
                "Invalid",
                f'jsonpatch {op} operation does not apply: doc is missing path: "{path}"',
            )
    return cur, parts[-1]


def json_patch(doc: Any, ops: Any) -> Any:
    """RFC 6902 JSON patch (add, remove, replace, move, copy, test)."""
    if not isinstance(ops, list):
        raise PatchError(
            400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch"
        )
    doc = copy.deepcopy(doc)
    for op in ops:
        kind, path = op.get("op"), op.get("path", "")
        parts = _pointer(path)
        if kind in ("move", "copy"):
            src_parent, src_key = _walk(doc, _pointer(op.get("from", "")), op.get("from", ""), kind)
            value = _get_child(src_parent, src_key, op.get("from", ""), kind)
            if kind == "move":
                _remove_child(src_parent, src_key)
            kind, op = "add", {"value": copy.deepcopy(value)}
        if not parts:
            if kind in ("add", "replace"):
                doc = copy.deepcopy(op.get("value"))
                continue
            raise PatchError(
                422, "Invalid", f"jsonpatch {kind} operation does not apply to the whole document"
            )
        parent, key = _walk(doc, parts, path, kind)
        if kind == "add":
            if isinstance(parent, list):
                idx = len(parent) if key == "-" else int(key)
                parent.insert(idx, copy.deepcopy(op.get("value")))
            else:
                parent[key] = copy.deepcopy(op.get("value"))
        elif kind == "replace":
            _get_child(parent, key, path, kind)
            parent[int(key) if isinstance(parent, list) else key] = copy.deepcopy(op.get("value"))
        elif kind == "remove":
            _get_child(parent, key, path, kind)
            _remove_child(parent, key)
        elif kind == "test":
            if _get_child(parent, key, path, kind) != op.get("value"):
                raise PatchError(422, "Invalid", f"testing value {path} failed: test failed")
        else:
            raise PatchError(422, "Invalid", f"Unexpected kind: {kind}")
    return doc


def _get_child(parent: Any, key: str, path: str, op: str) -> Any:
    try:
        return parent[int(key)] if isinstance(parent, list) else parent[key]
    except (KeyError, IndexError, ValueError, TypeError):
        raise PatchError(
            422, "Invalid", f'jsonpatch {op} operation does not apply: doc is missing key: "{path}"'
        ) from None


def _remove_child(parent: Any, key: str) -> None:
    if isinstance(parent, list):
        parent.pop(int(key))
    else:
        parent.pop(key)


def apply_patch(obj: dict[str, Any], content_type: str, patch: Any) -> dict[str, Any]:
    """Apply ``patch`` of the given Content-Type to a copy of ``obj``."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == JSON_PATCH:
        return json_patch(obj, patch)
    if not isinstance(patch, dict):
        raise PatchError(
            400,
            "BadRequest",
            "json: cannot unmarshal array into Go value of type map[string]interface {}",
        )
    if ctype == MERGE:
        return merge_patch(obj, patch)
    if ctype == STRATEGIC:
        return strategic_merge_patch(obj, patch)
    raise PatchError(
        415,
        "UnsupportedMediaType",
        f"the body of the request was in an unknown format - accepted media types include: "
        f"{', '.join(PATCH_TYPES)}",
    )
