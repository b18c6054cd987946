"""The soak benchmark in smoke mode (5 s, 20 clients), so its code cannot rot: every
request answered as expected, none twice, every ack under Slack's 3 s, the bot alive."""

from __future__ import annotations

import pytest

from bench import soak_bench


def test_soak_bench_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    results = soak_bench.main(["--seconds", "5", "--clients", "20"])
    printed = capsys.readouterr().out
    assert "| lost answers | 0 | 0 |" in printed
    assert results["requests"] > 20 and set(results["sent"]) >= {"command", "paste"}
    assert results["lost"] == 0 and results["duplicates"] == 0
    assert results["posted"] == results["expected"] > 0
    assert results["acks_over_target"] == 0
    assert results["pods_deleted"] == results["sent"].get("click:remediation", 0)
    assert results["errors"] == {} and results["bot_exit"] is None
