"""The storm shape of the soak bench in smoke mode (5 s, 20 requests in flight), so its code cannot rot:
every request has its answer or its `kubemedic is busy` line, no client error, the bot alive and quiet."""

from __future__ import annotations

from bench import soak_bench


def test_storm_bench_smoke() -> None:
    results = soak_bench.main(["--shape", "storm", "--seconds", "5", "--clients", "20", "--drain", "10"])
    assert results["requests"] > 20
    assert results["outcomes"].get("silent", 0) == 0
    assert results["outcomes"].get("real", 0) > 0
    assert results["errors"] == {} and results["bot_log_errors"] == 0
    assert results["db_bytes"] and results["db_bytes"] > 0
