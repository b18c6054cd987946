"""One rule for every value in a fix: it comes from the input, is computed from it, or is asked
for by name.

A catalog entry's fix is written for any system; the answer fills its placeholders with what
the paste, the folder or the cluster gave (bot.diagnosis.naming). So a value in a place that
names the reader's own object or size (a namespace, a binding's subject, a claim, a toleration,
a Service's ports, a resource request, the object a kubectl command acts on) must be a
placeholder: a literal there is another system's example, and shown in an answer it reads as the
reader's own (`requests: cpu: "1"` under "Insufficient cpu"). `catalog check` reports each such
literal (`problems`), and the fill step asks for it by name instead (`asked_step`), so a team's
entry that slips one in still never shows it as the reader's. Names a product fixes itself, the
same in every install, are no example (intents.fix_places lists them, and the places).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from intents.fix_places import (
    FIXED,
    NAMED_FIELDS,
    NAMED_ITEMS,
    OBJECT_PLACEHOLDERS,
    QUANTITIES,
    ROLES,
    SHOWN_AMOUNTS,
    SYSTEM_NAMESPACES,
    SYSTEM_TAINTS,
)
from intents.fix_slots import Slot, command_slots, config_slots
from intents.schema import CatalogEntry, FixStep

Kind = Literal["quantity", "name", "namespace", "port"]


@dataclass(frozen=True)
class FixLiteral:
    """A literal where the reader's own value belongs, and the placeholder that asks for it."""

    kind: Kind
    field: str
    value: str
    placeholder: str
    start: int
    end: int

    def __str__(self) -> str:
        return (
            f"{self.field} {self.value!r} is an example {self.kind}, not the reader's: "
            f"write {self.placeholder} (filled from the input, or asked for by that name)"
        )


def _fixed(value: str, own: frozenset[str] = frozenset()) -> bool:
    return (
        not value
        or "<" in value
        or value in FIXED
        or value in own
        or value in SYSTEM_NAMESPACES
        or value.startswith((*SYSTEM_TAINTS, "{", "$", "*"))
    )


def _config_literal(slot: Slot, own: frozenset[str]) -> FixLiteral | None:
    value = slot.value.strip()
    # a config never puts the reader's objects in Kubernetes' own namespaces
    system = slot.key == "namespace" and value in SYSTEM_NAMESPACES
    if _fixed(value, own) and not system:
        return None
    where = f"{slot.parent}.{slot.key}" if slot.parent else slot.key
    if QUANTITIES.match(slot.key) and re.match(r"^\d[\d.]*[A-Za-z]{0,2}$", value):
        return _literal("quantity", where, slot, _amount(slot))
    placeholder = NAMED_ITEMS.get(slot.parent, {}).get(slot.key) or NAMED_FIELDS.get(slot.key)
    if slot.parent == "matchLabels":
        placeholder = "<label-value>"
    if placeholder is None:
        return None
    kind: Kind = "namespace" if slot.key == "namespace" else "name"
    kind = "port" if placeholder.endswith("-port>") else kind
    return _literal(kind, where, slot, placeholder)


def _amount(slot: Slot) -> str:
    """The placeholder asking for an amount: `<cpu-request>`, `<cpu-limit>`, `<storage>`; never one
    the input's own amount fills (`<new-memory-limit>`, not the `<memory-limit>` it has now)."""
    resource = slot.key.rsplit("/", 1)[-1]
    role = ROLES.get(slot.parent)
    placeholder = f"<{resource}-{role}>" if role else f"<{resource}>"
    return placeholder.replace("<", "<new-", 1) if placeholder in SHOWN_AMOUNTS else placeholder


def _literal(kind: Kind, where: str, slot: Slot, placeholder: str) -> FixLiteral:
    return FixLiteral(kind, where, slot.value.strip(), placeholder, slot.start, slot.end)


_NAMESPACED = re.compile(r"(?:^|\s)(?:-n\s*|--namespace[= ])(?P<value>[^\s|;&)'\"]+)")


def _command_literals(command: str, own: frozenset[str]) -> Iterator[FixLiteral]:
    for found_segment in re.finditer(r"[^|;&\n]+", command):
        segment, offset = found_segment.group(0), found_segment.start()
        namespace = _NAMESPACED.search(segment)
        in_system = namespace is not None and (
            namespace.group("value") in SYSTEM_NAMESPACES or namespace.group("value") in FIXED
        )
        for slot in command_slots(segment):
            found = _command_literal(slot, in_system, own)
            if found is not None:
                yield replace(found, start=found.start + offset, end=found.end + offset)


def _command_literal(slot: Slot, in_system: bool, own: frozenset[str]) -> FixLiteral | None:
    value = slot.value.strip("'\"")
    if _fixed(value, own):
        return None
    if QUANTITIES.match(slot.key):
        return _literal("quantity", slot.key, slot, _amount(slot))
    if slot.key == "-n":
        return _literal("namespace", "-n", slot, "<namespace>")
    if in_system or not re.match(r"^[a-z0-9][-a-z0-9.]*$", value):
        return None
    placeholder = OBJECT_PLACEHOLDERS.get(slot.parent, f"<{slot.parent.split('.')[0]}-name>")
    return _literal("name", f"{slot.key} {slot.parent}", slot, placeholder)


def literals(
    text: str | None, part: Literal["command", "config"], own: Iterable[str] = ()
) -> list[FixLiteral]:
    """The example values in a step's command or config (a walk fix line reads as a command);
    `own`: the names the step declares fixed (`fixed_names`)."""
    if not text:
        return []
    fixed = frozenset(own)
    if part == "command":
        return list(_command_literals(text, fixed))
    return [lit for slot in config_slots(text) if (lit := _config_literal(slot, fixed)) is not None]


def ask(
    text: str | None, part: Literal["command", "config"], own: Iterable[str] = ()
) -> tuple[str | None, frozenset[str]]:
    """The text with each example value replaced by the placeholder that asks for it, and the
    placeholders of quantities put in (an amount is chosen, never filled from the input)."""
    found = literals(text, part, own)
    if not text or not found:
        return text, frozenset()
    for literal in sorted(found, key=lambda lit: lit.start, reverse=True):
        text = text[: literal.start] + literal.placeholder + text[literal.end :]
    return text, frozenset(lit.placeholder for lit in found if lit.kind == "quantity")


def asked_step(step: FixStep) -> tuple[FixStep, frozenset[str]]:
    """The step with no example value left in its command or config, and the quantity
    placeholders that replaced one (see `ask`). Read once per catalog step: every answer fills
    the same steps."""
    known = _ASKED.get(id(step))
    if known is not None and known[0] is step:
        return known[1]
    command, chosen = ask(step.command, "command", step.fixed_names)
    config, more = ask(step.config, "config", step.fixed_names)
    if command == step.command and config == step.config:
        asked: tuple[FixStep, frozenset[str]] = (step, frozenset())
    else:
        asked = (replace(step, command=command, config=config), chosen | more)
    if len(_ASKED) >= MAX_ASKED:
        _ASKED.clear()
    _ASKED[id(step)] = (step, asked)
    return asked


_ASKED: dict[int, tuple[FixStep, tuple[FixStep, frozenset[str]]]] = {}
"""Steps already asked, by identity (the step itself is kept, so its id is not reused)."""
MAX_ASKED = 50_000


def step_problems(step: FixStep) -> Iterator[str]:
    """Each example value of one step, said for `catalog check`."""
    for literal in literals(step.command, "command", step.fixed_names):
        yield f"command: {literal}"
    for literal in literals(step.config, "config", step.fixed_names):
        yield f"config: {literal}"


def problems(entries: Iterable[CatalogEntry]) -> list[tuple[str, str]]:
    """(entry id, problem) for every example value in a fix step or a walk fix line."""
    found: list[tuple[str, str]] = []
    for entry in entries:
        for number, step in enumerate(entry.fix, start=1):
            found += [(entry.id, f"fix step {number} {problem}") for problem in step_problems(step)]
        for claim in entry.walk:
            found += [
                (entry.id, f"walk fix of {claim.finding}: {literal}")
                for literal in literals(claim.fix, "command")
            ]
    return found
