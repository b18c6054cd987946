"""Shared fixtures (the built-in catalog and its matcher, built once per session), and
plain `async def` tests run each in a fresh event loop (no pytest-asyncio needed)."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from intents.loader import LoadedCatalog, load_catalog
from intents.matcher import Matcher


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(scope="session")
def builtin_catalog() -> LoadedCatalog:
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(builtin_catalog: LoadedCatalog) -> Matcher:
    return Matcher.from_entries(sorted(builtin_catalog.entries.values(), key=lambda e: e.id))
