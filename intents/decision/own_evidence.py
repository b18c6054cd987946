"""What of an entry's own evidence a paste carries, beyond the words it resembles.

An entry says what makes it sure: the component it is about (its `requires` context, its
product's name or a tag only its product's entries carry), its own identifiers (the field
names, reasons and codes its symptom lines quote and few other entries do: `maxSkew`,
`FailedAttachVolume`, `0x5001`), and the kind of cause it declares (`app_cause` evidence: what
an app states as its cause). A fuzzy resemblance names none of them; a paste that carries one
speaks for the entry itself (the `own evidence` rule, intents.decision.evidence_rules).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from intents.app_cause import read_app_cause
from intents.decision.components import Known, states
from intents.decision.judgements import declared_causes
from intents.findings import Finding
from intents.policy import POLICY
from intents.schema import CatalogEntry

IDENTIFIER = re.compile(
    r"(?<![\w.-])(?:[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z]+(?:[A-Z][a-z0-9]*)+"
    r"|[A-Za-z]+(?:[._][A-Za-z0-9]+)+|[A-Za-z]*\d+[A-Za-z]+[A-Za-z0-9]*|[A-Za-z]+\d+)(?![\w-])"
)
"""A field name, reason or code as a symptom line quotes it: CamelCase (`FailedMount`),
lowerCamel (`maxSkew`), dotted or snake (`spec.nodeName`, `pg_isready`), letters with digits
(`x509`, `0x5001`). Linear: one pass, no nested quantifier over the same characters."""
QUANTITY = re.compile(r"(?:\d+[A-Za-z]{1,2})+")
"""A duration or a size (`4h25m`, `10Gi`): any entry's example value, no identifier."""

_OWN: list[tuple[tuple[CatalogEntry, ...], dict[str, frozenset[str]]]] = []


def _quoted(entry: CatalogEntry) -> frozenset[str]:
    return frozenset(
        token
        for line in entry.symptoms
        for token in IDENTIFIER.findall(line)
        if len(token) >= POLICY.identifier_min_length and not QUANTITY.fullmatch(token)
    )


def identifiers(catalog: Mapping[str, CatalogEntry]) -> dict[str, frozenset[str]]:
    """Each entry's own identifiers: those its symptoms quote and at most `identifier_rare`
    entries do (read once per catalog, as `components.known`)."""
    entries = tuple(catalog.values())
    last = _OWN[-1] if _OWN else None
    if (
        last is not None
        and len(last[0]) == len(entries)
        and all(a is b for a, b in zip(last[0], entries, strict=True))
    ):
        return last[1]
    quoted = {entry.id: _quoted(entry) for entry in entries}
    shared = Counter(token for tokens in quoted.values() for token in tokens)
    own = {
        i: frozenset(t for t in tokens if shared[t] <= POLICY.identifier_rare)
        for i, tokens in quoted.items()
    }
    _OWN[:] = [(entries, own)]
    return own


@lru_cache(maxsize=4096)
def _word(token: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(token)}(?![\w])")


@lru_cache(maxsize=2048)
def _requirement(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)  # a catalog regex, checked linear when the catalog loads


def shown_identifiers(entry_id: str, text: str, own: Mapping[str, frozenset[str]]) -> set[str]:
    """The entry's own identifiers the paste quotes."""
    return {token for token in own.get(entry_id, ()) if _word(token).search(text)}


def carried(
    finding: Finding, text: str, components: Known, own: Mapping[str, frozenset[str]]
) -> str:
    """What of the entry's own evidence the paste carries, said in a few words ("" for none)."""
    entry = finding.match.entry
    quoted = shown_identifiers(entry.id, text, own)
    if quoted:
        return f"its own identifiers ({', '.join(sorted(quoted)[:3])})"
    if any(_requirement(pattern).search(text) for pattern in entry.requires):
        return "the context it requires"
    if entry.product and states(finding, text, components):
        return f"its component ({entry.product})"
    kinds = declared_causes(entry)
    cause = read_app_cause(text) if kinds else None
    if cause is not None and cause.kind in kinds:
        return f"the cause it declares ({cause.about})"
    return ""
