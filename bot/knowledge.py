"""Build the matcher from the built-in catalog plus the user's catalog directories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.errors import BadInput
from intents.index_cache import load_index
from intents.loaded import CatalogProblem
from intents.matcher import Matcher

if TYPE_CHECKING:
    from bot.settings import Settings


class CatalogPlaces(Protocol):
    """Where the catalog and its index cache are (`Settings` or `CommandSettings`)."""

    @property
    def catalog_dirs(self) -> Sequence[Path]: ...

    @property
    def catalog_packs_off(self) -> Sequence[str]: ...

    def index_cache_dir(self) -> Path: ...


@dataclass(frozen=True)
class Knowledge:
    """The matcher and whatever was wrong with the catalog files it came from."""

    matcher: Matcher
    problems: tuple[CatalogProblem, ...]


def load_knowledge(settings: CatalogPlaces) -> Knowledge:
    """Load and index the catalog once; broken files are skipped and reported."""
    index, problems = load_index(
        list(settings.catalog_dirs),
        cache_dir=settings.index_cache_dir(),
        packs_off=settings.catalog_packs_off,
    )
    return Knowledge(Matcher(index), problems)


def refuse_if_strict(settings: Settings, knowledge: Knowledge) -> None:
    """With KUBEMEDIC_CATALOG_STRICT, any catalog problem is a BadInput listing them all (one line)."""
    if settings.catalog_strict and knowledge.problems:
        listed = "; ".join(str(problem) for problem in knowledge.problems)
        raise BadInput(
            f"KUBEMEDIC_CATALOG_STRICT is set and the catalog has "
            f"{len(knowledge.problems)} problem(s): {listed}"
        )
