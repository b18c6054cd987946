"""What a paste says is not so: a failure denied or contrasted away is not its answer, and the
entry for what remains is (intents/denials.py, the decision's `denied` and `what remains` rules).

Each row is a paste written here as people write it (none is copied from the corpus) and what a
user must see; its `rule` must appear in the trace of what is listed. Doubt ("not sure why") and
a failure reported outright are not denials: those rows keep their answer.
"""

from __future__ import annotations

import pytest

from intents.denials import denials
from tests.cli.runner import match_json
from tests.readings.cases import Case, check

CASES = [
    Case(
        "exit code 137 but describe shows no OOMKilled\n",
        answer="exit-code-137-sigkill",
        why="137 with no OOMKilled is the plain SIGKILL",
        rule="denied",
    ),
    Case(
        "The container exits with code 137, but it was not OOMKilled: memory stays at 200Mi of a 2Gi limit.\n",
        answer="exit-code-137-sigkill",
        why="not OOMKilled, memory far below the limit",
        rule="what remains",
    ),
    Case(
        "the pod restarts with exit code 137, it is not a memory problem, usage is far below the limit\n",
        answer="exit-code-137-sigkill",
        not_answer="oom-killed",
        why="not a memory problem",
        rule="denied",
    ),
    Case(
        "We raised the limit and nothing is OOMKilled any more.\n",
        answer=None,
        why="no longer killed for memory is no failure",
    ),
    Case(
        "the liveness probe passes when I curl it from inside the pod, yet the container keeps getting killed\n",
        not_answer="liveness-probe-failed",
        why="the liveness probe passes",
        rule="denied",
    ),
    Case(
        "It's not DNS: nslookup works from the pod, but the connection to the service times out.\n",
        not_answer="dns-resolution-failure",
        why="not dns, nslookup works",
    ),
    Case(
        "The node is not under disk pressure, df shows 60% used, still pods go Pending.\n",
        not_answer="node-disk-pressure",
        why="no disk pressure",
    ),
    Case(
        "The pod was not evicted, it just disappeared after the node rebooted.\n",
        not_answer="pod-evicted",
        why="not evicted, said of the pod",
        read_by="",
    ),
    Case(
        "It's not an RBAC problem, the service account has cluster-admin.\n",
        answer=None,
        why="not an rbac problem",
    ),
    Case(
        "The certificate is valid until 2027, I checked it with openssl.\n",
        answer=None,
        why="the certificate is valid",
    ),
    Case(
        "There is no crash loop, the pod is Running but requests fail.\n",
        not_answer="crashloop-backoff",
        why="no crash loop",
    ),
    Case(
        "not sure why it was OOMKilled, exit code 137\n",
        answer="oom-killed",
        why="doubt about the cause is no denial of the kill",
    ),
    Case(
        "my pod keeps getting OOMKilled even with a 4Gi limit\n",
        answer="oom-killed",
        why="a kill reported outright stays the answer",
    ),
    Case(
        "Liveness probe failed: HTTP probe failed with statuscode: 500\n",
        answer="liveness-probe-failed",
        why="a failing probe reported by the kubelet stays the answer",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_a_denied_failure_is_not_the_answer_and_what_remains_is(case: Case) -> None:
    check(case)
    if case.rule:
        traced = {
            step["rule"] for match in match_json(case.paste)["matches"] for step in match["why"]
        }
        assert case.rule in traced, f"{case.rule!r} not in the trace: {sorted(traced)}"


def test_every_denial_names_entries_of_the_catalog(builtin_catalog: object) -> None:
    ids = set(builtin_catalog.entries)  # type: ignore[attr-defined]
    for denial in denials():
        assert set(denial.denies) | set(denial.instead) <= ids, denial.name
