"""The entry rules of the decision (intents/decision/rules.py) as a user notices them: which
entry comes first, and when it answers, one section per rule.

Behaviour on the real catalog where the catalog's own entries show it (exit codes, scheduler
messages); small catalogs where one mechanism is easier to see alone.
"""

from __future__ import annotations

import pytest

from intents.checked import validate
from intents.matcher import Matcher
from intents.schema import CatalogEntry


def _entry(entry_id: str, symptoms: list[str], **extra: object) -> CatalogEntry:
    return validate(
        CatalogEntry,
        {
            "id": entry_id,
            "title": extra.pop("title", entry_id),
            "summary": "s",
            "symptoms": symptoms,
            "root_cause": "r",
            "fix": [{"text": "f"}],
            "links": [{"url": "https://example.org/x", "title": "x"}],
            "sources": ["k8s"],
            **extra,
        },
    )


def _answer(matcher: Matcher, paste: str) -> str | None:
    matches = matcher.match(paste, top=3)
    return matches[0].id if matches and matches[0].confidence != "low" else None


def _describe(reason: str, exit_code: int) -> str:
    return (
        f"    State:          Waiting\n      Reason:       CrashLoopBackOff\n"
        f"    Last State:     Terminated\n      Reason:       {reason}\n"
        f"      Exit Code:    {exit_code}\n    Ready:          False\n    Restart Count:  14\n"
    )


# --- exit codes keep their meaning -------------------------------------------------------------


def test_exit_code_1_is_a_generic_crash_not_a_failed_start_or_an_oom(matcher: Matcher) -> None:
    ids = [m.id for m in matcher.match(_describe("Error", 1), top=3)]
    assert ids[0] == "crashloop-backoff"
    for wrong in ("executable-not-found", "oom-killed"):
        assert wrong not in ids[:1]


@pytest.mark.parametrize("exit_code", [137, 143])
def test_a_kill_without_oomkilled_is_never_answered_as_oom(
    matcher: Matcher, exit_code: int
) -> None:
    # 137 = SIGKILL (OOM only when the Reason says OOMKilled), 143 = SIGTERM
    assert _answer(matcher, _describe("Error", exit_code)) != "oom-killed"


def test_oomkilled_with_137_is_oom(matcher: Matcher) -> None:
    assert _answer(matcher, _describe("OOMKilled", 137)) == "oom-killed"


def test_a_different_exit_code_on_otherwise_identical_lines_is_not_a_match() -> None:
    start = _entry("start-error", ["Last State: Terminated Reason: StartError Exit Code: 128"])
    other = _entry("other", ["Back-off restarting failed container"])
    matcher = Matcher.from_entries([start, other])
    assert (
        _answer(matcher, "Last State: Terminated\nReason: StartError\nExit Code: 128")
        == "start-error"
    )
    assert _answer(matcher, "Last State: Terminated\nReason: Error\nExit Code: 1") is None


# --- scheduler messages: the clause that blocks the nodes decides ------------------------------


def test_insufficient_memory_beats_a_control_plane_taint_on_one_scheduler_line(
    matcher: Matcher,
) -> None:
    line = (
        "Warning  FailedScheduling  60s  default-scheduler  0/6 nodes are available: 3 Insufficient memory, "
        "3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/6 nodes are "
        "available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling."
    )
    assert _answer(matcher, line) == "pending-insufficient-resources"


def test_the_clause_blocking_more_nodes_wins_a_tie(matcher: Matcher) -> None:
    line = "0/4 nodes are available: 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 3 Too many pods."
    assert _answer(matcher, line) == "too-many-pods"


def test_an_entry_whose_clause_is_absent_comes_after_one_whose_clause_is_present(
    matcher: Matcher,
) -> None:
    line = (
        "Warning  FailedScheduling  2m  default-scheduler  0/4 nodes are available: 1 node(s) had untolerated "
        "taint {node-role.kubernetes.io/control-plane: }, 3 node(s) had untolerated taint {dedicated: ml}. "
        "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.."
    )
    assert _answer(matcher, line) == "pending-untolerated-taint"


def test_a_blocker_on_the_nodes_the_pod_could_use_beats_nodes_it_is_not_meant_for(
    matcher: Matcher,
) -> None:
    # two nodes are in the volume's wrong zone (placement); the one it could use has disk pressure
    line = (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, "
        "2 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: "
        "3 Preemption is not helpful for scheduling."
    )
    assert _answer(matcher, line) == "node-disk-pressure"


def test_placement_beats_a_control_plane_taint_when_nothing_else_blocks(matcher: Matcher) -> None:
    line = (
        "0/6 nodes are available: 3 node(s) didn't match Pod's node affinity/selector, 3 node(s) had "
        "untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/6 nodes are available: "
        "6 Preemption is not helpful for scheduling.."
    )
    assert _answer(matcher, line) == "pending-node-selector-mismatch"


# --- specific, corroborated, unique -------------------------------------------------------------


def test_a_catch_all_yields_to_a_specific_entry_explaining_the_same_line() -> None:
    generic = _entry(
        "crash-loop", ["CrashLoopBackOff", "Back-off restarting failed container"], fallback=True
    )
    specific = _entry("init-crash", ["myapp-pod 0/1 Init:CrashLoopBackOff 5 6m"])
    matcher = Matcher.from_entries([generic, specific])
    assert _answer(matcher, "web-0   0/1   Init:CrashLoopBackOff   7   12m") == "init-crash"


def test_separate_lines_pointing_at_one_entry_raise_its_confidence() -> None:
    entry = _entry(
        "probe",
        [
            "readiness probe failed connection refused on port 8080",
            "service has no endpoints because pods are not ready",
        ],
    )
    matcher = Matcher.from_entries([entry, _entry("other", ["disk quota exceeded on volume"])])
    one = matcher.match("readiness probe failed: connection refused")[0].score
    two = matcher.match(
        "readiness probe failed: connection refused\n\nthe service has no endpoints, the pods are not ready"
    )[0].score
    assert two > one


def test_a_unique_match_on_an_entrys_own_rare_words_is_at_least_medium(matcher: Matcher) -> None:
    matches = matcher.match(
        "NodePort with externalTrafficPolicy: Local only works on one node", top=2
    )
    assert matches[0].id == "nodeport-external-traffic-local"
    assert matches[0].confidence in ("medium", "high")


def test_two_entries_tied_on_one_line_give_no_answer() -> None:
    liveness = _entry(
        "liveness", ["Liveness probe failed: dial tcp 10.0.0.1:80: connect: connection refused"]
    )
    readiness = _entry(
        "readiness", ["Readiness probe failed: dial tcp 10.0.0.1:80: connect: connection refused"]
    )
    matcher = Matcher.from_entries([liveness, readiness, _entry("other", ["disk quota exceeded"])])
    refused = (
        "unable to connect to api service: dial tcp 127.0.0.1:15441: connect: connection refused"
    )
    assert _answer(matcher, refused) is None
    assert (
        _answer(
            matcher, "Liveness probe failed: dial tcp 10.1.2.3:8080: connect: connection refused"
        )
        == "liveness"
    )


def test_a_catch_all_yields_to_an_answerable_specific_entry_on_its_line(matcher: Matcher) -> None:
    # dns-resolution-failure says the line is a DNS failure; coredns-upstream-unreachable,
    # answerable in its own right, says why (CoreDNS cannot reach its upstream)
    paste = (
        "[ERROR] plugin/errors: 2 example.com. A: read udp 10.244.0.5:45678->8.8.8.8:53: i/o timeout\n"
        "[ERROR] plugin/errors: 2 example.com. AAAA: read udp 10.244.0.5:45679->8.8.8.8:53: i/o timeout"
    )
    assert [m.id for m in matcher.match(paste)][:2] == [
        "coredns-upstream-unreachable",
        "dns-resolution-failure",
    ]
