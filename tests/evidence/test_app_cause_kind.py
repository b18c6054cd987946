"""The `app_cause` fact kind: which of a pod's texts it reads, and what the answer quotes.

A cluster read gives each container's current and previous log, its messages and the pod's
events; a paste gives the pasted log as the failing pod's. Each row is a pod as a user's
cluster shows it and the cause (or none) an evidence rule `app_cause: KIND` must find.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from bot.evidence.rules import check_rule
from intents.facts.model import ContainerFacts, EventFacts, PodFacts
from intents.schema import EvidenceRule
from tests.cli.runner import match_json

REFUSED = "Error: connect ECONNREFUSED 10.0.0.7:6379\n    at TCPConnectWrap.afterConnect\n"
DENIED = 'FATAL:  password authentication failed for user "orders"\n'


def _pod(*containers: ContainerFacts, events: tuple[EventFacts, ...] = ()) -> PodFacts:
    return PodFacts(
        "shop", "orders-7c9d8b6f5-x2k4p", containers=list(containers), events=list(events)
    )


class Row(NamedTuple):
    facts: PodFacts
    kind: str
    found: str | None
    """A piece of the evidence sentence, or None: the rule does not hold."""


ROWS = {
    # a crash loop: the previous run's log says why it ended
    "the run that crashed": Row(
        _pod(
            ContainerFacts(
                "api",
                state="waiting",
                reason="CrashLoopBackOff",
                restarts=4,
                previous_log=DENIED,
                current_log="",
            )
        ),
        "db-credentials",
        "container api's previous log states the database rejects the credentials (orders)",
    ),
    # running and not ready: its current log says why its readiness probe fails
    "a running container's own log": Row(
        _pod(ContainerFacts("cart", state="running", current_log=REFUSED)),
        "connection-refused",
        "container cart's log states a connection is refused (10.0.0.7, 6379)",
    ),
    # a previous run's words are history for a container that never restarted
    "no restart, no previous run read": Row(
        _pod(ContainerFacts("cart", state="running", ready=True, previous_log=REFUSED)),
        "connection-refused",
        None,
    ),
    # an exec probe's output is the app's words, carried by the kubelet's event
    "an exec probe's output": Row(
        _pod(
            ContainerFacts("db", state="running"),
            events=(
                EventFacts(
                    "Unhealthy",
                    'Readiness probe failed: psql: error: connection to server at "127.0.0.1", port '
                    "5432 failed: FATAL:  remaining connection slots are reserved for non-replication "
                    "superuser connections",
                    type="Warning",
                ),
            ),
        ),
        "db-connections",
        "event Unhealthy states the database's connections are exhausted",
    ),
    # the kubelet's own probe error says the port is closed, not what the app said
    "the kubelet's connection refused is not the app's": Row(
        _pod(
            ContainerFacts("db", state="running"),
            events=(
                EventFacts(
                    "Unhealthy",
                    "Readiness probe failed: dial tcp 10.88.0.58:6379: connect: connection refused",
                    type="Warning",
                ),
            ),
        ),
        "connection-refused",
        None,
    ),
    # before Kubernetes 1.19 the kubelet wrote its probe's URL unquoted: still its own words
    "the kubelet's unquoted probe URL is not the app's": Row(
        _pod(
            ContainerFacts("dashboard", state="running"),
            events=(
                EventFacts(
                    "Unhealthy",
                    "Liveness probe failed: Get https://192.168.3.82:8443/: dial tcp "
                    "192.168.3.82:8443: connect: connection refused",
                    type="Warning",
                ),
            ),
        ),
        "connection-refused",
        None,
    ),
    # an exec probe that cannot reach its own container on the loopback: the probe fails, no
    # service the app calls is down
    "an exec probe refused on its own loopback": Row(
        _pod(
            ContainerFacts("redis", state="running"),
            events=(
                EventFacts(
                    "Unhealthy",
                    "Liveness probe failed:\nCould not connect to Redis at localhost:6379: "
                    "Connection refused",
                    type="Warning",
                ),
            ),
        ),
        "connection-refused",
        None,
    ),
    # terminationMessagePolicy FallbackToLogsOnError puts the log's tail in the message
    "a termination message": Row(
        _pod(
            ContainerFacts(
                "job",
                state="terminated",
                reason="Error",
                exit_code=1,
                message="KeyError: 'S3_BUCKET'",
            )
        ),
        "missing-setting",
        "container job's message states a required setting is missing (S3_BUCKET)",
    ),
}


@pytest.mark.parametrize("name", ROWS)
def test_the_rule_finds_the_cause_the_app_states(name: str) -> None:
    row = ROWS[name]
    rule = EvidenceRule(describe="the app says so", app_cause=row.kind)  # type: ignore[call-arg]
    found = check_rule(rule, row.facts)
    if row.found is None:
        assert found is None, found
    else:
        assert found is not None and row.found in found, found


CRASHLOOP_WITH_TRACEBACK = """\
$ kubectl -n orders get pods
NAME                         READY   STATUS             RESTARTS     AGE
orders-api-7c9d8b6f5-x2k4p   0/1     CrashLoopBackOff   6 (2m ago)   9m
$ kubectl -n orders logs orders-api-7c9d8b6f5-x2k4p --previous
Traceback (most recent call last):
  File "/app/main.py", line 4, in <module>
    from app.config import settings
  File "/app/app/config.py", line 12, in <module>
    settings = Settings()
pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings
database_url
  Field required [type=missing, input_value={}, input_type=dict]
    For further information visit https://errors.pydantic.dev/2.7/v/missing
"""


def test_a_pasted_traceback_names_the_missing_setting_not_the_crash_loop() -> None:
    # issue 70: the paste is the crashed run's log; the setting it names is the answer, quoted
    body = match_json(CRASHLOOP_WITH_TRACEBACK)
    first = body["matches"][0]
    assert (first["id"], first["confidence"]) == ("app-config-missing", "high")
    assert any("database_url: Field required" in line for line in first["evidence"])
    crashloop = next(m for m in body["matches"] if m["id"] == "crashloop-backoff")
    assert crashloop.get("because") == ["app-config-missing"]
