"""Time in the walk: the newest fault leads, a failure long older than it is named below it as
chronic ("also failing for 3 days"), a suspect says since when it fails where the input tells,
and the first one says so when the input cannot tell."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.chronic import chronic
from bot.diagnosis.suspects.clues import CONFIRMED, Clue
from bot.diagnosis.suspects.rank import UNTOLD
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.suspects import shop as shops
from tests.suspects.faults import liveness_tight, missing_account, quota, target_port
from tests.suspects.ranked import suspects_of

DAYS_3 = 3 * 86400


def _aged(shop: shops.Shop, reason: str, first: float, last: float = 30) -> None:
    """Every event of this reason first seen `first` seconds ago, last seen `last` ago."""
    for obj in shop.objects:
        if obj["kind"] == "Event" and obj["reason"] == reason:
            fresh = kc.event(
                involved=obj["involvedObject"],
                reason=reason,
                message=obj["message"],
                first=first,
                last=last,
                count=500,
                namespace=shops.NS,
            )
            obj.update(firstTimestamp=fresh["firstTimestamp"], lastTimestamp=fresh["lastTimestamp"])


def test_a_quota_refusing_pods_for_three_days_follows_a_fault_of_minutes(judge: Judge) -> None:
    # both confirmed alike (FailedCreate); the quota's refusals began days ago, the missing
    # ServiceAccount's two minutes ago: the new fault is what the person asks about
    shop = shops.healthy()
    quota(shop)
    _aged(shop, "FailedCreate", first=DAYS_3)
    missing_account(shop)
    rs = next(r for r in shop.of("ReplicaSet") if r["metadata"]["name"].startswith("cart-"))
    for event in shop.of("Event"):
        if event["involvedObject"]["name"] == rs["metadata"]["name"]:
            fresh = kc.event(involved=rs, reason="FailedCreate", message="x", first=120, last=10)
            event.update(
                firstTimestamp=fresh["firstTimestamp"], lastTimestamp=fresh["lastTimestamp"]
            )
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="")
    assert [(s.object, s.id) for s in suspects[:2]] == [
        ("service/cart", "serviceaccount-not-found"),
        ("namespace/shop", "resource-quota-exceeded"),
    ]
    assert suspects[1].lower.startswith("also failing for 3 days"), suspects[1].lower
    assert suspects[0].since and suspects[1].since < suspects[0].since


def test_without_times_the_first_says_the_input_cannot_tell(judge: Judge) -> None:
    # a targetPort no container declares: the objects say it, not since when
    shop = shops.healthy()
    target_port(shop)
    first = suspects_of(shop.snapshot(), (), judge=judge, symptom="")[0]
    assert (first.object, first.id, first.since) == (
        "service/cart",
        "service-target-port-mismatch",
        "",
    )
    assert UNTOLD in first.why
    assert "since" not in first.to_dict()


def _clue(name: str, since: datetime, weight: float = CONFIRMED) -> Clue:
    return Clue("", f"service/{name}", f"deployment/{name}", (), (), weight, since=since)


class _Item:
    def __init__(self, clue: Clue) -> None:
        self.clue, self.score = clue, clue.weight


def test_an_old_failure_that_explains_the_new_one_is_its_cause_not_history() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    database = _Item(_clue("db", now - timedelta(days=3)))
    api = _Item(_clue("api", now - timedelta(minutes=5)))
    # the api's failure is an effect of the database's: no chronic label
    assert chronic([database, api], as_of=now, explains=lambda effect, cause: True) == {}
    old = chronic([database, api], as_of=now, explains=lambda effect, cause: False)
    assert list(old) == [0] and old[0].startswith("also failing for 3 days")


def test_two_failures_both_days_old_are_both_current() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    first = _Item(_clue("a", now - timedelta(days=3)))
    second = _Item(_clue("b", now - timedelta(days=2)))
    assert chronic([first, second], as_of=now, explains=lambda effect, cause: False) == {}


def test_probe_failures_days_ago_on_a_pod_ready_since_are_history(judge: Judge) -> None:
    # a tight liveness probe killed frontend three days ago; it has been Ready since
    shop = shops.healthy()
    liveness_tight(shop)
    status = shop.pod("frontend")["status"]["containerStatuses"][0]
    status["lastState"] = ko.terminated_state(
        reason="Error", exit_code=137, started=DAYS_3 + 60, finished=DAYS_3
    )
    _aged(shop, "Unhealthy", first=DAYS_3 + 300, last=DAYS_3)
    assert suspects_of(shop.snapshot(), (), judge=judge, symptom="") == ()
    # the same restart a minute ago is the fault
    status["lastState"] = ko.terminated_state(
        reason="Error", exit_code=137, started=90, finished=60
    )
    _aged(shop, "Unhealthy", first=300, last=60)
    first = suspects_of(shop.snapshot(), (), judge=judge, symptom="")[0]
    assert (first.object, first.id) == ("service/frontend", "liveness-probe-failed")
