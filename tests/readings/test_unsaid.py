"""Clauses that name a failure without reporting it (bot/diagnosis/paste_text.py) and typed commands
(bot/diagnosis/paste_text.py): supposed, denied or run, not observed.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        'I changed the service to type: "NodePort" but it doesn\'t work from outside the cluster.',
        answer=None,
        why="a negative contraction is no more a hint than not",
    ),
    Case(
        'we set type: "ClusterIP" and the frontend still doesn\'t reach it',
        answer=None,
        why="a negative contraction is no more a hint than not",
    ),
    Case(
        (
            "How do I avoid running this on every new worker?\n"
            "kubectl taint node worker-1 node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule-\n"
        ),
        answer=None,
        why="a typed command states no failure",
    ),
    Case(
        "We should check if the pod goes into CrashLoopBackOff and if so, print its previous logs.",
        answer=None,
        why="a state supposed or denied is no report",
    ),
    Case(
        "The pod exited with code 0 every time, so it bypassed CrashLoopBackOff entirely.",
        answer=None,
        why="a state supposed or denied is no report",
    ),
    Case(
        "Since the kernel update the node is crashlooping every night.\n",
        not_answer="crashloop-backoff",
        why="a crash loop of a machine or one denied is not answered",
    ),
    Case(
        "How do I prevent a pod from crashlooping when the config map is missing?\n",
        not_answer="crashloop-backoff",
        why="a crash loop of a machine or one denied is not answered",
    ),
    Case(
        "The pod should not crash loop when the database is down.\n",
        not_answer="crashloop-backoff",
        why="a crash loop of a machine or one denied is not answered",
    ),
    Case(
        "We added a toleration to prevent the pods from being evicted by the taint.\n",
        answer=None,
        why="a failure prevented is not reported but a pod kept from running is",
    ),
    Case(
        "To prevent OOM kills of the pod we raised its memory limit.\n",
        answer=None,
        why="a failure prevented is not reported but a pod kept from running is",
    ),
    Case(
        "A taint on every node is preventing the pods from running.\n",
        answer="pending-untolerated-taint",
        why="a failure prevented is not reported but a pod kept from running is",
    ),
    # the JVM, no scheduling
    Case(
        "There is insufficient memory for the Java Runtime Environment to continue.\n",
        answer=None,
        why="the same words without the failure are not answered",
    ),
    # docker before it pulls
    Case(
        "Unable to find image 'busybox:latest' locally\n",
        answer=None,
        why="the same words without the failure are not answered",
    ),
    # advice, nothing failed
    Case(
        "We should mirror images to avoid the Docker Hub rate limit.\n",
        answer=None,
        why="the same words without the failure are not answered",
    ),
    # a machine, not a pod's crash loop
    Case(
        "The server keeps crashing every night.\n",
        answer=None,
        why="the same words without the failure are not answered",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_failure_not_reported_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_what_counts_as_a_sentence_someone_wrote() -> None:
    from bot.diagnosis.paste_text import written_sentence

    assert written_sentence("After a node reboot one api pod enters the CrashLoopBackOff state.")
    # the kernel's seconds-since-boot stamp, a clock time, a component's own message
    assert not written_sentence(
        "[40743.903412] Memory cgroup out of memory: Killed process 1162211 (qemu-system-x86)"
    )
    assert not written_sentence("2024-05-02 10:11:12 error: the pod failed to start in time")
    assert not written_sentence(
        "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network "
        'for sandbox "7f3c": plugin type="calico" failed (add): stat /var/lib/calico/nodename: '
        "no such file or directory"
    )
