"""What a kind of fact declares, in its own module under intents.facts.kinds.

A fact kind is everything one evidence rule predicate group needs: the catalog fields a rule
sets (the schema is generated from them, intents.schema), how they are tested against the
gathered facts, where the found fact stands in the evidence sentence, and what it means.
The helpers here quote what a predicate found: bounded, clipped around the match.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, TypeVar

from intents.checked import After, Checked
from intents.facts.model import NodeFacts, PodFacts
from intents.regex_engine import RegexMatch, check_regex, compile_regex

Facts = PodFacts | NodeFacts
T = TypeVar("T")


class Rule(Protocol):
    """An evidence rule as a predicate reads it (intents.schema.EvidenceRule): any field by name."""

    def __getattr__(self, name: str) -> Any: ...


Check = Callable[[Rule, Facts], "str | None"]


SafeRegex = Annotated[str, After(check_regex)]
"""A regex the engine accepts as safe (checked when the catalog is read)."""
NODE_CONDITION = r"^[A-Za-z]+=(True|False|Unknown)$"
Condition = Annotated[str, Checked(pattern=NODE_CONDITION)]
"""`Type=Status` of a condition (Ready=False, Programmed=False)."""


@dataclass(frozen=True)
class RuleField:
    """One evidence rule field: its catalog name, type and meaning.

    `refutes`: a paste that shows what the field reads and lacks the fact refutes the entry
    (bot.diagnosis.paste_evidence); facts only some pastes state outright never do.
    A field whose default is not None qualifies another and is no predicate itself."""

    name: str
    type: Any
    doc: str
    refutes: bool = False
    default: object = None


@dataclass(frozen=True)
class Recorded:
    """The recorded objects a fact kind reads its fact from (a paste, a folder of outputs):
    their kind's plural as kubectl names it (`poddisruptionbudgets`), and what one of them
    states as a failure (None: it is well, or shows nothing of it). The object is as the API
    gives it, read by bot/cluster/outputs from whatever view the text shows."""

    plural: str
    read: Callable[[Mapping[str, Any]], object | None]


@dataclass(frozen=True)
class FactKind:
    """A kind of fact: its rule fields, its predicate, its place in the evidence sentence."""

    name: str
    place: int
    """Where its fact stands in an evidence sentence (lower first)."""
    reads: str
    """The gathered facts it tests (`PodFacts.quotas`)."""
    about: str
    fields: tuple[RuleField, ...]
    check: Check
    """The fact found on the subject when every field the rule sets holds, else None."""
    context: bool = False
    """It describes the pod's surroundings (node, owners), not the pod itself."""
    recorded: Recorded | None = None
    """The recorded objects its facts come from, when no other kind's facts hold them."""

    @property
    def predicates(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields if spec.default is None)


SNIPPET = 260
HEAD, TAIL, AROUND = 140, 110, 40
"""Characters a clipped text keeps from its start, its end, and each side of a match."""


def clip(text: str, span: tuple[int, int] | None = None) -> str:
    """`text` shortened to about SNIPPET characters, eliding the middle.

    Runtime errors wrap their causes ("failed to pull and unpack image ...: failed to
    resolve reference ...: dial tcp 127.0.0.1:5999: connect: connection refused"), so the
    root cause comes last: a long text keeps its start and its end, plus the matched
    `span` (start, end) when one is given.
    """
    if len(text) <= SNIPPET:
        return text
    keep = [(0, HEAD), (len(text) - TAIL, len(text))]
    if span is not None:
        start, end = span
        if end - start > 2 * AROUND:
            keep += [(start, start + AROUND), (end - AROUND, end)]
        else:
            keep.append((max(0, start - AROUND), min(len(text), end + AROUND)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(keep):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return " ... ".join(text[start:end].strip() for start, end in merged)


def _quote(line: str, found: RegexMatch, offset: int = 0) -> str:
    """`line` trimmed and clipped around the match (`offset`: where `line` starts in the text)."""
    indent = len(line) - len(line.lstrip())
    start, end = found.start() - offset - indent, found.end() - offset - indent
    return clip(line.strip(), (start, end))


def search(pattern: str, text: str | None, *, last: bool = False) -> str | None:
    """The matching line (clipped) when `pattern` matches `text`; the last matching line
    with `last` (a log's final error is the one that ended the container)."""
    if not text:
        return None
    regex = compile_regex(pattern)
    if not regex.may_match(text.casefold()):
        return None
    if last:
        for line in reversed(text.splitlines()):
            hit = regex.search(line)
            if hit is not None:
                return _quote(line, hit)
        return None
    found = regex.search(text)
    if found is None:
        return None
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    return _quote(text[start : end if end >= 0 else len(text)], found, start)


def first(found: list[str | None]) -> str | None:
    return next((fact for fact in found if fact), None)


def pod(facts: Facts) -> PodFacts | None:
    return facts if isinstance(facts, PodFacts) else None


def more(facts: Facts, kind: str, of: type[T]) -> list[T]:
    """The facts of a kind that declares its own (`PodFacts.more`): those of type `of`."""
    found = pod(facts)
    return [fact for fact in found.more.get(kind, ()) if isinstance(fact, of)] if found else []


def node(facts: Facts) -> NodeFacts | None:
    """The node itself, or the pod's node."""
    return facts if isinstance(facts, NodeFacts) else facts.node
