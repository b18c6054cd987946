"""Fix commands in the reader's names.

Catalog entries write their commands for any object (`kubectl describe pvc
<claim> -n <namespace>`); once the diagnosis knows the pod, its claim, node,
namespace, failing container, image, quota or the taint in the way, the
placeholders are filled so the command runs as shown. A value is filled only
under its own kind (a claim's name never lands in a pod's place) and only when
it is valid for that kind (a pasted name is never copied into a command a
reader may run); a value nobody gave keeps its placeholder, which asks for it
by name. This happens on the transport-neutral Diagnosis, so the terminal,
JSON, Slack and `kubemedic preview` show the same commands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from intents.facts.model import NodeFacts, PodFacts
from intents.fix_values import asked_step
from intents.schema import CatalogEntry, FixStep
from responses.diagnosis import Diagnosis, Finding

_SUBDOMAIN = r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"
_LABEL = r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?"
_HOST = r"(?:localhost|[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)+|[a-z0-9-]+:\d{1,5})(?::\d{1,5})?"  # noqa: E501
_PATH = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
_QUANTITY = r"\d{1,12}(?:\.\d{1,3})?(?:Ki|Mi|Gi|Ti|k|M|G|T|m)?"
_PROBE_PORT = r"\d{1,5}|[a-z](?:[-a-z0-9]{0,13}[a-z0-9])?"
_LABEL_KEY = rf"(?:{_SUBDOMAIN}/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{{0,61}}[A-Za-z0-9])?"
_LABEL_PAIR = rf"{_LABEL_KEY}=(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{{0,61}}[A-Za-z0-9])?)?"

KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "pod": (("<pod>", "<pod-name>"), _SUBDOMAIN),
    "namespace": (("<namespace>", "<ns>"), _LABEL),
    "node": (("<node>", "<node-name>", "<nodename>"), _SUBDOMAIN),
    "container": (("<container>", "<container-name>"), _LABEL),
    "claim": (("<claim>", "<pvc>", "<pvc-name>"), _SUBDOMAIN),
    "quota": (("<quota>",), _SUBDOMAIN),
    "image": (
        ("<image>", "<image-name>"),
        rf"(?:{_HOST}/)?{_PATH}(?::[\w][\w.-]{{0,127}})?(?:@sha256:[a-f0-9]{{64}})?",
    ),
    "registry": (("<registry>", "<registry-host>"), _HOST),
    "repository": (("<repository>",), _PATH),
    "taint-key": (
        ("<taint-key>",),
        rf"(?:{_SUBDOMAIN}/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{{0,61}}[A-Za-z0-9])?",
    ),
    "taint-value": (("<taint-value>",), r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?"),
    "taint-effect": (("<taint-effect>",), r"NoSchedule|PreferNoSchedule|NoExecute"),
    "memory-limit": (("<memory-limit>",), _QUANTITY),
    "memory-peak": (("<memory-peak>",), _QUANTITY),
    # amounts computed from the input (bot.diagnosis.amounts): shown beside an amount to choose
    "requested-cpu": (("<requested-cpu>",), _QUANTITY),
    "requested-memory": (("<requested-memory>",), _QUANTITY),
    "free-cpu": (("<free-cpu>",), _QUANTITY),
    "free-memory": (("<free-memory>",), _QUANTITY),
    # who was refused what (an RBAC message): the caller, its service account, the verb and resource
    "subject": (("<subject>",), r"[A-Za-z0-9](?:[-A-Za-z0-9@._:+]{0,251}[A-Za-z0-9])?"),
    "serviceaccount": (("<serviceaccount>", "<service-account>"), _SUBDOMAIN),
    "serviceaccount-namespace": (("<serviceaccount-namespace>",), _LABEL),
    "verb": (("<verb>",), r"[a-z]{2,20}"),
    "resource": (("<resource>",), r"[a-z][a-z0-9.-]{0,62}(?:/[a-z]{1,30})?"),
    "api-group": (("<api-group>",), rf"(?:{_SUBDOMAIN})?"),
    "role": (("<role>",), _SUBDOMAIN),
    "storageclass": (("<storageclass>", "<storage-class>"), _SUBDOMAIN),
    "release": (("<release>",), r"[a-z0-9](?:[-a-z0-9]{0,51}[a-z0-9])?"),
    # what owns the pod, as `kubectl set image` takes it (a bare pod: pod/NAME)
    "workload": (
        ("<workload>",),
        rf"(?:deployment|statefulset|daemonset|replicaset|job|pod)/{_SUBDOMAIN}",
    ),
    # what the suspects walk names in its fixes (intents/walk_findings.py WALK_NAMES)
    "service": (("<service>",), _LABEL),
    "service-namespace": (("<service-namespace>",), _LABEL),
    "dns-name": (("<dns-name>",), r"[A-Za-z0-9](?:[-A-Za-z0-9.]{0,251}[A-Za-z0-9])?"),
    "selector": (("<selector>",), rf"{_LABEL_PAIR}(?:,{_LABEL_PAIR}){{0,19}}"),
    "port": (("<port>",), r"\d{1,5}|[a-z0-9](?:[-a-z0-9]{0,13}[a-z0-9])?"),
    "service-port": (("<service-port>",), r"\d{1,5}"),
    "protocol": (("<protocol>",), r"TCP|UDP|SCTP"),
    "env-var": (("<env-var>", "<variable>"), r"[A-Za-z_][A-Za-z0-9_.-]{0,127}"),
    "deployment": (("<deployment>",), _SUBDOMAIN),
    "address": (
        ("<address>",),
        (
            rf"(?:(?:[a-z][a-z0-9+.-]{{0,15}}:){{1,2}}//)?{_SUBDOMAIN}(?::\d{{1,5}})?"
            r"(?:/[A-Za-z0-9._~/-]{0,200})?"
        ),
    ),
    "quota-resource": (("<quota-resource>",), r"[a-z][a-z0-9./-]{0,126}"),
    "unit": (("<unit>",), r"[a-z0-9][-a-z0-9@._]{0,62}"),
    "replicas": (("<replicas>",), r"\d{1,6}"),
    "cpu-limit": (("<cpu-limit>",), _QUANTITY),
    "route": (("<route>",), rf"(?:ingress|httproute|virtualservice)/{_SUBDOMAIN}"),
    "route-path": (("<route-path>",), r"/[A-Za-z0-9._~/-]{0,200}"),
    "configmap": (("<configmap>",), _SUBDOMAIN),
    "config-key": (("<config-key>",), r"[-._A-Za-z0-9]{1,253}"),
    "hpa": (("<hpa>",), _SUBDOMAIN),
    "policy": (("<policy>",), _SUBDOMAIN),
    # an Argo CD application and its source's path in the repository
    "app": (("<app>",), r"[a-z0-9](?:[-a-z0-9]{0,51}[a-z0-9])?"),
    "app-path": (("<app-path>",), r"[A-Za-z0-9._-][A-Za-z0-9._/-]{0,200}"),
    # the cert-manager issuer a certificate asks for, and one the paste says does not exist
    "issuer": (("<issuer>",), _SUBDOMAIN),
    "missing-issuer": (("<missing-issuer>",), _SUBDOMAIN),
    # a probe's path and the port its fix points it at (bot.diagnosis.probe_names)
    **{
        f"{probe}-{part}": ((f"<{probe}-{part}>",), pattern)
        for probe in ("readiness", "liveness", "startup")
        for part, pattern in (("path", r"/[A-Za-z0-9._~/-]{0,200}"), ("port", _PROBE_PORT))
    },
}
"""Each kind of name: the placeholders it fills (the first is the catalog's own spelling, the others
older ones user catalogs may still use) and the pattern a value must match in full."""
_VALID = {kind: re.compile(f"^(?:{pattern})$") for kind, (_, pattern) in KINDS.items()}
_PLACEHOLDER = re.compile(r"<[a-z][a-z0-9-]*>")


def valid(kind: str, value: str) -> bool:
    """True when `value` is a well-formed name of this kind (and safe to put in a command)."""
    return len(value) <= 253 and bool(_VALID[kind].match(value))


@dataclass(frozen=True)
class Names:
    """The subject's names by kind, each one valid for its kind; missing kinds are unknown."""

    values: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, **given: str | None) -> Names:
        """Names from keyword values (`taint_key=` for "taint-key"); invalid or missing ones are dropped."""
        values = {key.replace("_", "-"): value for key, value in given.items() if value is not None}
        return cls({kind: value for kind, value in values.items() if valid(kind, value)})

    @classmethod
    def checked(cls, values: Mapping[str, str]) -> Names:
        """Names from kind -> value (a fleet agent's, off the wire): unknown kinds and invalid values dropped."""
        return cls(
            {kind: value for kind, value in values.items() if kind in KINDS and valid(kind, value)}
        )

    def get(self, kind: str) -> str | None:
        return self.values.get(kind)

    def __or__(self, other: Names) -> Names:
        """These names, with `other`'s for the kinds these lack."""
        return Names({**other.values, **self.values})

    def placeholders(self) -> dict[str, str]:
        """Placeholder -> value, for each known kind."""
        return {
            placeholder: value
            for kind, value in self.values.items()
            for placeholder in KINDS[kind][0]
        }


def _host_like(first: str) -> bool:
    """An image reference's first part names a registry host (`a.b`, `host:port`, localhost)."""
    return "." in first or ":" in first or first == "localhost"


def image_names(image: str | None) -> Names:
    """An image reference with its registry (when the reference names a host) and repository."""
    if image is None or not valid("image", image):
        return Names()
    first, slash, rest = image.partition("/")
    on_host = bool(slash) and _host_like(first)
    path = (rest if on_host else image).split("@", 1)[0]
    untagged, colon, tag = path.rpartition(":")
    return Names.of(
        image=image,
        registry=first if on_host else None,
        repository=untagged if colon and "/" not in tag else path,
    )


def _failing_container(facts: PodFacts) -> str | None:
    """The failing container's name when there is one (or the pod has a single container)."""
    failing = {c.name for c in facts.containers if c.failing and c.named}
    if len(failing) == 1:
        return failing.pop()
    named = [c.name for c in facts.containers if c.named]
    return named[0] if len(named) == 1 and len(facts.containers) == 1 else None


def _one(values: Iterable[str | None]) -> str | None:
    """The value when exactly one distinct value is given (several would be a guess)."""
    distinct = list(dict.fromkeys(value for value in values if value))
    return distinct[0] if len(distinct) == 1 else None


def _taint(taints: list[str]) -> Names:
    """The node's one taint as its key and effect (facts keep "key:Effect": the value is not known)."""
    taint = _one(taints)
    if taint is None:
        return Names()
    key, _, effect = taint.rpartition(":")
    return Names.of(taint_key=key.partition("=")[0], taint_effect=effect)


def pod_names(facts: PodFacts) -> Names:
    """What a pod's facts name: itself, its namespace, node, failing container, image, claim, quota."""
    container = _failing_container(facts)
    image = facts.images.get(container) if container else _one(facts.images.values())
    claims = [volume.claim for volume in facts.volumes if volume.phase != "Bound"] or list(
        facts.claims
    )
    quotas = [quota.name for quota in facts.quotas if quota.refused or quota.full]
    limit = facts.memory_limits.get(container) if container else None
    names = Names.of(
        pod=facts.name,
        namespace=facts.namespace,
        node=facts.node_name,
        container=container,
        claim=_one(claims),
        quota=_one(quotas),
        memory_limit=limit,
    )
    return names | image_names(image)


_TEMPLATE_HASH = re.compile(r"-[a-z0-9]{6,10}$")
"""The pod-template hash a Deployment adds to its ReplicaSet's name."""


def workload_names(kind: str | None, name: str | None) -> Names:
    """The workload `kubectl set image` takes for a pod's controller (kind, name); a ReplicaSet
    is its Deployment's; kind None is a pod of its own, whose name is `name`."""
    if not name:
        return Names()
    if kind is None:
        return Names.of(workload=f"pod/{name}")
    if kind == "ReplicaSet" and _TEMPLATE_HASH.search(name):
        kind, name = "Deployment", _TEMPLATE_HASH.sub("", name)
    deployment = name if kind == "Deployment" else None
    return Names.of(workload=f"{kind.lower()}/{name}", deployment=deployment)


_DEPLOYMENT_POD = re.compile(
    r"^(?P<deployment>[a-z0-9](?:[-a-z0-9]{0,220}[a-z0-9])?)-[bcdfghjklmnpqrstvwxz2456789]{6,10}"
    r"-[bcdfghjklmnpqrstvwxz2456789]{5}$"
)
"""A Deployment's pod as Kubernetes names it: the Deployment, its pod-template hash, then five
random characters, both drawn from the alphabet without vowels Kubernetes uses for them."""


def pod_workload(pod: str | None) -> Names:
    """The Deployment a pod's name says it belongs to (computed, where nothing states its owner)."""
    found = _DEPLOYMENT_POD.match(pod or "")
    return workload_names("Deployment", found.group("deployment")) if found else Names()


def owner_names(facts: PodFacts) -> Names:
    """The workload that owns a pod a cluster read found (its top controller), or the pod itself
    when nothing owns it. Only a cluster read says "nothing": a pasted row does not show owners."""
    if facts.owners:
        top = facts.owners[-1]
        return workload_names(top.kind, top.name)
    if facts.owner_refs:
        return workload_names(*facts.owner_refs[0])
    return workload_names(None, facts.name)


def names_of(facts: PodFacts | NodeFacts | None) -> Names:
    """What the facts name: a pod (namespace, node, failing container...) or a node."""
    if isinstance(facts, NodeFacts):
        return Names.of(node=facts.name) | _taint(facts.taints)
    if isinstance(facts, PodFacts):
        return pod_names(facts)
    return Names()


def filled(text: str | None, names: Names, keep: frozenset[str] = frozenset()) -> str | None:
    """`text` with every placeholder these names know, except those in `keep`, replaced by its value."""
    if not text:
        return text
    values = {key: value for key, value in names.placeholders().items() if key not in keep}
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(0), found.group(0)), text)


def named_step(catalog_step: FixStep, names: Names) -> FixStep:
    """The step in these names: the fill step, where the one rule for a fix's values holds. A
    value is the input's (a placeholder filled from these names), computed from it (a figure
    these names carry) or asked for by name (a placeholder left as written); an example value
    the catalog wrote where the reader's belongs is asked for instead (intents.fix_values), and
    an amount to choose is never filled with the one the input shows."""
    step, chosen = asked_step(catalog_step)
    text, command, config = (
        filled(step.text, names),
        filled(step.command, names, chosen),
        filled(step.config, names, chosen),
    )
    observed = [filled(line, names) or line for line in step.observed]
    if (text, command, config, observed) == (step.text, step.command, step.config, step.observed):
        return step
    return replace(step, text=text or step.text, command=command, config=config, observed=observed)


def named_findings(findings: tuple[Finding, ...], names: Names) -> tuple[Finding, ...]:
    """The findings with their fix steps in these names (and no example value: `named_step`)."""
    out: list[Finding] = []
    for finding in findings:
        entry = finding.match.entry
        steps = [named_step(step, names) for step in entry.fix]
        if all(new is old for new, old in zip(steps, entry.fix, strict=True)):
            out.append(finding)
            continue
        match = replace(finding.match, entry=replace(entry, fix=steps))
        out.append(replace(finding, match=match))
    return tuple(out)


def named(diagnosis: Diagnosis, names: Names) -> Diagnosis:
    """The diagnosis with its findings' fix commands in these names."""
    findings = named_findings(diagnosis.findings, names)
    return diagnosis if findings is diagnosis.findings else replace(diagnosis, findings=findings)


_KIND_OF = {
    placeholder: kind for kind, (placeholders, _) in KINDS.items() for placeholder in placeholders
}


def _names_in_text(template: str | None, text: str | None) -> dict[str, str] | None:
    """The names that turned `template` (with placeholders) into `text`, by kind; None when `text` is
    not `template` filled in (a placeholder left unfilled comes back as itself, which no kind accepts)."""
    if template == text:
        return {}
    if not template or not text:
        return None
    pattern: list[str] = []
    groups: dict[str, str] = {}
    last = 0
    for found in _PLACEHOLDER.finditer(template):
        pattern.append(re.escape(template[last : found.start()]))
        placeholder, last = found.group(0), found.end()
        if placeholder in groups:
            pattern.append(f"(?P={groups[placeholder]})")
            continue
        groups[placeholder] = f"n{len(groups)}"
        pattern.append(f"(?P<{groups[placeholder]}>.+?)")
    pattern.append(re.escape(template[last:]))
    matched = re.fullmatch("".join(pattern), text, flags=re.DOTALL)
    if matched is None:
        return None
    return {
        _KIND_OF[placeholder]: matched.group(group)
        for placeholder, group in groups.items()
        if placeholder in _KIND_OF
    }


def _step_names(template: FixStep, step: FixStep) -> dict[str, str] | None:
    """The names that made `step` of the catalog's `template` step; None when it is another step."""
    template = asked_step(template)[0]
    if len(template.observed) != len(step.observed):
        return None
    found: dict[str, str] = {}
    pairs = [
        (template.text, step.text),
        (template.command, step.command),
        (template.config, step.config),
        *zip(template.observed, step.observed, strict=True),
    ]
    for old, new in pairs:
        names = _names_in_text(old, new)
        if names is None:
            return None
        found.update(names)
    return found


@dataclass(frozen=True)
class Shown:
    """How a diagnosis showed a catalog entry: which of its fix steps and links (by index; the rest
    did not fit the case), with the fix commands in which names."""

    steps: tuple[int, ...]
    links: tuple[int, ...]
    names: Names


def shown_of(catalog: CatalogEntry, shown: CatalogEntry) -> Shown:
    """What turned the catalog's entry into the one a diagnosis shows (a fleet agent sends this, not
    the steps themselves: the hub shows its own catalog's words)."""
    steps: list[int] = []
    found: dict[str, str] = {}
    cursor = 0
    for step in shown.fix:
        for number in range(cursor, len(catalog.fix)):
            names = _step_names(catalog.fix[number], step)
            if names is not None:
                steps.append(number)
                found.update(names)
                cursor = number + 1
                break
    links = [number for number, link in enumerate(catalog.links) if link in shown.links]
    return Shown(tuple(steps), tuple(links), Names.checked(found))


def as_shown(catalog: CatalogEntry, shown: Shown) -> CatalogEntry:
    """The catalog's entry as a diagnosis showed it (`shown_of`'s inverse), with only valid names filled."""
    steps = [
        named_step(catalog.fix[number], shown.names)
        for number in shown.steps
        if number < len(catalog.fix)
    ]
    links = [catalog.links[number] for number in shown.links if number < len(catalog.links)]
    return replace(catalog, fix=steps, links=links)
