"""Readings of the fifth pass (issue 21), each case written from the format, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import kubemedic_in_process


def view(paste: str) -> dict[str, object]:
    result = kubemedic_in_process("match", "--json", stdin=paste.encode())
    assert result.code == 0, result.stderr
    body: dict[str, object] = result.json()
    return body


@pytest.mark.parametrize("sentence", [
    "the worker pods went into CrashLoopBackOff right after the helm upgrade",
    "my pod keeps going into crash loop backoff, any idea?",
    "both replicas are in CrashLoopBackoff state",
])
def test_a_crash_loop_named_in_words_with_no_cause_is_answered_as_one(sentence: str) -> None:
    body = view(sentence)
    assert body["answer"] == "crashloop-backoff", body["matches"]


def test_a_cause_and_an_independent_problem_beside_a_crash_loop_in_words_are_both_answered() -> None:
    paste = ("api pods are in CrashLoopBackOff, their log ends with\n"
             "exec /usr/local/bin/docker-entrypoint.sh: exec format error\n"
             "and the new replica: 0/3 nodes are available: 3 Insufficient memory.\n")
    body = view(paste)
    answers = body["answers"]
    assert isinstance(answers, list)
    assert {"exec-format-error", "pending-insufficient-resources"} <= set(answers), body["matches"]
    assert "crashloop-backoff" not in answers  # named in the cause's chain, not a problem apart
