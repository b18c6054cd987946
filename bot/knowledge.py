"""Build the matcher from the built-in catalog plus the user's catalog directories."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from intents.index_cache import load_index
from intents.loader import CatalogProblem
from intents.matcher import Matcher


@dataclass(frozen=True)
class Knowledge:
    """The matcher and whatever was wrong with the catalog files it came from."""

    matcher: Matcher
    problems: tuple[CatalogProblem, ...]


def load_knowledge(settings: Settings) -> Knowledge:
    """Load and index the catalog once; broken files are skipped and reported."""
    index, problems = load_index(settings.catalog_dirs, cache_dir=settings.index_cache_dir())
    return Knowledge(Matcher(index), problems)
