"""YAML from outside read in bounded time: aliases may not multiply a document, nesting is capped.

YAML's aliases let a few kilobytes stand for billions of nodes (a "billion laughs"): PyYAML
builds an alias as a shared object, so parsing is quick, but anything that walks the result as
a tree (a depth check, a reader, a validator) runs for ever. So the document's node graph is
measured before anything is built from it: when its aliases expand it to more than
MAX_EXPANSION times its own nodes (plus a small allowance, for the odd hand-written anchor) it
is refused, naming the limit; a recursive alias is refused too. Nesting deeper than the
composer can recurse is refused as too deep, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from bot.runtime import json_depth

MAX_EXPANSION = 10
"""How many times its own nodes a document's aliases may make it (kubectl writes none)."""
ALLOWANCE = 10_000
Loader = Callable[[str | bytes], Any]
"""A SafeLoader class (or a subclass, or libyaml's CSafeLoader)."""


class TooExpanded(ValueError):
    """The document's aliases stand for far more nodes than it holds."""

    def __init__(self, nodes: int) -> None:
        super().__init__(
            f"its aliases expand it past {MAX_EXPANSION} times its {nodes:,} nodes "
            f"(a YAML alias bomb?)"
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def expansion(root: yaml.Node) -> tuple[int, int]:
    """(distinct nodes, nodes once every alias is expanded) of a composed document; TooExpanded
    for a recursive alias. Each node is visited once (iterative, memoised), so a bomb costs
    as little as it is long."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            continue
        if key in size:
            continue
        if key in open_:
            raise TooExpanded(len(size))
        open_.add(key)
        stack.append((node, True))
        stack += [(child, False) for child in _children(node) if id(child) not in size]
    return len(size), size[id(root)]


def load(text: str | bytes, loader: Loader = yaml.SafeLoader) -> Any:
    """The one YAML document in `text`, built only when its aliases do not bomb it (TooExpanded),
    nested no deeper than json_depth.MAX_DEPTH (json_depth.TooDeep); yaml.YAMLError when it is
    not YAML."""
    reader = loader(text)
    try:
        try:
            node = reader.get_single_node()
        except RecursionError:
            raise json_depth.TooDeep() from None
        if node is None:
            return None
        distinct, expanded = expansion(node)
        if expanded > MAX_EXPANSION * distinct + ALLOWANCE:
            raise TooExpanded(distinct)
        try:
            document = reader.construct_document(node)
        except RecursionError:
            raise json_depth.TooDeep() from None
    finally:
        reader.dispose()
    json_depth.check_depth(document)
    return document
