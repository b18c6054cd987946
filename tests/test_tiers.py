"""Under `-n 2`, xdist's own scheduler with tests/tiers.py's groups gives each group to one
worker, in collection order; the corpus checks come first and the node's teardown check last."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Literal, cast

import pytest

from tests import tiers

ROOT = tiers.TESTS.parent
NODE_TEARDOWN = f"tests/{tiers.NODE_TEARDOWN}::test_stop"
COLLECTION = [  # in the order pytest collects them, with the teardown check moved last
    "tests/alerts/test_flood_pacing.py::test_a",
    "tests/browser/test_catalog_site.py::test_b",
    "tests/fleettier/test_fleet.py::test_c",
    "tests/image/test_image.py::test_d",
    "tests/install/test_install.py::test_e",
    "tests/intents/test_noise.py::test_f",
    "tests/realnode/test_bot.py::test_g",
    "tests/realnode/test_failures.py::test_h[crash-loop]",
    "tests/realserver/test_watch.py::test_i",
    "tests/storage/test_store.py::test_j[postgresql]",
    "tests/zz_a_later_folder/test_on_the_node.py::test_k",
    NODE_TEARDOWN,
]
NODE_GROUP = [COLLECTION[i] for i in (3, 4, 6, 7, 11)]
API_SERVER_GROUP = [COLLECTION[i] for i in (2, 8)]


class Worker:
    """What the scheduler sees of an xdist worker: it is sent test indexes, runs them in order."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.shutting_down = False
        self.sent: list[int] = []
        self.ran: list[str] = []

    def send_runtest_some(self, indexes: list[int]) -> None:
        self.sent.extend(indexes)

    def shutdown(self) -> None:
        self.shutting_down = True


def run(collection: list[str]) -> dict[str, list[str]]:
    """Schedule the collection on two workers, as `-n 2` does, each running the tests it was
    sent one at a time, in turns; the tests each worker ran, in order."""
    config = SimpleNamespace(
        rootpath=ROOT,
        option=SimpleNamespace(loadscopereorder=True),
        getvalue=lambda name: {"tx": ["popen", "popen"]}[name],
    )
    scheduler = tiers.TierScheduling(cast(pytest.Config, config))
    workers = [Worker("gw0"), Worker("gw1")]
    for worker in workers:
        scheduler.add_node(cast(Any, worker))
        scheduler.add_node_collection(cast(Any, worker), collection)
    scheduler.schedule()
    while any(len(w.ran) < len(w.sent) for w in workers):
        for worker in workers:
            if len(worker.ran) < len(worker.sent):
                index = worker.sent[len(worker.ran)]
                worker.ran.append(collection[index])
                scheduler.mark_test_complete(cast(Any, worker), index)
    assert sorted(t for w in workers for t in w.ran) == sorted(collection)
    return {w.gateway.id: w.ran for w in workers}


def test_each_group_runs_whole_in_one_worker_in_collection_order() -> None:
    ran = run(COLLECTION)
    for group in (NODE_GROUP, API_SERVER_GROUP):
        [worker] = [name for name, tests in ran.items() if set(group) & set(tests)]
        assert [test for test in ran[worker] if test in group] == group, ran
    assert all(ran.values()), ran  # the other worker took the rest meanwhile


class Collected:
    """What the ordering sees of a collected test: its file and its markers."""

    def __init__(self, path: str, *markers: str) -> None:
        self.path = tiers.TESTS / path
        self.markers = markers

    def get_closest_marker(self, name: str) -> object:
        return name if name in self.markers else None


def test_the_corpus_checks_run_first_and_the_node_teardown_check_last() -> None:
    """A test on the node in any folder runs before the node is stopped; the corpus checks
    (minutes of CPU) start while the node's tests wait, not at the end."""
    found = [
        Collected("answer/test_fix_names.py", "corpus"),
        Collected("realnode/test_bot.py"),
        Collected(tiers.NODE_TEARDOWN),
        Collected("intents/test_noise.py"),
        Collected("intents/test_noise.py", "corpus"),
        Collected("realnode/test_zzz_shop.py"),
    ]
    items = cast(list[pytest.Item], list(found))
    tiers.corpus_first(items)
    tiers.order_node_group(items)
    assert [found.index(cast(Collected, item)) for item in items] == [0, 4, 1, 3, 5, 2]


def test_a_grouped_tier_is_a_folder_or_a_file() -> None:
    """The scheduler reads a test's group from its path: a tier known only by its marker
    could not be kept together."""
    grouped = {tier.marker for tier in tiers.TIERS.values() if tier.group is not None}
    assert grouped == {tier.marker for tier in tiers.PATH_TIERS.values() if tier.group is not None}
    on_the_node = ("realnode", "install", "image")
    assert {tiers.group_of(tiers.TESTS / path / "test_x.py") for path in on_the_node} == {"node"}


def test_lines_left_for_the_summary_come_once_each_by_section() -> None:
    def report(
        when: Literal["call", "teardown"], *properties: tuple[str, object]
    ) -> pytest.TestReport:
        return pytest.TestReport(
            "t.py::t", ("t.py", 0, "t"), {}, "passed", None, when, user_properties=list(properties)
        )

    line = (f"{tiers.SUMMARY}install tier: where the time went", "image load: 4.0 s")
    reports = [report("call", line), report("teardown", line, ("other", 1)), report("teardown")]
    assert tiers.summary_sections(reports) == {
        "install tier: where the time went": ["image load: 4.0 s"]
    }


def test_every_tier_but_the_corpus_has_one_smoke_test_that_exists() -> None:
    """`.ci/check` runs `-m "not slow or smoke"`: a smoke id that names no test would leave its
    tier out of the contributor's check without a word."""
    assert sorted(tiers.SMOKE) == sorted(set(tiers.TIERS) - {tiers.CORPUS.marker})
    for tier, nodeid in tiers.SMOKE.items():
        path, name = nodeid.split("::")
        in_tier = tiers._tier_of_path(str(tiers.TESTS / path))
        assert in_tier == tiers.TIERS[tier] or tier == tiers.POSTGRES.marker, nodeid
        source = (tiers.TESTS / path).read_text()
        assert f"def {name.split('[')[0]}(" in source, nodeid
