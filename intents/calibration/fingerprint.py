"""What the model was trained on, as digests a test can compare with today's inputs.

Training reads two things: each catalog entry's own text (`entry_texts`) under its id, and the
development half of tests/corpus/real (each paste's bytes and its labels). The model stores a
digest per entry and one for the development half; when either differs from today's, the
model is stale and `python -m bench.train_calibration` retrains it. Per-entry digests let the
check name the ids added, removed or edited since training instead of failing blind.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from intents.schema import CatalogEntry

_REGEX_SYNTAX = re.compile(r"\(\?[a-z]+\)|\\[a-zA-Z]|[\\\[\](){}|?*+^$.,0-9]")


def pattern_words(pattern: str) -> str:
    """A catalog regex read as words: its syntax replaced by spaces."""
    return _REGEX_SYNTAX.sub(" ", pattern)


def entry_texts(entry: CatalogEntry) -> list[str]:
    """The entry's own text the model learns from: title, summary, root cause, each symptom and
    each pattern read as words (rare entries get examples this way)."""
    return [
        entry.title,
        entry.summary,
        entry.root_cause,
        *entry.symptoms,
        *(pattern_words(pattern) for pattern in entry.patterns),
    ]


def _digest(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:16]


def entry_digests(entries: Iterable[CatalogEntry]) -> dict[str, str]:
    """A digest of each entry's training text, by id."""
    return {entry.id: entry_digest(entry) for entry in entries}


_DIGESTS: dict[int, tuple[CatalogEntry, str]] = {}


def entry_digest(entry: CatalogEntry) -> str:
    """The digest of one entry's training text (computed once per entry object)."""
    known = _DIGESTS.get(id(entry))
    if known is None or known[0] is not entry:
        if len(_DIGESTS) > MAX_DIGESTS:
            _DIGESTS.clear()
        known = _DIGESTS[id(entry)] = (entry, _digest([entry.id, *entry_texts(entry)]))
    return known[1]


MAX_DIGESTS = 20_000
"""Entry objects whose digest is remembered (a catalog is loaded once; a bound all the same)."""


@dataclass(frozen=True)
class LabelledPaste:
    """One development paste as training reads it."""

    name: str
    data: bytes
    klass: str
    expected: tuple[str, ...]


def development_digest(pastes: Iterable[LabelledPaste]) -> str:
    """One digest over every development paste's name, bytes and labels (order-free)."""
    ordered = sorted(pastes, key=lambda paste: paste.name)
    return _digest(
        part
        for paste in ordered
        for part in (paste.name, paste.data, paste.klass, " ".join(paste.expected))
    )


@dataclass(frozen=True)
class Staleness:
    """How today's inputs differ from the ones the model was trained on."""

    unknown_to_model: tuple[str, ...]
    """Catalog ids the model never saw."""
    missing_from_catalog: tuple[str, ...]
    """Ids the model knows that the catalog no longer has (renamed or removed)."""
    edited: tuple[str, ...]
    """Ids whose training text changed."""
    development_changed: bool

    @property
    def stale(self) -> bool:
        return bool(
            self.unknown_to_model
            or self.missing_from_catalog
            or self.edited
            or self.development_changed
        )

    def describe(self) -> str:
        """One line per difference, and how to fix it."""
        lines = []
        if self.unknown_to_model:
            lines.append(f"catalog ids the model lacks: {', '.join(self.unknown_to_model)}")
        if self.missing_from_catalog:
            lines.append(
                f"ids the model knows that the catalog lacks: {', '.join(self.missing_from_catalog)}"
            )
        if self.edited:
            lines.append(f"entries whose text changed since training: {', '.join(self.edited)}")
        if self.development_changed:
            lines.append("the development half of tests/corpus/real changed since training")
        if lines:
            lines.append("retrain: python -m bench.train_calibration (pip install -e '.[train]')")
        return "\n".join(lines)


def staleness(
    stored: Mapping[str, object], entries: Mapping[str, str], development: str
) -> Staleness:
    """Compare the stored fingerprint with today's entry digests and development digest."""
    known = dict(stored.get("entries", {}))  # type: ignore[call-overload]
    return Staleness(
        unknown_to_model=tuple(sorted(set(entries) - set(known))),
        missing_from_catalog=tuple(sorted(set(known) - set(entries))),
        edited=tuple(sorted(i for i in set(entries) & set(known) if entries[i] != known[i])),
        development_changed=stored.get("development") != development,
    )
