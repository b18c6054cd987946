"""A pasted error checked against the real node (issue 82 item 5): the match, then confirming
evidence, on pods the kubelet really failed.

The bot (signed Slack events, the Slack stand-in, deploy/'s read role as its ServiceAccount)
reads the pod a channel message names. The same paste, the kubelet's back-off as
`kubectl get events` shows it, about two pods of one namespace:

- one crash-looping now: answered sure, the first line saying what the pod shows and that it
  confirms the answer, the cluster's facts shown with where they were read;
- one that failed its first two starts and has run ready since, for longer than it took to
  get there: not answered high (its words alone are), the first line saying it is running and
  ready since after its failures (history).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.answering.diagnosing import Diagnoser
from responses.redaction import redact_paste
from tests.answering.test_answers import NoClusters
from tests.realnode.node import RealNode
from tests.realnode.scenarios import deployment, events, pods
from tests.realnode.test_bot import CRASHING, SLOW, apply, running_pods, wait_for
from tests.realserver.api import Api, Obj
from tests.realserver.conftest import Identities
from tests.realserver.test_remediation import CLUSTER
from tests.slack.harness import block_text, running_bot, shared_matcher

CHANNEL = "C0PASTES01"
RECOVERING = deployment(
    "orders",
    """\
      containers:
      - name: app
        image: $image
        command:
        - sh
        - -c
        - |
          starts=$(cat /data/starts 2>/dev/null || echo 0)
          echo $((starts + 1)) > /data/starts
          if [ "$starts" -lt 2 ]; then
            echo "FATAL: could not connect to db:5432: connection refused" >&2; exit 1
          fi
          trap "exit 0" TERM; sleep 3600 & wait
        volumeMounts:
        - {name: data, mountPath: /data}
      volumes:
      - name: data
        emptyDir: {}
""",
)
"""Its first two starts fail as CRASHING's do (the count kept on the pod's emptyDir), then it
runs and is ready: it recovered by itself."""


def backoff_paste(namespace: str, pod: str) -> str:
    """What a person pastes from `kubectl get events`: the kubelet's back-off of `pod`."""
    return (
        f"{pod} keeps restarting, any idea?\n"
        f"$ kubectl get events -n {namespace}\n"
        "LAST SEEN   TYPE      REASON    OBJECT      MESSAGE\n"
        f"2m          Warning   BackOff   pod/{pod}   Back-off restarting failed container\n"
    )


def crash_looping(admin: Api, namespace: str) -> Obj | None:
    """The payments pod waiting in CrashLoopBackOff after two restarts, once it is."""
    return next(
        (
            pod
            for pod in pods(admin, namespace)
            if pod["metadata"]["labels"].get("app") == "payments"
            for status in pod["status"].get("containerStatuses") or []
            if (status.get("state", {}).get("waiting") or {}).get("reason") == "CrashLoopBackOff"
            and status.get("restartCount", 0) >= 2
        ),
        None,
    )


def recovered(admin: Api, namespace: str) -> Obj | None:
    """The orders pod once it is Running and ready after two restarts, its back-off seen (the
    kubelet's events arrive late on a busy node) before it became ready, and ready for longer
    than it took to get there (so longer than its failures recurred or its runs lasted: what
    the product needs to call them history)."""
    for pod in running_pods(admin, namespace, "orders"):
        status = pod["status"]
        if min(c.get("restartCount", 0) for c in status["containerStatuses"]) < 2:
            continue
        ready = next(c for c in status.get("conditions") or [] if c["type"] == "Ready")
        since = datetime.fromisoformat(ready["lastTransitionTime"])
        backoffs = [
            e.get("lastTimestamp")
            for e in events(admin, namespace)
            if e.get("reason") == "BackOff"
            and e["involvedObject"]["name"] == pod["metadata"]["name"]
        ]
        if not backoffs or not all(
            seen and datetime.fromisoformat(seen) <= since for seen in backoffs
        ):
            continue
        created = datetime.fromisoformat(pod["metadata"]["creationTimestamp"])
        if datetime.now(UTC) - since > since - created:
            return pod
    return None


@pytest.fixture(scope="module")
def shop(node: RealNode, admin: Api, scratch: Callable[[str], str]) -> str:
    """One namespace with both Deployments, applied together so that they fail at once."""
    namespace = scratch("rn-paste")
    apply(admin, node, namespace, f"{CRASHING}---\n{RECOVERING}")
    return namespace


async def answer_to(tmp_path: Path, identities: Identities, text: str) -> str:
    """The text of the bot's threaded answer to `text` pasted in a channel."""
    async with running_bot(tmp_path, kubeconfig=identities.read.kubeconfig) as bot:
        await bot.send(bot.requests.message(CHANNEL, text))
        [reply] = await bot.slack.wait_for("chat.postMessage", timeout=SLOW)
        return block_text(reply.blocks)


async def test_a_paste_about_a_pod_failing_now_is_confirmed_with_the_fact_read(
    tmp_path: Path, admin: Api, shop: str, identities: Identities
) -> None:
    pod = wait_for(lambda: crash_looping(admin, shop), "payments crash-looping, two restarts")
    name = pod["metadata"]["name"]
    shown = await answer_to(tmp_path, identities, backoff_paste(shop, name))
    lines = shown.splitlines()
    assert "`crashloop-backoff`" in lines, shown
    assert "high confidence" in lines or "medium confidence" in lines, shown
    # what the pod shows now, and that it confirms the answer (a loop still going: no history)
    read = f"pod {shop}/{name} in cluster {CLUSTER}: "
    [said] = [line for line in lines if line.startswith(read)]
    assert "; it confirms crashloop-backoff" in said and "history" not in said, shown
    # the facts the cluster showed, each with where it was read
    where = f"(cluster {CLUSTER}: pod {shop}/{name})"
    facts = [line for line in lines if line.endswith(where)]
    # its back-off events, or its last run's log when the candidate reads it
    assert any("BackOff" in f or "could not connect to db:5432" in f for f in facts), shown


async def test_the_same_paste_about_a_pod_that_recovered_is_not_answered_high(
    tmp_path: Path, admin: Api, shop: str, identities: Identities
) -> None:
    pod = wait_for(lambda: recovered(admin, shop), "orders ready since its two failures")
    name = pod["metadata"]["name"]
    paste = backoff_paste(shop, name)
    alone = (
        await Diagnoser(matcher=shared_matcher(), readers=NoClusters()).paste(redact_paste(paste))
    ).diagnosis.answer
    assert alone is not None and (alone.match.id, alone.match.confidence) == (
        "crashloop-backoff",
        "high",
    )  # its words alone: a crash loop, high
    shown = await answer_to(tmp_path, identities, paste)
    lines = shown.splitlines()
    assert "`crashloop-backoff`" in lines and "medium confidence" in lines, shown
    assert "high confidence" not in shown, shown
    # what the pod shows now: running and ready since after its failures, which are history
    read = f"pod {shop}/{name} in cluster {CLUSTER}: "
    [said] = [line for line in lines if line.startswith(read)]
    assert f"; history: pod {name} is Running and ready since " in said, shown
    assert said.endswith(", after its failures were last seen"), shown
    assert "it confirms" not in shown, shown  # nothing current confirms a loop that is over
