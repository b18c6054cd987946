"""An app family on the real node: its manifests, its faults, and what the harness needs to run it.

The harness (sequence.py, reading.py, record.py, asking.py, alerts.py, actions.py and
bench/cascade.py) takes a `Family` and runs any of them the same way: the cascade app
(tests/cascade/app.py, faults.py) and the market app (tests/market/). A `Fault` is what a user
changes in the family's healthy manifests, when the failure shows, and its label: the object
the diagnosis must name first and the catalog id of its cause, written before the product is
asked about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

import yaml

from tests.realserver.api import KINDS

if TYPE_CHECKING:
    from tests.cascade.reading import Check, View

Edits = dict[str, tuple[tuple[str, str], ...]]
Samples = dict[str, list[tuple[datetime, float]]]


def documents(text: str) -> dict[str, str]:
    """KIND/name -> that object's YAML text, in order."""
    found: dict[str, str] = {}
    for doc in text.split("---\n"):
        obj = yaml.safe_load(doc)
        if obj:
            found[f"{obj['kind']}/{obj['metadata']['name']}"] = doc
    return found


def objects(text: str, image: str, namespace: str) -> list[dict[str, Any]]:
    """The manifests' objects, image filled in; a namespaced object without a namespace of its
    own goes in `namespace`."""
    found = [obj for obj in yaml.safe_load_all(Template(text).substitute(image=image)) if obj]
    for obj in found:
        if KINDS[obj["kind"]].namespaced:
            obj["metadata"].setdefault("namespace", namespace)
    return found


@dataclass(frozen=True)
class Fault:
    """One fault: how it is made, when it shows, and what the diagnosis must name first.

    `culprit` is the suspect `object` to put first, `resource` the exact object to change (for
    the table; not scored), `entry` the catalog id of the cause, `caller` the tier whose pod
    `diagnose pod` is asked about (the first victim: it calls the culprit), `shows` when the
    failure has really happened. A change is `edits` (old -> new lines of one object of the
    healthy manifests), objects `added`, Deployments restarted after it as people do after
    editing a Secret or a ConfigMap (`restart`), or an `action` (tests/cascade/actions.py).
    """

    name: str
    culprit: str
    resource: str
    entry: str
    caller: str
    shows: Check
    edits: Edits = field(default_factory=dict)
    added: str = ""
    restart: tuple[str, ...] = ()
    action: str = ""
    """"netpol", "delay", "dns-down" or "dns-gone" (tests/cascade/actions.py), or none."""
    symptom_service: str = "web"
    symptom_path: str = ""
    """The users' path whose failure is the symptom ("" for the family's)."""
    symptom_text: str = ""
    """The users' own words when no answer of theirs fails (a fault only metrics would show)."""
    timeout: float = 240.0

    def changed(self, manifests: str) -> dict[str, str]:
        """KIND/name -> the faulty YAML of each object the fault edits."""
        docs = documents(manifests)
        changed = {}
        for key, changes in self.edits.items():
            text = docs[key]
            for old, new in changes:
                assert text.count(old) == 1, f"{self.name}: {old!r} is not in {key} exactly once"
                text = text.replace(old, new)
            changed[key] = text
        return changed


@dataclass(frozen=True)
class Family:
    """An app family: what to apply, what healthy means, how its users and latency are read."""

    name: str
    namespace: str
    manifests: str
    """The healthy app as a user writes it (`$image`: the family's image on the node)."""
    tiers: tuple[str, ...]
    """Its Deployments, one pod each, that make the app (the users' `load` among them)."""
    services: tuple[str, ...]
    """The Services that must have ready endpoints when it is healthy."""
    faults: tuple[Fault, ...]
    recorded: Path
    image: Callable[[Any], str]
    """The family's image on a `RealNode`."""
    users: str
    """How the users' tool names the app in its log ("http://web")."""
    paths: tuple[str, ...]
    """The users' paths that answer 200 fast when the app is healthy; the first is the
    default symptom's."""
    samples: Callable[[dict[str, str]], Samples]
    """Service -> (time, seconds) of each answer measured, from the tiers' logs (alerts.py)."""
    label: str = "app"
    """The pod label whose value names the tier."""
    accounts: tuple[str, ...] = ("default",)
    """ServiceAccounts whose token Secret must exist before pods are created (1.20)."""
    first: tuple[str, ...] = ()
    """Deployments created before the others, in this order (each with a readiness probe
    waited ready: a Spring Boot app stops without its database)."""
    elsewhere: dict[str, str] = field(default_factory=dict)
    """tier -> namespace, for a tier outside the app's namespace (an Ingress controller)."""
    commands: tuple[tuple[str, str], ...] = ()
    """(file, kubectl command) recorded in the app's namespace."""
    cluster_commands: tuple[tuple[str, str], ...] = ()
    """(file, kubectl command) recorded as given (other namespaces)."""
    alert_name: str = "HighRequestLatency"
    delayed: str = "catalog"
    """The tier whose link the `delay` action shapes."""
    keep_restarts: bool = False
    """When a fault is undone, leave pods that restarted but run again as they are (their
    restarts are history); otherwise each gets a new pod."""
    chronic_alerts: Callable[[View], list[dict[str, Any]]] | None = None
    """Alerts firing whatever the fault (the noise a team lives with). With them, every
    recording lists all that fires (latency too); without, only the latency fault's do."""

    def namespace_of(self, tier: str) -> str:
        return self.elsewhere.get(tier, self.namespace)

    def fault(self, name: str) -> Fault:
        return next(f for f in self.faults if f.name == name)
