"""Test tiers: what a test needs beyond Python, as pytest markers, and one skip line per tier.

Every test in a tier's folder or file (or marked with a tier's marker, or
with a PostgreSQL parameter) gets the tier's marker and `slow`, so the
contributor's loop is

    .venv/bin/python -m pytest -m "not slow"        # the fast tier, no servers
    .venv/bin/python -m pytest -m browser           # one tier (see docs/testing.md)

and a tier that cannot run says so once, in one line, instead of one
SKIPPED line per test. The tiers' own fixtures decide whether to skip (and
fail under CI instead); this module only names and counts.

A tier whose tests share one server or the machine itself has a group: with
`-n 2` (`--dist loadgroup` is pyproject's default) one worker runs the whole
group, in collection order, while the other runs the rest (`TierScheduling`);
the node's teardown check is moved last (`order_node_group`).
"""

from __future__ import annotations

import functools
import os
import resource
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from xdist.scheduler import LoadGroupScheduling

T = TypeVar("T")

TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Tier:
    marker: str
    needs: str
    group: str | None = None
    """The xdist group of tests that share a server or machine-wide state: one worker runs
    them all, in collection order. None: each test may run in either worker."""


NODE_GROUP = "node"
"""The real node and what shares the machine with it: the image build (podman's mounts and
the build store; tests/install reuses the build), the installs on the node, the node's tiers."""
API_SERVER_GROUP = "kube-apiserver"
"""The two kube-apiservers of .ci/kube-apiserver.sh: tests/realserver restarts the first one
and installs deploy/'s ClusterRoles that tests/fleettier installs too."""
NODE_TEARDOWN = "realnode/test_zz_nothing_left_behind.py"
"""Stops the node and checks nothing is left: the node group's (and the run's) last test."""
NODE_TEARDOWN_TEST = (
    "test_stop_leaves_no_process_mount_cgroup_netns_link_route_address_path_or_sysctl_behind"
)

SERVE = Tier("serve", "`kubemedic serve` started as a process")
MULTIPROCESS = Tier("multiprocess", "several bot processes sharing PostgreSQL")
PATH_TIERS = {  # a folder or a file under tests/
    # one chromium per worker: the group starts it once
    "browser": Tier("browser", "a headless chromium (apt-get install chromium)", "browser"),
    "realserver": Tier(
        "server", "a real kube-apiserver (bash .ci/kube-apiserver.sh)", API_SERVER_GROUP
    ),
    "realnode": Tier("realnode", "a real single-node cluster (bash .ci/kube-node.sh)", NODE_GROUP),
    "image": Tier("image", "a container image build (CI, or KUBEMEDIC_IMAGE_TEST=1)", NODE_GROUP),
    "deploy": Tier("deploy", "kubectl with kustomize, and helm"),
    "install": Tier(
        "installs",
        "the real node, a container image build and helm (CI, or KUBEMEDIC_INSTALL_TEST=1)",
        NODE_GROUP,
    ),
    "replicas": MULTIPROCESS,
    "fleettier": Tier(
        "fleet",
        "PostgreSQL and two real kube-apiservers (.ci/kube-apiserver.sh and its `second`)",
        API_SERVER_GROUP,
    ),
    "storms/test_takeover.py": MULTIPROCESS,
    "storms/test_storm_bench_smoke.py": MULTIPROCESS,
    "hardening/test_startup_quiet.py": SERVE,
    "hardening/test_startup_faults.py": SERVE,
    "hardening/test_retention_serve.py": SERVE,
    "hardening/test_hostile_regex_serve.py": SERVE,
    "hardening/test_costly_paste_serve.py": SERVE,
    "hardening/test_http_edges.py": SERVE,
    "hardening/test_serve_readiness.py": SERVE,
    "hardening/test_catalog_strict.py": SERVE,
    "hardening/test_faults_soak_smoke.py": SERVE,
}
POSTGRES = Tier("postgres", 'a PostgreSQL server (eval "$(bash .ci/postgres.sh)")')
CORPUS = Tier(
    "corpus", "the whole labelled corpus through a slow check (CI, or KUBEMEDIC_FULL_CORPUS=1)"
)
WHOLE_CORPUS_SKIP = "the whole corpus: set KUBEMEDIC_FULL_CORPUS=1 (CI does); a fixed sample ran"


def whole_corpus() -> bool:
    """The `corpus` tier's checks run (CI, or KUBEMEDIC_FULL_CORPUS=1)."""
    return bool(os.environ.get("CI") or os.environ.get("KUBEMEDIC_FULL_CORPUS"))


def corpus_share(items: Sequence[T], every: int) -> list[T]:
    """What a costly `corpus` check reads: every item with KUBEMEDIC_FULL_CORPUS=1, in CI
    every `every`-th (starting one past the fast tier's sample, so CI reads other items)."""
    if os.environ.get("KUBEMEDIC_FULL_CORPUS"):
        return list(items)
    return list(items[1::every])


def corpus_every(every: int) -> int:
    """The step of a costly `corpus` check over its items: 1 with KUBEMEDIC_FULL_CORPUS=1, else `every`."""
    return 1 if os.environ.get("KUBEMEDIC_FULL_CORPUS") else every


TIERS = {tier.marker: tier for tier in (*PATH_TIERS.values(), POSTGRES, CORPUS)}
SMOKE = {  # tier -> its one smoke test (a node id as pytest prints it)
    "browser": "browser/test_catalog_site.py::test_the_index_loads_clean_and_search_finds_pasted_errors_from_disk",
    "server": "realserver/test_diagnose.py::test_diagnose_pod_names_the_confirmed_cause",
    "fleet": "fleettier/test_fleet.py::test_each_cluster_is_answered_from_its_own_api_server_whichever_replica_is_asked",
    "realnode": "realnode/test_pod_network.py::test_the_host_reaches_a_pod_over_the_bridge_and_nothing_takes_the_default_route",
    "image": "image/test_image.py::test_the_image_runs_as_10001_with_the_dockerfile_s_entrypoint",
    "installs": "install/test_install.py::test_the_kustomize_install_of_the_docs_answers_a_signed_diagnose_and_uninstalls_clean",
    "postgres": "storage/test_work.py::test_the_same_request_is_accepted_once_across_replicas[postgresql]",
    "deploy": "deploy/test_workload.py::test_pod_runs_as_a_numeric_non_root_user_with_runtime_default_seccomp[base]",
    "serve": "hardening/test_serve_readiness.py::test_the_alertmanager_secret_alone_does_not_stop_the_bot",
    "multiprocess": "replicas/test_two_processes.py::test_the_same_event_and_the_same_click_on_both_replicas_count_once",
}
"""What `.ci/check` runs of each tier beside the fast tier (`-m "not slow or smoke"`): one test
that starts the tier's server (or browser, image, install, processes) once and gets an answer
through it, so a change that breaks a tier shows before `.ci/run`. The node's teardown check
runs with its smoke test (it stops the node check started). The `corpus` tier has none: the
fast tier runs a fixed sample of it."""
SMOKE_IDS = {
    f"tests/{nodeid}" for nodeid in (*SMOKE.values(), f"{NODE_TEARDOWN}::{NODE_TEARDOWN_TEST}")
}
MARKERS = [
    (
        "slow: needs something beyond Python (a server, a browser, an image, a real node, several "
        "processes, PostgreSQL, kubectl) or takes long; `-m 'not slow'` is the fast tier"
    ),
    "smoke: the one test of its tier that `.ci/check` runs (tests/tiers.py SMOKE)",
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
    """Each test of a tier gets its marker, `slow`, and its tier's xdist group if any; each
    tier's smoke test (SMOKE) gets `smoke`."""
    for item in items:
        tier = tier_of(item)
        if tier is not None:
            item.add_marker(getattr(pytest.mark, tier.marker))
            item.add_marker(pytest.mark.slow)
            if tier.group is not None:
                item.add_marker(pytest.mark.xdist_group(tier.group))
        if item.nodeid in SMOKE_IDS:
            item.add_marker(pytest.mark.smoke)


def corpus_first(items: list[pytest.Item]) -> None:
    """The corpus tier's checks moved first (in place): the whole-corpus noise check alone is
    minutes of CPU on both cores, best spent while the other worker waits on the node rather
    than at the end, where it would hold the run alone."""
    first = [item for item in items if item.get_closest_marker(CORPUS.marker) is not None]
    if first:
        items[:] = first + [item for item in items if item not in first]


def order_node_group(items: list[pytest.Item]) -> None:
    """The node's teardown check moved after every other test (in place): whatever folder a
    test on the node sits in, it runs before the node is stopped, alone or in the group."""
    last = [item for item in items if _relative(str(item.path)) == NODE_TEARDOWN]
    if last:
        items[:] = [item for item in items if item not in last] + last


@functools.cache
def _relative(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(TESTS).as_posix()
    except ValueError:
        return ""


def group_of(path: Path) -> str | None:
    """The xdist group of the tests in a file, by its folder or file (a group is a tier's)."""
    tier = _tier_of_path(str(path))
    return tier.group if tier is not None else None


class TierScheduling(LoadGroupScheduling):  # type: ignore[misc]  # untyped to mypy
    """`--dist loadgroup` whose work units are the tiers' groups, read from each test's path.

    xdist's own loadgroup reads the `xdist_group` mark through a suffix it appends to the node
    id, which pytest 9.2 no longer lets it change (pytest-xdist#1386: every test would be
    scheduled alone). The group is a tier's, decided by folder or file, so the node id's path
    says it. Whole units are handed out largest first, then the ungrouped tests one by one."""

    def _split_scope(self, nodeid: str) -> str:
        group = group_of(self.config.rootpath / nodeid.split("::", 1)[0])
        return f"group:{group}" if group is not None else super()._split_scope(nodeid)


def grouped_run_required(config: pytest.Config, what: str) -> None:
    """Fail a group's test in an xdist worker that was not given whole groups (`--dist` other
    than loadgroup): its tests would run in two processes at once, in no fixed order."""
    if os.environ.get("PYTEST_XDIST_WORKER") and not config.getvalue("loadgroup"):
        pytest.fail(
            f"{what} runs in one process, in collection order: run it with "
            "`--dist loadgroup` (pyproject's default) or without -n"
        )


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


SUMMARY = "summary: "
"""A test report's user property named SUMMARY + SECTION: a line of SECTION at the run's end."""


def summary_sections(reports: list[pytest.TestReport]) -> dict[str, list[str]]:
    """Lines the tests left for the terminal summary, by section, in the order they came (from
    each test's teardown report, which holds every property its test recorded)."""
    sections: dict[str, list[str]] = {}
    for report in reports:
        for name, value in report.user_properties if report.when == "teardown" else ():
            if name.startswith(SUMMARY):
                sections.setdefault(name.removeprefix(SUMMARY), []).append(str(value))
    return sections


def cpu_seconds() -> float:
    """User and system CPU of this process and its waited-for children so far."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
