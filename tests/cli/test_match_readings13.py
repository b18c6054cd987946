"""Readings of the thirteenth pass (issue 21), each case written from a component's format or a plain sentence, not the corpus."""

from __future__ import annotations

from tests.cli.runner import match_json

_CRASH_SENTENCE = "After a node reboot one api pod enters the CrashLoopBackOff state and stays there.\n"


def test_events_of_another_object_do_not_deny_a_pods_back_off() -> None:
    # a GitOps controller's events say nothing about the pod's own BackOff events
    paste = _CRASH_SENTENCE + (
        "LAST SEEN   TYPE      REASON              OBJECT              MESSAGE\n"
        "3m9s        Warning   HealthCheckFailed   kustomization/api   health check failed after 5m0s: "
        "timeout waiting for: [Deployment/default/api status: 'InProgress']\n")
    found = match_json(paste)
    assert found["answer"] == "crashloop-backoff"


def test_the_pods_own_events_without_a_back_off_still_weigh_against_it() -> None:
    paste = _CRASH_SENTENCE + (
        "LAST SEEN   TYPE     REASON      OBJECT           MESSAGE\n"
        "2m          Normal   Scheduled   pod/api-7d9f-x   Successfully assigned default/api-7d9f-x to node-1\n"
        "2m          Normal   Pulled      pod/api-7d9f-x   Container image \"api:1.2\" already present on machine\n"
        "2m          Normal   Started     pod/api-7d9f-x   Started container api\n")
    found = match_json(paste)
    assert found["answer"] != "crashloop-backoff"


def test_a_scheduler_message_held_in_a_yaml_or_json_string_is_read_clause_by_clause() -> None:
    from intents.scheduling import clauses

    quoted = [
        "    message: '0/3 nodes are available: 3 node(s) didn''t match Pod''s node affinity/selector.'",
        '      "message": "0/2 nodes are available: 2 Insufficient memory.",',
        '"FailedScheduling ... fit failure summary on nodes : MatchNodeSelector (2), PodToleratesNodeTaints (1)"',
    ]
    read = [[(clause.nodes, clause.answer) for clause in clauses(line)] for line in quoted]
    assert read == [
        [(3, "pending-node-selector-mismatch")],
        [(2, "pending-insufficient-resources")],
        [(2, "pending-node-selector-mismatch"), (1, "pending-untolerated-taint")],
    ]
