"""Product-specific advice on the catalog site: each product's steps on a page of their own.

A fix step or link with a `context` (intents.advice) applies to one product
(TiDB, AWS, ingress-nginx...): the bot shows it only when what it diagnoses
names that product. The site does the same: an entry's own page lists the
steps and links that apply everywhere, and names the products that have
more; each product's page (`entries/<id>/<product>.html`) shows the entry as
the bot answers for that product, its steps included. The product's name is
read from the context itself: the first name its `text` regex looks for (or
its image, label or container).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from intents.schema import AdviceContext, CatalogEntry

_FLAGS = re.compile(r"^\(\?[a-zA-Z]+\)")
_WORD = re.compile(r"[a-z0-9][a-z0-9 ._/-]*[a-z0-9/]|[a-z0-9]")


@dataclass(frozen=True)
class ProductAdvice:
    """One product's extra advice for an entry: its name, its page's slug, the facts that name it."""

    name: str
    slug: str
    facts: str
    steps: int
    links: int


def _names(pattern: str) -> list[str]:
    """The plain names a `text` regex looks for, in order ('(?i)\\b(aws|eks)\\b' -> aws, eks)."""
    body = _FLAGS.sub("", pattern).replace("\\b", "").replace("\\.", ".").replace(" ?", " ")
    names = []
    for alternative in re.split(r"\|", body.strip("()")):
        word = alternative.strip("()^$ ").lower()
        if _WORD.fullmatch(word):
            names.append(word)
    return names


def product_name(context: AdviceContext) -> str:
    """What a reader calls the product a context names."""
    names = _names(context.text) if context.text else []
    if names:
        return names[0]
    if context.images:
        return _names(context.images)[0] if _names(context.images) else context.images
    if context.labels:
        label, values = min(context.labels.items())
        return values[0] if values else label
    return context.containers[0] if context.containers else "product"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "product"


def facts(context: AdviceContext) -> str:
    """The facts that name the product, as a sentence part."""
    parts = []
    if context.text:
        names = _names(context.text)
        shown = ", ".join(names) if names else context.text
        parts.append(f"the text names {shown}")
    if context.images:
        parts.append(f"an image matches {context.images}")
    for label, values in sorted(context.labels.items()):
        parts.append(f"label {label} is {' or '.join(values)}")
    if context.containers:
        parts.append(f"a container is named {' or '.join(context.containers)}")
    return "; or ".join(parts)


def products(entry: CatalogEntry) -> list[ProductAdvice]:
    """Each product with advice of its own in the entry, in the order the entry first names it."""
    found: dict[str, tuple[str, str, int, int]] = {}
    contexts = [(step.context, True) for step in entry.fix] + [
        (link.context, False) for link in entry.links
    ]
    for context, is_step in contexts:
        if context is None:
            continue
        name = product_name(context)
        key = slug(name)
        _, described, steps, links = found.get(key, (name, facts(context), 0, 0))
        found[key] = (name, described, steps + is_step, links + (not is_step))
    return [
        ProductAdvice(name, key, described, steps, links)
        for key, (name, described, steps, links) in found.items()
    ]


def generic(entry: CatalogEntry) -> CatalogEntry:
    """The entry with only the steps and links that apply everywhere."""
    return replace(
        entry,
        fix=[s for s in entry.fix if s.context is None],
        links=[link for link in entry.links if link.context is None],
    )


def for_product(entry: CatalogEntry, key: str) -> CatalogEntry:
    """The entry as the bot answers for one product: the general advice and that product's."""

    def fits(context: AdviceContext | None) -> bool:
        return context is None or slug(product_name(context)) == key

    return replace(
        entry,
        fix=[s for s in entry.fix if fits(s.context)],
        links=[link for link in entry.links if fits(link.context)],
    )
