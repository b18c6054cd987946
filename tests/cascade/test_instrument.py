"""The measuring instrument itself: the latency rule, what counts as named first, the users' words.

Table tests on made-up lines in the tiers' own formats (.ci/cascade, .ci/market), so a change
to the instrument that would move the benchmark's figures shows here first.
"""

from __future__ import annotations

from tests.cascade.alerts import firing
from tests.cascade.asking import first_named
from tests.cascade.faults import FAULTS
from tests.market.signals import samples as market_samples

CATALOG_CRASH = FAULTS[0]


def _load(seconds: list[float], start: int = 0) -> str:
    return "".join(
        f"load: 2026/11/28 10:{(start + 2 * i) // 60:02d}:{(start + 2 * i) % 60:02d} "
        f"GET http://web/api/orders: 200 OK in {took}s\n"
        for i, took in enumerate(seconds)
    )


def _api(upstream: str, millis: list[int]) -> str:
    return "".join(
        f'{{"level":"warn","ts":"2026-11-28T10:00:{2 * i:02d}.000Z","msg":"slow call",'
        f'"upstream":"{upstream}","duration_ms":{ms}}}\n'
        for i, ms in enumerate(millis)
    )


def test_a_service_fires_on_five_slow_answers_in_the_last_minute_and_not_on_four() -> None:
    # five answers of 1.2 s out of ten: the 95th percentile is over 0.5 s
    five = firing({"load": _load([0.01] * 5 + [1.2] * 5)}, "cascade")
    assert [a["labels"]["service"] for a in five] == ["web"]
    assert five[0]["labels"]["alertname"] == "HighRequestLatency"
    assert five[0]["startsAt"] == "2026-11-28T10:00:10.000Z"  # the first slow answer
    assert firing({"load": _load([0.01] * 6 + [1.2] * 4)}, "cascade") == []


def test_the_window_ends_at_the_newest_line_not_at_the_wall_clock() -> None:
    # five slow answers, then a minute and more of fast ones: they are over
    assert firing({"load": _load([1.2] * 5 + [0.01] * 40)}, "cascade") == []


def test_the_chain_fires_slowest_first_from_each_tier_s_own_measure() -> None:
    logs = {
        "load": _load([1.3] * 6),
        "api": _api("catalog", [1250] * 6) + _api("billing", [320] * 6),
    }
    fired = [(a["labels"]["service"], a["annotations"]["value"]) for a in firing(logs, "cascade")]
    assert fired == [("web", "1.300"), ("catalog", "1.250")]  # billing's 0.32 s is under


def test_a_suspect_list_names_its_first_and_a_pod_without_one_names_itself() -> None:
    suspects = {
        "suspects": [{"object": "service/catalog", "id": "crashloop-backoff", "confidence": "high"}]
    }
    named = first_named("namespace", suspects, "service/api")
    assert (named.object, named.entry) == ("service/catalog", "crashloop-backoff")
    assert named.cause_right(CATALOG_CRASH)
    pod = {
        "answer": "readiness-probe-failed",
        "matches": [{"id": "readiness-probe-failed", "confidence": "high"}],
    }
    itself = first_named("pod", pod, "service/api")
    assert (itself.object, itself.entry) == ("service/api", "readiness-probe-failed")
    assert not itself.object_right(CATALOG_CRASH)


def test_a_pod_answer_that_names_what_explains_it_is_scored_on_that_object() -> None:
    pod = {
        "answer": "crashloop-backoff",
        "matches": [
            {
                "id": "crashloop-backoff",
                "confidence": "high",
                "because": {"object": "service/catalog", "edge": "CATALOG_URL"},
            }
        ],
    }
    named = first_named("pod", pod, "service/api")
    assert named.cause_right(CATALOG_CRASH)


def test_silence_is_neither_object_nor_cause() -> None:
    for command in ("namespace", "service", "pod"):
        named = first_named(command, {"suspects": [], "answer": None}, "service/api")
        assert named.shown() == "silent" and not named.object_right(CATALOG_CRASH)


def _gateway(route: str, millis: list[int]) -> str:
    return "".join(
        f'[2026-11-28T10:00:{2 * i:02d}.000Z] "GET {route}?limit=240 HTTP/1.1" 200 - 31 30715 '
        f'{ms} 4 "10.88.0.47" "node" "a400a943" "gateway.market.svc.cluster.local" '
        '"10.96.0.221:8000"\n'
        for i, ms in enumerate(millis)
    )


def test_the_market_gateway_times_each_route_s_service_until_its_answer_is_complete() -> None:
    # Envoy's DURATION (the whole answer), not the upstream's time to its headers (4 ms here)
    logs = {"gateway": _gateway("/api/products", [2002] * 6) + _gateway("/api/orders", [30] * 6)}
    fired = {
        a["labels"]["service"]: a["annotations"]["value"]
        for a in firing(logs, "market", market_samples, "P95LatencyHigh")
    }
    assert fired == {"gateway": "2.002", "inventory": "2.002"}  # orders' 30 ms fire nothing
