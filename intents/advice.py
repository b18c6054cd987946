"""Product-specific advice only in its context, and the one step that fixes this case.

A fix step or link that applies to one product (TiDB, Istio, ingress-nginx...)
carries an `AdviceContext`; `advice_for` keeps it only when what is diagnosed
meets that context: the pasted text (or a pod's logs and events), a container
image, a pod label or a container name.  Everything else is shown everywhere.

`primary_step` picks the step a short answer shows: the one whose `fits` matches
what was seen, else the first that changes something for any case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from intents.regex_engine import compile_regex
from intents.schema import AdviceContext, CatalogEntry, FixStep

MAX_TEXT = 200_000
"""Only this much of the text is searched for a product's name (a paste is capped lower)."""


@dataclass(frozen=True)
class SeenContext:
    """What the diagnosis saw that can name a product."""

    text: str = ""
    images: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    containers: tuple[str, ...] = ()


def _image_shown(pattern: str, seen: SeenContext, text: str) -> bool:
    """An image matching `pattern` is seen, or said in the text (a paste shows images only as
    text: "Image: pingcap/tikv:v7.5.0")."""
    image = compile_regex(pattern)
    return any(image.search(name) for name in seen.images) or image.search(text) is not None


def holds(context: AdviceContext, seen: SeenContext) -> bool:
    """True when at least one fact the context names is there."""
    text = seen.text[:MAX_TEXT]
    if context.text is not None and compile_regex(context.text).search(text):
        return True
    if context.images is not None and _image_shown(context.images, seen, text):
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


_CONDITION = re.compile(
    r"^(?:if|when|where|while|for|on|in|with|once|after|before|unless)\b[^,;:]{0,160}[,:]\s+",
    re.IGNORECASE,
)
"""A step that starts with its case ("If no default exists, set one"): a fix only for that case."""
_CHECKS = re.compile(
    r"^(?:first,?\s+)?(?:check|see|read|find|list|show|confirm|compare|look|verify|inspect|identify|watch|"
    r"make sure|describe|test|trace|measure|locate|print|query|review|determine|work out|spot|get|fetch|"
    r"reproduce|ask|know|tell|decode|dump|view|search|note|call|run that|try|wait|the root cause is|the log|its log)\b",
    re.IGNORECASE,
)
"""A step that looks before it changes anything."""
_READS = re.compile(
    r"^\s*(?:sudo\s+)?(?:kubectl\s+(?:-n\s+\S+\s+)?(?:get|describe|logs|top|explain|auth\s+can-i|events|version|"
    r"api-resources|api-versions|cluster-info|config\s+(?:view|current-context|get-contexts))\b|journalctl|"
    r"systemctl\s+status|crictl\s+(?:ps|images|inspect\w*|logs|info|pods)|grep|cat|ls|df|du|dmesg|free|"
    r"curl|dig|nslookup|openssl|helm\s+(?:list|ls|status|history|get)|etcdctl\s+(?:endpoint|member\s+list)|"
    r"echo|jq|head|tail|ss|ip|findmnt|mount\s*$|stat|id|uname|nproc|ulimit|sysctl\s+(?!-w))"
)


def is_check(step: FixStep) -> bool:
    """True for a step that only looks (reads logs, describes, compares) rather than changes."""
    text = _CONDITION.sub("", step.text.strip(), count=1)
    if _CHECKS.match(text):
        return True
    if step.config or not step.command:
        return False
    parts = re.split(r"&&|\|\||;|\|", step.command)
    return all(_READS.match(part) or not part.strip() for part in parts)


def primary_step(steps: Sequence[FixStep], seen: str) -> int | None:
    """The index of the one step that fixes this case: the first whose `fits` matches what was
    seen, else the first that changes something and applies to any case (a step that starts with
    its own case, "If ...", only where its `fits` says so), else the first step that applies to
    any case. None when there are no steps."""
    text = seen[:MAX_TEXT]
    fitting = next(
        (
            number
            for number, step in enumerate(steps)
            if step.fits is not None and compile_regex(step.fits).search(text)
        ),
        None,
    )
    if fitting is not None:
        return fitting
    general = [number for number, step in enumerate(steps) if step.fits is None]
    change = next(
        (
            number
            for number in general
            if not is_check(steps[number]) and not _CONDITION.match(steps[number].text.strip())
        ),
        None,
    )
    if change is not None:
        return change
    return general[0] if general else (0 if steps else None)
