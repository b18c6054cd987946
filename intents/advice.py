"""Product-specific advice only in its context.

A fix step or link that applies to one product (TiDB, Istio, ingress-nginx...)
carries an `AdviceContext`; `advice_for` keeps it only when what is diagnosed
meets that context: the pasted text (or a pod's logs and events), a container
image, a pod label or a container name.  Everything else is shown everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from intents.regex_engine import compile_regex
from intents.schema import AdviceContext, CatalogEntry

MAX_TEXT = 200_000
"""Only this much of the text is searched for a product's name (a paste is capped lower)."""


@dataclass(frozen=True)
class SeenContext:
    """What the diagnosis saw that can name a product."""

    text: str = ""
    images: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    containers: tuple[str, ...] = ()


def holds(context: AdviceContext, seen: SeenContext) -> bool:
    """True when at least one fact the context names is there."""
    text = seen.text[:MAX_TEXT]
    if context.text is not None and compile_regex(context.text).search(text):
        return True
    if context.images is not None:
        image = compile_regex(context.images)
        # a paste shows images only as text ("Image: pingcap/tikv:v7.5.0")
        if any(image.search(name) for name in seen.images) or image.search(text):
            return True
    if any(seen.labels.get(label) in values for label, values in context.labels.items()):
        return True
    return any(name in context.containers for name in seen.containers)


def advice_for(entry: CatalogEntry, seen: SeenContext) -> CatalogEntry:
    """The entry with only the fix steps and links whose context holds (the entry itself if all do)."""
    steps = [step for step in entry.fix if step.context is None or holds(step.context, seen)]
    links = [link for link in entry.links if link.context is None or holds(link.context, seen)]
    if len(steps) == len(entry.fix) and len(links) == len(entry.links):
        return entry
    return replace(entry, fix=steps, links=links)
