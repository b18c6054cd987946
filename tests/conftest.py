"""Shared fixtures: the built-in catalog and its matcher, built once per session."""

from __future__ import annotations

import pytest

from intents.loader import LoadedCatalog, load_catalog
from intents.matcher import Matcher


@pytest.fixture(scope="session")
def builtin_catalog() -> LoadedCatalog:
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(builtin_catalog: LoadedCatalog) -> Matcher:
    return Matcher.from_entries(sorted(builtin_catalog.entries.values(), key=lambda e: e.id))
