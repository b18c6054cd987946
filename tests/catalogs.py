"""The built-in catalog and its matcher, built once per test process and only when a test
first asks: a module that built them at import made every xdist worker pay for them while
collecting, whether or not it ran a test that needed them."""

from __future__ import annotations

import functools

from intents.loaded import LoadedCatalog
from intents.loader import load_catalog
from intents.matcher import Matcher


@functools.cache
def builtin_catalog() -> LoadedCatalog:
    """The built-in catalog, read once."""
    return load_catalog()


@functools.cache
def builtin_matcher() -> Matcher:
    """The built-in catalog's matcher (entries in id order), built once."""
    return Matcher.from_entries(sorted(builtin_catalog().entries.values(), key=lambda e: e.id))
