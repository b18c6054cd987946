"""How clues become suspects: causes above the symptoms they explain, the symptom text's names
and class lifting what is on its chain, one suspect per object, and why each other ranks lower."""

from __future__ import annotations

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.clues import CONFIRMED, INFERRED, OBSERVED, Clue
from bot.diagnosis.suspects.rank import rank
from bot.diagnosis.suspects.symptom import read_symptom

KNOWN = ("checkout", "cart", "frontend", "worker-1", "shop")


def clue(entry: str, obj: str, weight: float, **extra: object) -> Clue:
    return Clue(
        "",
        obj,
        obj,
        (f"{entry} seen on {obj}",),
        (obj,),
        weight,
        names=frozenset({obj.partition("/")[2]}),
        entry=entry,
        **extra,
    )  # type: ignore[arg-type]


def ranked(judge: Judge, clues: list[Clue], symptom: str = "") -> list[tuple[str, str]]:
    entries = {entry.id: entry for entry in judge.matcher.index.entries}
    return [
        (s.object, s.id) for s in rank(clues, symptom=read_symptom(symptom, KNOWN), entries=entries)
    ]


def test_a_cause_ranks_above_the_symptom_it_explains(judge: Judge) -> None:
    # the Service without endpoints is checkout's, whose pods a quota refuses: the quota leads
    symptom = clue("service-endpoints-empty", "service/checkout", CONFIRMED, root=False)
    cause = clue(
        "resource-quota-exceeded",
        "namespace/shop",
        OBSERVED,
        affects=frozenset({"service/checkout"}),
    )
    entries = {e.id: e for e in judge.matcher.index.entries}
    suspects = rank([symptom, cause], symptom=read_symptom("", KNOWN), entries=entries)
    assert [(s.object, s.id) for s in suspects] == [
        ("namespace/shop", "resource-quota-exceeded"),
        ("service/checkout", "service-endpoints-empty"),
    ]
    assert suspects[1].lower == "a symptom that resource-quota-exceeded on namespace/shop explains"


def test_the_symptom_names_lift_what_is_on_their_chain(judge: Judge) -> None:
    # two equally sure causes: the one on the object the symptom names leads
    clues = [
        clue("oom-killed", "service/cart", OBSERVED),
        clue("oom-killed", "service/checkout", OBSERVED),
    ]
    assert ranked(judge, clues, "checkout keeps restarting")[0] == (
        "service/checkout",
        "oom-killed",
    )
    assert ranked(judge, clues, "cart keeps restarting")[0] == ("service/cart", "oom-killed")


def test_the_symptom_class_lifts_what_shows_as_it(judge: Judge) -> None:
    # "slow" fits a latency cause, not one that stops pods from starting
    slow = clue("network-degradation", "node/worker-1", OBSERVED, classes=frozenset({"latency"}))
    down = clue("image-not-found", "service/cart", OBSERVED)
    assert ranked(judge, [down, slow], "the shop is slow")[0] == (
        "node/worker-1",
        "network-degradation",
    )


def test_one_suspect_per_object_the_best_clue_kept(judge: Judge) -> None:
    # a confirmed probe fault and the pod judge's weaker crash loop on the same Service
    clues = [
        clue("crashloop-backoff", "service/cart", INFERRED),
        clue("liveness-probe-failed", "service/cart", CONFIRMED),
    ]
    entries = {e.id: e for e in judge.matcher.index.entries}
    suspects = rank(clues, symptom=read_symptom("", KNOWN), entries=entries)
    assert [(s.object, s.id) for s in suspects] == [("service/cart", "liveness-probe-failed")]
    assert any(why.startswith("also: crashloop-backoff") for why in suspects[0].why)


def test_nothing_found_is_no_suspect(judge: Judge) -> None:
    assert ranked(judge, [], "checkout is failing") == []
