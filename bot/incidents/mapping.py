"""Which cluster, namespace and object a page is about: its labels, read from its details.

`KUBEMEDIC_INCIDENT_FIELDS` names where a label is, `label=path` (a dotted path into the custom
details: `cluster=k8s.cluster`). A label it does not name is read, in this order, from the details'
key of the same name, from a `labels` object in them, and from the Alertmanager text they carry:
Alertmanager's default PagerDuty details (`firing`) and its default Opsgenie description list each
alert as "Labels:" then " - name = value" lines, then "Annotations:" (summary, description,
runbook_url). The first alert listed speaks for the page. Values are clipped; the text is read
line by line, never searched with a pattern.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.diagnosis.targets import DEFAULT_LABELS
from bot.incidents.pages import Page

MAX_VALUE = 253
"""Longest label value kept (a Kubernetes name is at most 253 characters)."""
MAX_TEXT = 64 * 1024
"""Characters of an Alertmanager text read (its first alert is at the top)."""
MAX_LINES = 200
LABELS = tuple(dict.fromkeys(("alertname", "severity", "cluster", "container", *DEFAULT_LABELS)))
"""The labels an alert's target and routing are read from (bot/diagnosis/targets.py)."""
ANNOTATIONS = ("summary", "description", "runbook_url")


@dataclass(frozen=True)
class Mapped:
    """A page's labels and the annotations its Alertmanager text carried."""

    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


def _default_label(
    label: str, details: Mapping[str, Any], nested: Mapping[str, Any], texts: Mapping[str, str]
) -> str | None:
    """A label where a page carries it unconfigured: a detail, a nested label, its text."""
    return _scalar(details.get(label)) or _scalar(nested.get(label)) or texts.get(label)


def mapped(page: Page, fields: Mapping[str, str]) -> Mapped:
    """The page's labels (configured paths first, then the defaults) and its annotations."""
    details = page.details or {}
    text_labels, annotations = _alertmanager_text(_text_of(details, page))
    inner = details.get("labels")
    nested: Mapping[str, Any] = inner if isinstance(inner, dict) else {}
    labels: dict[str, str] = {}
    for label in dict.fromkeys([*fields, *LABELS]):
        configured = _at(details, fields[label]) if label in fields else None
        value = configured or _default_label(label, details, nested, text_labels)
        if value:
            labels[label] = value
    if page.severity and "severity" not in labels:
        labels["severity"] = page.severity
    return Mapped(labels, annotations)


def _text_of(details: Mapping[str, Any], page: Page) -> str:
    firing = details.get("firing")
    text = firing if isinstance(firing, str) and firing.strip() else page.description
    return str(text)[:MAX_TEXT]


def _at(details: Mapping[str, Any], path: str) -> str | None:
    """The scalar at a dotted path; a key with a dot in it is tried whole first."""
    if path in details:
        return _scalar(details[path])
    node: Any = details
    for step in path.split(".")[:8]:
        if not isinstance(node, Mapping) or step not in node:
            return None
        node = node[step]
    return _scalar(node)


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip()
    return text[:MAX_VALUE] if text else None


def _alertmanager_text(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """The first alert's labels and annotations in Alertmanager's text list."""
    labels: dict[str, str] = {}
    annotations: dict[str, str] = {}
    section: dict[str, str] | None = None
    for line in text.splitlines()[:MAX_LINES]:
        stripped = line.strip()
        if stripped in ("Labels:", "**Labels**"):
            if labels:  # the next alert begins
                break
            section = labels
        elif stripped in ("Annotations:", "**Annotations**"):
            section = annotations
        elif stripped.startswith("- ") and section is not None:
            name, sep, value = stripped[2:].partition(" = ")
            if sep and name.strip() and name.strip() not in section:
                section[name.strip()] = value.strip()[: MAX_VALUE * 4]
        elif stripped.startswith("Source:"):
            section = None
    kept = {name: value[:MAX_VALUE] for name, value in labels.items()}
    return kept, {name: annotations[name] for name in ANNOTATIONS if annotations.get(name)}
