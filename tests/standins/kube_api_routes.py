"""Request handlers of the Kubernetes stand-in: list/get/log/scale/patch/put/delete."""

from __future__ import annotations

import base64
import copy
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .kube_patch import MERGE, STRATEGIC, PatchError, apply_patch
from .kube_resources import (
    Resource,
    Target,
    bad_request,
    json_response,
    not_found,
    obj_details,
    status_response,
)
from .kube_selectors import SelectorError, field_matcher, label_matcher

if TYPE_CHECKING:
    from .kube_api import KubeStandIn

Obj = dict[str, Any]
_GENERATION_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"}
_POD_MUTABLE_MSG = (
    "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
    "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
    "(allow it to be set to 1 if it was previously negative)"
)


def to_events_v1(ev: Obj) -> Obj:
    """Convert a core/v1 Event to its events.k8s.io/v1 shape, as the apiserver does.

    Legacy (kubelet-style) events have no eventTime; the real server then returns
    ``"eventTime": null`` — which the Python client's EventsV1Event model rejects.
    """
    out: Obj = {
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": ev.get("metadata", {}),
        "eventTime": ev.get("eventTime"),
        "reportingController": ev.get("reportingComponent", ""),
        "reportingInstance": ev.get("reportingInstance", ""),
        "action": ev.get("action"),
        "reason": ev.get("reason"),
        "regarding": ev.get("involvedObject", {}),
        "related": ev.get("related"),
        "note": ev.get("message"),
        "type": ev.get("type"),
        "deprecatedSource": ev.get("source"),
        "deprecatedFirstTimestamp": ev.get("firstTimestamp"),
        "deprecatedLastTimestamp": ev.get("lastTimestamp"),
        "deprecatedCount": ev.get("count"),
    }
    if ev.get("series"):
        out["series"] = {
            "count": ev["series"].get("count"),
            "lastObservedTime": ev["series"].get("lastObservedTime"),
        }
    return {k: v for k, v in out.items() if v is not None or k == "eventTime"}


def _view(res: Resource, obj: Obj) -> Obj:
    return to_events_v1(obj) if res.group == "events.k8s.io" else obj


def _encode_continue(rv: int, start: tuple[str, str]) -> str:
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": f"{start[0]}/{start[1]}\u0000"})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_continue(token: str) -> tuple[str, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        ns, _, name = data["start"].rstrip("\u0000").partition("/")
        return ns, name
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SelectorError(
            "continue key is not valid: incorrect encoded start resourceVersion "
            "(version meta.k8s.io/v1)"
        ) from None


def handle_list(si: KubeStandIn, t: Target, q: dict[str, str]) -> web.Response:
    """LIST with namespace scoping, field/label selectors and limit/continue paging."""
    res = t.resource
    assert res is not None
    try:
        fmatch = field_matcher(
            q.get("fieldSelector"),
            "events.k8s.io/events" if res.group == "events.k8s.io" else res.plural,
        )
        lmatch = label_matcher(q.get("labelSelector"))
        start = _decode_continue(q["continue"]) if q.get("continue") else None
        limit = int(q.get("limit") or 0)
    except SelectorError as exc:
        return bad_request(str(exc))
    except ValueError:
        return bad_request(f'strconv.ParseInt: parsing "{q.get("limit")}": invalid syntax')
    with si.lock:
        rv = si.resource_version
        objs = si.snapshot(res.key, t.namespace)
    items: list[Obj] = []
    last_key: tuple[str, str] | None = None
    remaining = 0
    for key, obj in objs:
        if start is not None and key <= start:
            continue
        view = _view(res, obj)
        if not (fmatch(view) and lmatch(view)):
            continue
        if limit and len(items) >= limit:
            remaining += 1
            continue
        items.append({k: v for k, v in view.items() if k not in ("kind", "apiVersion")})
        last_key = key
    meta: Obj = {"resourceVersion": str(rv)}
    if remaining and last_key is not None:
        meta["continue"] = _encode_continue(rv, last_key)
        if not q.get("fieldSelector") and not q.get("labelSelector"):
            meta["remainingItemCount"] = remaining
    return json_response(
        {"kind": f"{res.kind}List", "apiVersion": res.api_version, "metadata": meta, "items": items}
    )


def handle_get(si: KubeStandIn, t: Target) -> web.Response:
    assert t.resource is not None
    obj = si.lookup(t.resource.key, t.namespace, t.name or "")
    if obj is None:
        return not_found(t)
    if t.subresource == "scale":
        return json_response(to_scale(obj))
    return json_response(_view(t.resource, obj))


def to_scale(obj: Obj) -> Obj:
    """The autoscaling/v1 Scale view of a Deployment/StatefulSet/ReplicaSet."""
    meta = obj.get("metadata", {})
    labels = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            k: meta[k]
            for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if k in meta
        },
        "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 1)},
        "status": {
            "replicas": (obj.get("status") or {}).get("replicas", 0),
            "selector": ",".join(f"{k}={v}" for k, v in sorted(labels.items())),
        },
    }


def handle_log(si: KubeStandIn, t: Target, q: dict[str, str]) -> web.Response:
    """GET pods/{name}/log with container/previous/tailLines/limitBytes, kubelet error texts."""
    pod = si.lookup("pods", t.namespace, t.name or "")
    if pod is None:
        return not_found(t)
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    inits = [c["name"] for c in spec.get("initContainers") or []]
    ephemeral = [c["name"] for c in spec.get("ephemeralContainers") or []]
    container = q.get("container")
    if not container:
        if len(names) != 1:
            msg = f"a container name must be specified for pod {t.name}, choose one of: [{' '.join(names)}]"
            if inits:
                msg += f" or one of the init containers: [{' '.join(inits)}]"
            return bad_request(msg)
        container = names[0]
    if container not in names + inits + ephemeral:
        return bad_request(f"container {container} is not valid for pod {t.name}")
    previous = q.get("previous", "").lower() in ("true", "1")
    cs = next(
        (
            s
            for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")
            for s in status.get(key) or []
            if s.get("name") == container
        ),
        None,
    )
    state, last = (
        (cs or {}).get("state") or {},
        ((cs or {}).get("lastState") or {}).get("terminated"),
    )
    cur_log = si.logs.get((t.namespace, t.name, container, False))
    prev_log = si.logs.get((t.namespace, t.name, container, True))
    if previous:
        if prev_log is None and not (last and last.get("containerID")):
            return bad_request(
                f'previous terminated container "{container}" in pod "{t.name}" not found'
            )
        text = prev_log or ""
    elif cs is None or "running" in state or "terminated" in state or not spec.get("nodeName"):
        text = cur_log or ""
    elif last:  # waiting after a crash (CrashLoopBackOff): kubelet serves the last container's log
        text = cur_log if cur_log is not None else prev_log or ""
    else:
        reason = (state.get("waiting") or {}).get("reason", "")
        detail = {
            "ErrImagePull": "image can't be pulled",
            "ImagePullBackOff": "trying and failing to pull image",
        }.get(reason, reason)
        if not reason:
            return bad_request(
                f'container "{container}" in pod "{t.name}" is waiting to start - no logs yet'
            )
        return bad_request(
            f'container "{container}" in pod "{t.name}" is waiting to start: {detail}'
        )
    try:
        if q.get("tailLines") not in (None, ""):
            n = int(q["tailLines"])
            lines = text.splitlines(keepends=True)
            text = "".join(lines[-n:]) if n > 0 else ""
        if q.get("limitBytes") not in (None, ""):
            text = text.encode()[: int(q["limitBytes"])].decode(errors="ignore")
    except ValueError:
        return bad_request("tailLines/limitBytes must be integers")
    return web.Response(text=text, content_type="text/plain")


def _dry_run(q: dict[str, str], body: Any) -> bool | web.Response:
    # As the real API server: a DELETE with a DeleteOptions body reads its options from the
    # body only, so `?dryRun=All` next to a body is ignored (the delete is real).
    if isinstance(body, dict) and body:
        values = list(body.get("dryRun") or []) if isinstance(body.get("dryRun"), list) else []
    else:
        values = [v for v in [q.get("dryRun")] if v]
    for v in values:
        if v != "All":
            return bad_request(f'dryRun: Unsupported value: "{v}": supported values: "All"')
    return bool(values)


def _finish_update(si: KubeStandIn, t: Target, old: Obj, new: Obj, dry: bool) -> Obj:
    """Restore status, bump generation when spec changed, and persist unless dry-run."""
    new = copy.deepcopy(new)  # patches share untouched sub-trees with the stored object
    if t.subresource != "status":
        if "status" in old:
            new["status"] = old["status"]
        else:
            new.pop("status", None)
    meta = new.setdefault("metadata", {})
    for k in ("name", "namespace", "uid", "creationTimestamp"):
        if k in old.get("metadata", {}):
            meta[k] = old["metadata"][k]
    if new == old:
        return new
    if old.get("kind") in _GENERATION_KINDS and new.get("spec") != old.get("spec"):
        meta["generation"] = int(old["metadata"].get("generation", 1)) + 1
    if not dry:
        assert t.resource is not None
        si.store_object(t.resource.key, new)
    return new


def _validate_pod_update(t: Target, old: Obj, new: Obj) -> web.Response | None:
    if old.get("kind") != "Pod" or t.subresource:
        return None

    def strip(spec: Obj) -> Obj:
        s = copy.deepcopy(spec)
        for key in ("containers", "initContainers"):
            for c in s.get(key) or []:
                c.pop("image", None)
        for key in ("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"):
            s.pop(key, None)
        return s

    if strip(old.get("spec") or {}) != strip(new.get("spec") or {}):
        return status_response(
            422,
            f'Pod "{t.name}" is invalid: {_POD_MUTABLE_MSG}',
            "Invalid",
            {
                "name": t.name,
                "kind": "Pod",
                "causes": [
                    {
                        "reason": "FieldValueForbidden",
                        "message": _POD_MUTABLE_MSG[6:],
                        "field": "spec",
                    }
                ],
            },
        )
    return None


def _conflict(t: Target, old: Obj, body: Any) -> web.Response | None:
    rv = (
        ((body or {}).get("metadata") or {}).get("resourceVersion")
        if isinstance(body, dict)
        else None
    )
    if rv and rv != old["metadata"].get("resourceVersion"):
        assert t.resource is not None
        return status_response(
            409,
            f'Operation cannot be fulfilled on {t.resource.qualified} "{t.name}": the '
            "object has been modified; please apply your changes to the latest version "
            "and try again",
            "Conflict",
            obj_details(t),
        )
    return None


def handle_write(
    si: KubeStandIn, t: Target, method: str, q: dict[str, str], body: Any, content_type: str
) -> web.Response:
    """PATCH or PUT of an object, its status, or its scale subresource (honours dryRun=All)."""
    assert t.resource is not None
    dry = _dry_run(q, None)
    if isinstance(dry, web.Response):
        return dry
    if body is None or isinstance(body, str):
        return bad_request(
            "the body of the request was in an unknown format - accepted media types include: "
            "application/json, application/yaml"
        )
    with si.lock:
        old = si.lookup(t.resource.key, t.namespace, t.name or "")
        if old is None:
            return not_found(t)
        if (
            method == "PATCH"
            and content_type.split(";")[0].strip() in (MERGE, STRATEGIC)
            or method == "PUT"
        ):
            conflict = _conflict(t, old if t.subresource != "scale" else to_scale(old), body)
            if conflict is not None:
                return conflict
        try:
            if t.subresource == "scale":
                scale = (
                    apply_patch(to_scale(old), content_type, body) if method == "PATCH" else body
                )
                replicas = (scale.get("spec") or {}).get("replicas", 0)
                if not isinstance(replicas, int) or replicas < 0:
                    return status_response(
                        422,
                        f'Scale.autoscaling "{t.name}" is invalid: spec.replicas: '
                        f"Invalid value: {replicas}: must be greater than or equal to 0",
                        "Invalid",
                        {"name": t.name, "group": "autoscaling", "kind": "Scale"},
                    )
                new = copy.deepcopy(old)
                new.setdefault("spec", {})["replicas"] = replicas
                new = _finish_update(si, t, old, new, dry)
                return json_response(to_scale(new))
            new = apply_patch(old, content_type, body) if method == "PATCH" else copy.deepcopy(body)
        except PatchError as exc:
            return status_response(exc.code, exc.message, exc.reason)
        invalid = _validate_pod_update(t, old, new) or _uid_changed(t, old, new)
        if invalid is not None:
            return invalid
        return json_response(_finish_update(si, t, old, new, dry))


def _uid_changed(t: Target, old: Obj, new: Obj) -> web.Response | None:
    """A write naming another UID (a precondition on a recreated object): 422, as kube-apiserver
    answers (`metadata.uid: ... field is immutable`)."""
    uid = (new.get("metadata") or {}).get("uid")
    if uid is None or uid == (old.get("metadata") or {}).get("uid"):
        return None
    assert t.resource is not None
    kind = f"{t.resource.kind}.{t.resource.group}" if t.resource.group else t.resource.kind
    return status_response(
        422,
        f'{kind} "{t.name}" is invalid: metadata.uid: Invalid value: "{uid}": field is immutable',
        "Invalid",
        {
            "name": t.name,
            "group": t.resource.group,
            "kind": t.resource.kind,
            "causes": [
                {
                    "reason": "FieldValueInvalid",
                    "message": f'Invalid value: "{uid}": field is immutable',
                    "field": "metadata.uid",
                }
            ],
        },
    )


def handle_delete(si: KubeStandIn, t: Target, q: dict[str, str], body: Any) -> web.Response:
    """DELETE: Pods and PVCs return the object, other kinds a Success Status; dryRun=All honoured."""
    assert t.resource is not None
    res = t.resource
    opts = body if isinstance(body, dict) else {}
    dry = _dry_run(q, opts)
    if isinstance(dry, web.Response):
        return dry
    with si.lock:
        obj = si.lookup(res.key, t.namespace, t.name or "")
        if obj is None:
            return not_found(t)
        meta = obj.get("metadata", {})
        pre = opts.get("preconditions") or {}
        for field, label in (("uid", "UID"), ("resourceVersion", "ResourceVersion")):
            if pre.get(field) and pre[field] != meta.get(field):
                return status_response(
                    409,
                    f'Operation cannot be fulfilled on {res.qualified} "{t.name}": '
                    f"Precondition failed: {label} in precondition: {pre[field]}, "
                    f"{label} in object meta: {meta.get(field)}",
                    "Conflict",
                    obj_details(t),
                )
        result = copy.deepcopy(obj)
        rmeta = result.setdefault("metadata", {})
        keep = False
        if res.kind == "Pod":
            grace = q.get("gracePeriodSeconds") or opts.get("gracePeriodSeconds")
            grace = int(
                grace
                if grace is not None
                else (obj.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
            )
            rmeta.setdefault("deletionTimestamp", si.now())
            rmeta.setdefault("deletionGracePeriodSeconds", grace)
        elif res.kind == "PersistentVolumeClaim":
            rmeta.setdefault("deletionTimestamp", si.now())
            keep = "kubernetes.io/pvc-protection" in (
                meta.get("finalizers") or []
            ) and si.pvc_in_use(t.namespace or "", t.name or "")
        if not dry:
            if keep:
                si.store_object(res.key, result)
                result = si.lookup(res.key, t.namespace, t.name or "") or result
            else:
                si.remove_object(res.key, t.namespace, t.name or "")
        if res.kind in ("Pod", "PersistentVolumeClaim"):
            return json_response(result)
        return json_response(
            {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Success",
                "details": obj_details(t, meta.get("uid")),
            }
        )
