"""The storm shape of the soak bench in smoke mode (5 s, 20 requests in flight), so its code cannot rot:
every request has its answer or its `kubemedic is busy` line, no client error, the bot alive and quiet.

No request may be lost, however slow the machine: the bench waits up to 120 s after the load for the
last answer (it stops as soon as none is missing). How soon that is on a quiet machine is the bench's
figure (docs/benchmarks.md), never a test's (CI machines are noisy)."""

from __future__ import annotations

import pytest

from bench import soak_bench
from tests.storage.backends import fresh_postgres_database
from tests.storage.conftest import postgres_base_url


def test_storm_bench_smoke() -> None:
    results = soak_bench.main(
        ["--shape", "storm", "--seconds", "5", "--clients", "20", "--drain", "120"]
    )
    assert results["requests"] > 20
    assert results["outcomes"].get("silent", 0) == 0
    assert results["outcomes"].get("real", 0) > 0
    assert results["errors"] == {} and results["bot_log_errors"] == 0
    assert results["db_bytes"] and results["db_bytes"] > 0


def test_storm_bench_smoke_on_two_replicas() -> None:
    """`--replicas 2` on PostgreSQL: the clients are spread over two real replicas sharing one database."""
    with fresh_postgres_database(postgres_base_url(), prefix="kubemedic_storm") as url:
        results = soak_bench.main(
            [
                "--shape",
                "storm",
                "--seconds",
                "4",
                "--clients",
                "20",
                "--drain",
                "120",
                "--replicas",
                "2",
                "--database-url",
                url,
            ]
        )
    assert results["outcomes"].get("silent", 0) == 0 and results["outcomes"].get("real", 0) > 0
    assert results["errors"] == {} and results["bot_log_errors"] == 0
    assert (
        results["rss"]["start"] > 150
    )  # two processes' memory, summed (one is about 110 MB at start)


def test_replicas_need_a_shared_database() -> None:
    with pytest.raises(SystemExit):
        soak_bench.main(["--shape", "storm", "--replicas", "2"])


def test_storm_bench_open_loop_smoke() -> None:
    """`--rate`: arrivals at a set rate whatever the acks do; every request answered (or told busy) once."""
    results = soak_bench.main(
        ["--shape", "storm", "--seconds", "4", "--rate", "25", "--drain", "120"]
    )
    assert 50 <= results["requests"] <= 150  # about 100 arrivals (Poisson)
    assert results["outcomes"].get("silent", 0) == 0 and results["outcomes"].get("twice", 0) == 0
    assert results["outcomes"].get("real", 0) > 0
    assert results["errors"] == {} and results["bot_log_errors"] == 0
