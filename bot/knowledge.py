"""Build the matcher from the built-in catalog plus the user's catalog directories."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import BadInput
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


def refuse_if_strict(settings: Settings, knowledge: Knowledge) -> None:
    """With KUBEMEDIC_CATALOG_STRICT, any catalog problem is a BadInput listing them all (one line)."""
    if settings.catalog_strict and knowledge.problems:
        listed = "; ".join(str(problem) for problem in knowledge.problems)
        raise BadInput(f"KUBEMEDIC_CATALOG_STRICT is set and the catalog has "
                       f"{len(knowledge.problems)} problem(s): {listed}")
