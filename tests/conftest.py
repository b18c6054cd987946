"""Shared fixtures (the built-in catalog and its matcher, built once per session), and
plain `async def` tests run each in a fresh event loop (no pytest-asyncio needed)."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import sys
import warnings
from collections.abc import Generator

import pytest

from intents.loaded import LoadedCatalog
from intents.matcher import Matcher
from tests import alone, catalogs, tiers

LEFTOVER_GRACE_SECONDS = 10.0
"""How long tasks a test left running get to finish once cancelled, before they are named."""


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(
            pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names})
        )
    finally:
        _close(loop)
    return True


def _close(loop: asyncio.AbstractEventLoop) -> None:
    """asyncio.run's clean-up, except that a task which outlives its cancellation is named (with
    its stack, as a warning) instead of holding the test until the suite's timeout."""
    leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        loop.run_until_complete(asyncio.wait(leftovers, timeout=LEFTOVER_GRACE_SECONDS))
    stuck = [task for task in leftovers if not task.done()]
    if stuck:
        stacks = "\n".join(
            f"{task!r}\n" + "".join(f"  {frame}\n" for frame in task.get_stack()) for task in stuck
        )
        warnings.warn(
            f"{len(stuck)} task(s) outlived their cancellation by {LEFTOVER_GRACE_SECONDS} s:\n{stacks}",
            stacklevel=1,
        )
        sys.stderr.write(f"kubemedic tests: tasks that outlived their cancellation:\n{stacks}")
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.run_until_complete(loop.shutdown_default_executor())
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture(scope="session")
def builtin_catalog() -> LoadedCatalog:
    return catalogs.builtin_catalog()


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return catalogs.builtin_matcher()


def pytest_configure(config: pytest.Config) -> None:
    for marker in (*tiers.MARKERS, alone.MARKER):
        config.addinivalue_line("markers", marker)
    alone.start(config)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tiers.mark_tiers(items)
    tiers.corpus_first(items)
    tiers.order_node_group(items)


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # before xdist's own choice
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """With -n and `--dist loadgroup` (pyproject's default), each tier's group runs whole in one
    worker (tests/tiers.py)."""
    return tiers.TierScheduling(config, log) if config.getvalue("dist") == "loadgroup" else None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Skipped tests as one line per tier (the tiers' fixtures say why and how to run them), and
    the lines tests left for the summary (tiers.SUMMARY): here, since under -n a worker's
    own summary is not shown."""
    skipped = [
        r for r in terminalreporter.stats.get("skipped", []) if isinstance(r, pytest.TestReport)
    ]
    lines = tiers.skip_lines(skipped)
    if lines:
        terminalreporter.section("skipped, by tier", sep="-")
        for line in lines:
            terminalreporter.line(line)
    reports = [
        report
        for kind in terminalreporter.stats.values()
        for report in kind
        if isinstance(report, pytest.TestReport)
    ]
    for section, section_lines in tiers.summary_sections(reports).items():
        terminalreporter.section(section)
        for line in section_lines:
            terminalreporter.write_line(line)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """Under -n, each test but the `alone` ones holds a shared turn (tests/alone.py). With
    KUBEMEDIC_TEST_CPU=FILE, each test's CPU seconds (this process and the processes it waited
    for) are appended to FILE as "nodeid<TAB>seconds": a load-independent cost."""
    target = os.environ.get("KUBEMEDIC_TEST_CPU")
    before = tiers.cpu_seconds()
    timed = item.get_closest_marker("alone") is not None  # its call takes the exclusive turn
    try:
        with contextlib.nullcontext() if timed else alone.turn(item.config, alone=False):
            return (yield)
    finally:
        if target:
            with open(target, "a", encoding="utf-8") as out:
                out.write(f"{item.nodeid}\t{tiers.cpu_seconds() - before:.3f}\n")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """An `alone` test's call holds the exclusive turn: the other worker starts no test meanwhile."""
    if item.get_closest_marker("alone") is None:
        return (yield)
    with alone.turn(item.config, alone=True):
        return (yield)
