"""`kubectl get ... -o yaml|json` of Pods, Nodes, Events and PVCs (and their Lists), and of
any other kind by what every object says about itself: its status conditions and whether it
is being deleted (read as `kubectl describe` shows them, see bot.paste.describe_kinds).

The objects are read by the same code that reads them from a cluster or a
dump (pod_facts, parse_node, event_facts), so a pasted object is judged as
the live one would be.  Before YAML is loaded, the subtrees no rule reads
(managedFields, annotations, container specs, node images) are cut out by
indentation: libyaml's time grows with the text, and those subtrees are
most of a real object.  JSON is parsed with the C decoder, which also says
where the value ends.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from bot.cluster.outputs.scan import yaml_end
from bot.evidence import health
from bot.evidence.common import event_facts, status_conditions
from bot.evidence.nodes import parse_node
from bot.evidence.pods import pod_facts
from bot.paste.describe_kinds import other_subject
from bot.paste.event_subjects import event_subjects
from bot.paste.events import PastedEvent
from bot.paste.model import (
    CONTAINER_MESSAGES,
    CONTAINERS,
    EXIT_CODES,
    PHASE,
    POD_MESSAGES,
    TAINTS,
    VOLUMES,
    Block,
    Subject,
    condition_section,
)
from bot.paste.reading import At, Consumed, Read, Reading
from bot.paste.readings import service_links
from intents.facts.custom_status import CUSTOM_KINDS, resource_status
from intents.facts.model import OwnerFacts, PodFacts, ServiceFacts, VolumeFacts
from intents.lazy_re import lazy_compile
from intents.partial_json import cut_short, cut_value

MAX_OBJECT_CHARS = 1_000_000
"""YAML text loaded at most (JSON is bounded by the paste itself, 2 MB)."""
MAX_ITEMS = 2000
KINDS = frozenset({"Pod", "Node", "Event", "PersistentVolumeClaim"})
LISTS = frozenset({"List", "PodList", "NodeList", "EventList", "PersistentVolumeClaimList"})
PRUNED = frozenset(
    {
        "managedFields",
        "annotations",
        "labels",
        "containers",
        "initContainers",
        "ephemeralContainers",
        "images",
        "volumesInUse",
        "volumesAttached",
        "env",
        "envFrom",
        "volumeMounts",
        "affinity",
        "nodeInfo",
        "daemonEndpoints",
        "resourceClaims",
        "topologySpreadConstraints",
        "tolerations",
        "securityContext",
        "dnsConfig",
        "resources",
        "allocatedResources",
        "ports",
        "addresses",
        "capacity",
        "config",
        "runtimeHandlers",
        "features",
        "imageID",
        "containerID",
        "image",
        "started",
        "lastProbeTime",
        "lastTransitionTime",
        "lastHeartbeatTime",
        "startTime",
        "hostIP",
        "hostIPs",
        "podIP",
        "podIPs",
        "qosClass",
        "resourceVersion",
        "generateName",
        "finalizers",
        "creationTimestamp",
        "selfLink",
        "generation",
        "startedAt",
        "volumeMode",
        "accessModes",
        "firstTimestamp",
        "lastTimestamp",
        "eventTime",
        "reportingComponent",
        "reportingInstance",
        "source",
        "readinessGates",
        "schedulerName",
        "serviceAccount",
        "serviceAccountName",
        "terminationGracePeriodSeconds",
        "dnsPolicy",
        "enableServiceLinks",
        "preemptionPolicy",
        "priority",
        "restartPolicy",
        "user",
        "projected",
        "stdin",
        "tty",
        "uid",
        "blockOwnerDeletion",
        "fieldPath",
        "podCIDR",
        "podCIDRs",
        "providerID",
        "configMap",
        "secret",
        "downwardAPI",
        "emptyDir",
        "hostPath",
        "csi",
        "hostname",
        "subdomain",
        "nodeSelector",
        "priorityClassName",
        "overhead",
        "runtimeClassName",
        "os",
        "hostNetwork",
        "imagePullSecrets",
        "ephemeral",
        "defaultMode",
        "observedGeneration",
        "nominatedNodeName",
        "timeAdded",
        "volumeAttributesClassName",
        "dataSource",
        "dataSourceRef",
        "selector",
        "volumeStatus",
        "allocatedResourceStatuses",
        "resizeStatus",
        "lastUpdateTime",
    }
)
"""Keys no evidence rule reads (subtrees and scalars): cut before libyaml builds them."""
_YAML_START = lazy_compile(r"^(?:apiVersion: \S|kind: [A-Z]|items:\s*$)")
_DECODER = json.JSONDecoder()
_KIND_LINE = lazy_compile(
    r"^\s*(?:- )?kind: (?:Pod|Node|Event|PersistentVolumeClaim|List|PodList|NodeList|EventList"
    r"|PersistentVolumeClaimList)\s*$"
)
_SERVICE_LINE = lazy_compile(r"^\s*(?:- )?kind: Service\s*$")
_TEMPLATE_LINE = lazy_compile(
    r"^\s*(?:- )?kind: (?:Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|ReplicationController|Pod)\s*$"
)
_CUSTOM_KIND_LINE = lazy_compile(
    r"^\s*(?:- )?kind: (?:"
    + "|".join(sorted({kind for row in CUSTOM_KINDS for kind in row.kinds}))
    + r")\s*$"
)
"""The kind of a custom resource whose status is read as a fact (intents.facts.custom_status)."""
_STATUS_LINE = lazy_compile(r"^(?:  )?(?:conditions:|deletionTimestamp: \S|type: LoadBalancer\s*$)")
"""A YAML line of another kind's object worth loading: its conditions, its deletion, or a
Service's type LoadBalancer (its status says whether it got an address)."""


def starts_json(line: str) -> bool:
    """kubectl prints -o json from the first column."""
    return line[:1] in ("{", "[")


def starts_yaml(line: str) -> bool:
    return _YAML_START.match(line) is not None


MAX_OBJECT_NODES = 5000
"""Values copied per object at most: YAML aliases can make a small text an exponential tree."""


def _bounded(value: Any, budget: list[int], depth: int = 0) -> Any:
    """A copy of a decoded value with at most MAX_OBJECT_NODES nodes (the rest dropped)."""
    budget[0] -= 1
    if budget[0] < 0 or depth > 40:
        return None
    if isinstance(value, dict):
        return {
            str(k): _bounded(v, budget, depth + 1)
            for k, v in list(value.items())[:200]
            if budget[0] > 0
        }
    if isinstance(value, list):
        return [_bounded(v, budget, depth + 1) for v in value[:200] if budget[0] > 0]
    return value


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """The recognised objects in a decoded value (an object or a List of them)."""
    if not isinstance(value, dict):
        return
    if value.get("kind") in KINDS or _says_status(value):
        yield value
    elif value.get("kind") in LISTS or (
        isinstance(value.get("items"), list) and "kind" not in value
    ):
        items = value.get("items")
        for item in (items if isinstance(items, list) else [])[:MAX_ITEMS]:
            if isinstance(item, dict) and (
                item.get("kind", value.get("kind", "")[:-4]) in KINDS or _says_status(item)
            ):
                yield item if "kind" in item else {**item, "kind": value["kind"][:-4]}


def _says_status(obj: dict[str, Any]) -> bool:
    """An object of another kind with conditions or a deletion in progress."""
    kind, status, meta = obj.get("kind"), obj.get("status"), obj.get("metadata")
    if (
        not isinstance(kind, str)
        or not kind[:1].isupper()
        or "involvedObject" in obj
        or "regarding" in obj
    ):
        return False
    return (
        (isinstance(status, dict) and isinstance(status.get("conditions"), list))
        or (isinstance(meta, dict) and bool(meta.get("deletionTimestamp")))
        or _balancer_pending(obj)
        or (isinstance(status, dict) and resource_status(obj) is not None)
    )


def _balancer_pending(obj: dict[str, Any]) -> bool:
    """A LoadBalancer Service whose status holds no ingress yet (its `kubectl get svc` row shows
    EXTERNAL-IP <pending>); False for any other object."""
    spec, status = obj.get("spec"), obj.get("status")
    if (
        obj.get("kind") != "Service"
        or not isinstance(spec, dict)
        or spec.get("type") != "LoadBalancer"
    ):
        return False
    balancer = status.get("loadBalancer") if isinstance(status, dict) else None
    return not (isinstance(balancer, dict) and balancer.get("ingress"))


def _other(obj: dict[str, Any], shape: str) -> Subject:
    """Any other kind as `kubectl describe` reads it: its conditions, a deletion under way (a
    Namespace, PVC or custom resource held by its finalizers stays Terminating), a LoadBalancer
    Service without its address."""
    kind, meta, status = str(obj["kind"]), obj.get("metadata") or {}, obj.get("status") or {}
    conditions = status_conditions(status)
    name = str(meta.get("name", ""))
    subject = other_subject(
        kind, {"Name": name, "Namespace": str(meta.get("namespace", ""))}, conditions, []
    )
    facts = subject.facts
    assert isinstance(facts, PodFacts)
    deleting, pending = bool(meta.get("deletionTimestamp")), _balancer_pending(obj)
    if deleting and facts.volumes:  # a PersistentVolume held by its finalizer
        facts.volumes = [replace(volume, deleting=True) for volume in facts.volumes]
    elif deleting:
        owner = facts.owners[0] if facts.owners else OwnerFacts(kind, name)
        facts.owners = [replace(owner, deleting=True), *facts.owners[1:]]
    if pending:
        facts.services = [ServiceFacts(name, -1, -1, balancer_pending=True)]
    custom = resource_status(obj)
    if custom is not None:
        facts.more[custom[0]] = (custom[1],)
    healthy = subject.healthy and (custom is None or custom[1].healthy)
    return replace(subject, shape=shape, healthy=healthy and not deleting and not pending)


def _pod(obj: dict[str, Any], shape: str) -> Subject:
    facts = pod_facts(obj)
    facts.containers = [replace(c, last_finished=None) for c in facts.containers]
    seen = {PHASE, POD_MESSAGES} | (
        {CONTAINERS, EXIT_CODES, CONTAINER_MESSAGES} if facts.containers else set()
    )
    return Subject(f"pod {facts.ref}", shape, facts, seen, health.pod_healthy(facts))


def _node(obj: dict[str, Any], shape: str) -> Subject:
    facts = parse_node(obj)
    seen = {condition_section(c.type) for c in facts.conditions} | {TAINTS}
    return Subject(f"node {facts.name}", shape, facts, seen, health.node_healthy(facts))


def _claim(obj: dict[str, Any], shape: str) -> Subject:
    meta, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    name, namespace = str(meta.get("name", "")), str(meta.get("namespace", ""))
    deleting = bool(meta.get("deletionTimestamp"))  # a Bound claim may be held by its finalizer
    volume = VolumeFacts(
        claim=name,
        phase=str((obj.get("status") or {}).get("phase") or "Unknown"),
        storage_class=spec.get("storageClassName"),
        volume=spec.get("volumeName"),
        deleting=deleting,
    )
    facts = PodFacts(namespace=namespace, name=name, volumes=[volume])
    return Subject(
        f"PersistentVolumeClaim {namespace}/{name}",
        shape,
        facts,
        {VOLUMES},
        health.volume_healthy(volume) and not deleting,
    )


def _manifest(obj: dict[str, Any]) -> bool:
    """A manifest as written (a file, a chart's template): no status and none of the fields the
    API server sets (uid, creationTimestamp, resourceVersion); an object read back from the
    cluster has them, even when the paste is cut before its status."""
    meta = obj.get("metadata")
    assigned = isinstance(meta, dict) and any(
        meta.get(key) for key in ("uid", "creationTimestamp", "resourceVersion")
    )
    return "status" not in obj and not assigned and obj.get("kind") != "Event"


def subjects_of(value: Any, shape: str) -> list[Subject]:
    """Subjects for every recognised object in a decoded paste (events grouped by object)."""
    subjects: list[Subject] = []
    events: list[PastedEvent] = []
    for found in _objects(value):
        obj = _bounded(found, [MAX_OBJECT_NODES])
        if _manifest(obj):
            continue  # what was applied, not what the cluster reports: it states nothing the cluster did
        try:
            kind = obj.get("kind")
            if kind == "Pod":
                subjects.append(_pod(obj, shape))
            elif kind == "Node":
                subjects.append(_node(obj, shape))
            elif kind == "PersistentVolumeClaim":
                subjects.append(_claim(obj, shape))
            elif kind != "Event" and _says_status(obj):
                subjects.append(_other(obj, shape))
            elif "message" not in obj:
                continue  # an Event cut before its message: its reason alone refutes nothing
            else:
                regarding = obj.get("involvedObject") or obj.get("regarding") or {}
                namespace = regarding.get("namespace") or (obj.get("metadata") or {}).get(
                    "namespace"
                )
                events.append(PastedEvent(event_facts(obj), namespace))
        except (AttributeError, TypeError, ValueError, KeyError):
            continue  # an object that is not what its kind says (hand-edited, truncated): skip it
    return subjects + event_subjects(events, shape)


def parse_json(text: str, offset: int, start: int, lines: list[str]) -> tuple[Block | None, int]:
    """The JSON value at `offset` of the cleaned text (line `start` of `lines`): its block if it
    holds a recognised kind, and the first line after what the decoder read."""
    try:
        value, end = _DECODER.raw_decode(text, offset)
    except json.JSONDecodeError as exc:
        # the paste stops inside the value: read the lines it shows
        cut = cut_value(text, offset) if cut_short(text, offset, exc.pos) else None
        if cut is None:  # broken JSON: its lines are plain text, never re-read
            return None, start + max(1, text.count("\n", offset, exc.pos))
        value, end = cut.value, cut.end
    except RecursionError:  # absurd nesting: skip the run of lines that open it
        end_line = start + 1
        while end_line < len(lines) and starts_json(lines[end_line].lstrip()):
            end_line += 1
        return None, end_line
    end_line = start + text.count("\n", offset, end) + 1
    subjects = subjects_of(value, "kubectl get -o json")
    subjects += service_links.manifest_subjects(
        service_links.objects_in(value), "kubectl get -o json"
    )
    return (
        _block("kubectl get -o json", start, end_line, subjects) if subjects else None
    ), end_line


def _block(shape: str, start: int, end: int, subjects: list[Subject]) -> Block:
    block = Block(shape, start, end, subjects=subjects)
    block.settle()
    if block.healthy:
        block.quiet = set(range(start, end))
    return block


def yaml_extent(lines: list[str], start: int) -> int:
    """The line after the YAML document(s) starting at `start`."""
    return yaml_end(lines, start)


def prune(lines: list[str]) -> str:
    """The YAML without the subtrees and scalars in PRUNED (cut by indentation)."""
    kept: list[str] = []
    skip_deeper_than = -1
    for line in lines:
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if skip_deeper_than >= 0:
            if (
                not stripped
                or depth > skip_deeper_than
                or (depth == skip_deeper_than and stripped[:2] == "- ")
            ):
                continue
            skip_deeper_than = -1
        item = stripped[:2] == "- "
        key_at = 2 if item else 0
        colon = stripped.find(":", key_at)
        if key_at < colon and stripped[key_at:colon] in PRUNED:
            value = stripped[colon + 1 :].strip()
            if not value or value in ("|", ">", "|-", ">-"):
                skip_deeper_than = depth + key_at
            if item:  # the item stays, its first key goes: "-" alone opens the item's mapping
                kept.append(line[: depth + 1])
            continue
        kept.append(line)
    return "\n".join(kept)


def _load_yaml(text: str) -> list[Any]:
    """Every YAML document in `text` (ValueError when it is not YAML)."""
    import yaml  # here, not at start-up: most pastes hold no YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return list(yaml.load_all(text[:MAX_OBJECT_CHARS], Loader=loader))
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from None


def _linked(lines: list[str]) -> list[Subject]:
    """Pod templates a Service in the same YAML cannot reach (bot.paste.readings.service_links); read
    unpruned (labels and container ports are pruned for the other readers), only when the YAML
    holds a Service and something with a pod template."""
    if not (
        any(_SERVICE_LINE.match(line) for line in lines)
        and any(_TEMPLATE_LINE.match(line) for line in lines)
    ):
        return []
    try:
        documents = _load_yaml("\n".join(lines))
    except (ValueError, RecursionError):
        return []
    return service_links.manifest_subjects(
        (obj for document in documents for obj in service_links.objects_in(document)),
        "kubectl get -o yaml",
    )


def parse_yaml(lines: list[str], start: int) -> tuple[Block | None, int]:
    """YAML document(s) at `start`: their block if they hold a recognised kind, and their end."""
    end = yaml_extent(lines, start)
    linked = _linked(lines[start:end])
    if not any(
        _KIND_LINE.match(line) or _STATUS_LINE.match(line) or _CUSTOM_KIND_LINE.match(line)
        for line in lines[start:end]
    ):
        return (_block("kubectl get -o yaml", start, end, linked) if linked else None), end
    try:
        documents = _load_yaml(prune(lines[start:end]))
    except ValueError:
        from bot.cluster.outputs.manifests import requoted_scalars  # (YAML: loaded late)

        try:  # the paste's cleaning undid the doubled quotes of single-quoted scalars
            documents = _load_yaml(requoted_scalars(prune(lines[start:end])))
        except (ValueError, RecursionError):
            return None, end
    except RecursionError:
        return None, end
    subjects = [
        s for document in documents for s in subjects_of(document, "kubectl get -o yaml")
    ] + linked
    return (_block("kubectl get -o yaml", start, end, subjects) if subjects else None), end


POD_YIELDS = frozenset(
    {
        "PodFacts.uid",
        "PodFacts.phase",
        "PodFacts.reason",
        "PodFacts.message",
        "PodFacts.node_name",
        "PodFacts.age_seconds",
        "PodFacts.images",
        "PodFacts.owner_refs",
        "PodFacts.claims",
        "PodFacts.containers",
        "PodFacts.conditions",
        "PodFacts.events",
        "PodFacts.volumes",
        "PodFacts.owners",
        "PodFacts.labels",
        "PodFacts.ports",
        "PodFacts.services",
        "PodFacts.more",
        "NodeFacts.conditions",
        "NodeFacts.taints",
        "NodeFacts.unschedulable",
        "NodeFacts.allocatable",
        "NodeFacts.events",
    }
)


def read_json(at: At) -> Read:
    block, after = parse_json(at.offsets.text, at.offsets.of(at.number), at.number, at.lines)
    return block if block is not None else Consumed(after)


def read_yaml(at: At) -> Read:
    block, after = parse_yaml(at.lines, at.number)
    return block if block is not None else Consumed(after)


JSON = Reading("-o json", lambda at: starts_json(at.line), read_json, POD_YIELDS)
YAML = Reading("-o yaml", lambda at: starts_yaml(at.line), read_yaml, POD_YIELDS)
