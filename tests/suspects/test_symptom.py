"""What a symptom text says (the objects it names, its class), and which Service a caller's
timed-out log line is about."""

from __future__ import annotations

import pytest

from bot.diagnosis.suspects.checks.network import callee
from bot.diagnosis.suspects.symptom import read_symptom

KNOWN = ("checkoutservice", "cart", "frontend-external", "worker-2", "shop")
SERVICES = ["adservice", "cartservice", "currencyservice", "productcatalogservice", "frontend"]

SYMPTOMS = [
    # a short name names the Service it is the stem of, and "failing" is an error
    ("checkout is failing", {"checkoutservice"}, {"errors"}),
    # the benchmark's own words
    ("Partial Service Unreachability.", set(), {"unreachable"}),
    ("Service abnormal restart.", set(), {"restarts", "errors"}),
    ("Service latency increased significantly", set(), {"latency"}),
    # a node named outright; "down" is unavailable
    ("everything on worker-2 is down", {"worker-2"}, {"unavailable"}),
    # two letters name nothing (too short to be a stem)
    ("ca is slow", set(), {"latency"}),
]


@pytest.mark.parametrize(("text", "names", "classes"), SYMPTOMS)
def test_the_symptom_reads(text: str, names: set[str], classes: set[str]) -> None:
    symptom = read_symptom(text, KNOWN)
    assert (set(symptom.names), set(symptom.classes)) == (names, classes)


LINES = [
    # named outright
    ('"error":"dial tcp: lookup cartservice: i/o timeout"', "frontend", "cartservice"),
    # by the words it uses: ads -> adservice, currencies -> currencyservice
    ('"error":"failed to get ads: rpc error: code = DeadlineExceeded"', "frontend", "adservice"),
    (
        '"error":"could not retrieve currencies: context deadline exceeded"',
        "frontend",
        "currencyservice",
    ),
    (
        '"error":"could not retrieve product #OLJCESPC7Z: upstream request timeout"',
        "frontend",
        "productcatalogservice",
    ),
    # the caller's own name is never its callee
    ('"error":"frontend timed out"', "frontend", None),
]


@pytest.mark.parametrize(("line", "caller", "expected"), LINES)
def test_the_callee_of_a_timed_out_line(line: str, caller: str, expected: str | None) -> None:
    assert callee(line, SERVICES, caller) == expected
