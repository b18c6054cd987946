"""Test tiers: what a test needs beyond Python, as pytest markers, and one skip line per tier.

Every test in a tier's folder or file (or marked with a tier's marker, or
with a PostgreSQL parameter) gets the tier's marker and `slow`, so the
contributor's loop is

    .venv/bin/python -m pytest -m "not slow"        # the fast tier, no servers
    .venv/bin/python -m pytest -m browser           # one tier (see docs/testing.md)

and a tier that cannot run says so once, in one line, instead of one
SKIPPED line per test. The tiers' own fixtures decide whether to skip (and
fail under CI instead); this module only names and counts.
"""

from __future__ import annotations

import functools
import os
import resource
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Tier:
    marker: str
    needs: str


SERVE = Tier("serve", "`kubemedic serve` started as a process")
MULTIPROCESS = Tier("multiprocess", "several bot processes sharing PostgreSQL")
PATH_TIERS = {  # a folder or a file under tests/
    "browser": Tier("browser", "a headless chromium (apt-get install chromium)"),
    "realserver": Tier("server", "a real kube-apiserver (bash .ci/kube-apiserver.sh)"),
    "realnode": Tier("realnode", "a real single-node cluster (bash .ci/kube-node.sh)"),
    "image": Tier("image", "a container image build (CI, or KUBEMEDIC_IMAGE_TEST=1)"),
    "deploy": Tier("deploy", "kubectl with kustomize, and helm"),
    "install": Tier("installs", "the real node, a container image build and helm (CI, or KUBEMEDIC_INSTALL_TEST=1)"),
    "replicas": MULTIPROCESS,
    "fleettier": Tier("fleet", "PostgreSQL and two real kube-apiservers (.ci/kube-apiserver.sh and its `second`)"),
    "storms/test_takeover.py": MULTIPROCESS,
    "storms/test_storm_bench_smoke.py": MULTIPROCESS,
    "hardening/test_startup_quiet.py": SERVE,
    "hardening/test_startup_faults.py": SERVE,
    "hardening/test_retention_serve.py": SERVE,
    "hardening/test_hostile_regex_serve.py": SERVE,
    "hardening/test_http_edges.py": SERVE,
    "hardening/test_serve_readiness.py": SERVE,
    "hardening/test_catalog_strict.py": SERVE,
    "hardening/test_faults_soak_smoke.py": SERVE,
}
POSTGRES = Tier("postgres", "a PostgreSQL server (eval \"$(bash .ci/postgres.sh)\")")
CORPUS = Tier("corpus", "the whole labelled corpus through a slow check (CI, or KUBEMEDIC_FULL_CORPUS=1)")
WHOLE_CORPUS_SKIP = "the whole corpus: set KUBEMEDIC_FULL_CORPUS=1 (CI does); a fixed sample ran"


def whole_corpus() -> bool:
    """The `corpus` tier's checks run every labelled paste (CI, or KUBEMEDIC_FULL_CORPUS=1)."""
    return bool(os.environ.get("CI") or os.environ.get("KUBEMEDIC_FULL_CORPUS"))
TIERS = {tier.marker: tier for tier in (*PATH_TIERS.values(), POSTGRES, CORPUS)}
MARKERS = [
    ("slow: needs something beyond Python (a server, a browser, an image, a real node, several "
     "processes, PostgreSQL, kubectl) or takes long; `-m 'not slow'` is the fast tier"),
    *(f"{tier.marker}: needs {tier.needs}" for tier in TIERS.values()),
]


@functools.cache
def _tier_of_path(path: str) -> Tier | None:
    try:
        where = Path(path).resolve().relative_to(TESTS).parts
    except ValueError:
        where = ()
    for depth in (2, 1):
        tier = PATH_TIERS.get("/".join(where[:depth]))
        if tier is not None:
            return tier
    return None


def tier_of(item: pytest.Item) -> Tier | None:
    """The tier a collected test belongs to: by folder or file, by a tier's marker on the test
    itself (one test of a file that starts what its tier needs), or a PostgreSQL parameter."""
    tier = _tier_of_path(str(item.path))
    if tier is not None:
        return tier
    marked = next((TIERS[mark.name] for mark in item.iter_markers() if mark.name in TIERS), None)
    if marked is not None:
        return marked
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "postgresql" in callspec.params.values():
        return POSTGRES
    return None


def mark_tiers(items: list[pytest.Item]) -> None:
    for item in items:
        tier = tier_of(item)
        if tier is not None:
            item.add_marker(getattr(pytest.mark, tier.marker))
            item.add_marker(pytest.mark.slow)


def _reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def skip_lines(reports: list[pytest.TestReport]) -> list[str]:
    """One line per tier (or `other`) with its count and its first reason."""
    counts: Counter[str] = Counter()
    reasons: dict[str, str] = {}
    for report in reports:
        tier = next((name for name in TIERS if name in report.keywords), "other")
        counts[tier] += 1
        reasons.setdefault(tier, _reason(report))
    return [f"{tier}: {count} skipped ({reasons[tier]})" for tier, count in counts.most_common()]


def cpu_seconds() -> float:
    """User and system CPU of this process and its waited-for children so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
