"""Every kind of fact an evidence rule tests: one module each here, each defining a `KIND`.

A new kind is one module: nothing lists it.  `KINDS` finds them all, in the order their facts
stand in an evidence sentence (`FactKind.place`); the catalog schema's evidence rule fields
(intents.schema) and the rule checks (bot.evidence.rules) are made from it.
"""

from __future__ import annotations

import importlib
import pkgutil

from intents.facts.kind import FactKind


def _discover() -> tuple[FactKind, ...]:
    found: list[FactKind] = []
    for module in pkgutil.iter_modules(__path__):
        kind = getattr(importlib.import_module(f"{__name__}.{module.name}"), "KIND", None)
        if not isinstance(kind, FactKind):
            raise TypeError(f"{__name__}.{module.name} defines no KIND")
        found.append(kind)
    names = [spec.name for kind in found for spec in kind.fields]
    if len(names) != len(set(names)):
        raise TypeError(f"an evidence rule field is declared twice: {sorted(names)}")
    return tuple(sorted(found, key=lambda kind: kind.place))


KINDS = _discover()
