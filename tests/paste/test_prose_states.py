"""A sentence that retells a `kubectl get` status is read as that row (bot.diagnosis.paste_prose)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize(
    ("sentence", "answer", "named"),
    [
        ("The PVC csi-zfspv1 is created but stays in PENDING state.", "pvc-pending", "csi-zfspv1"),
        (
            "StorageClass gets created successfully but PVC shows `STATUS as Pending`.",
            "pvc-pending",
            None,
        ),
        ("When I reboot the worker node, it stays in `NotReady` state.", "node-not-ready", None),
        ("one agent node became not ready after installing the chart", "node-not-ready", None),
        ("Pods are crashlooping after some days.", "crashloop-backoff", None),
        (
            "Important system pods are getting evicted, only resetting the cluster helps:",
            "pod-evicted",
            None,
        ),
    ],
)
def test_a_status_told_in_words_is_the_row_it_retells(
    sentence: str, answer: str, named: str | None
) -> None:
    body = match_json(sentence + "\n")
    assert body["answer"] == answer
    evidence = body["matches"][0]["evidence"]
    assert evidence and "pasted sentence" in evidence[0]
    if named:
        assert named in evidence[0]


def test_an_init_container_s_back_off_told_in_words_is_the_init_container_s() -> None:
    body = match_json("my pod remains in Init:CrashLoopBackOff after the upgrade\n")
    assert body["answer"] == "init-container-failed"


@pytest.mark.parametrize(
    "sentence",
    [
        "If a node becomes NotReady, the pods on it are evicted after five minutes.",
        "The PVC was Pending for a minute but now it is Bound.",
        "The node is no longer NotReady after I restarted containerd.",
        "Should the claim stay pending until a consumer is scheduled?",
        "My pod is stuck in Pending.",  # a pod's Pending alone names no cause, as its row does not
        "The cluster can be used locally without pods getting evicted.",
    ],
)
def test_a_sentence_that_reports_no_current_failure_is_not_read(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] is None


def test_a_line_a_component_printed_is_read_by_its_grammar_not_as_a_sentence() -> None:
    # the scheduler's clause "2 node(s) were not ready" is about the nodes it skipped, not a node
    # the user watched go NotReady: the clauses decide, the volume clause leads by its count
    message = (
        "0/5 nodes are available: 2 node(s) were not ready, "
        "3 node(s) didn't find available persistent volumes to bind.\n"
    )
    assert match_json(message)["answer"] == "pending-no-persistent-volume"


def test_a_log_line_is_not_a_sentence() -> None:
    # the eviction manager's own line: what it says is read by the entries' patterns, never as a
    # user's account of a pod (it once put the evicted pod above the disk pressure behind it)
    line = (
        "Mar 17 12:44:46 minikube kubelet[2278]: I0317 12:44:46.988062    2278 eviction_manager.go:566] "
        "eviction manager: pod web-1_default(b63b1ee0) is evicted successfully\n"
    )
    body = match_json(line)
    assert all("pasted sentence" not in e for m in body["matches"] for e in m["evidence"])


@pytest.mark.parametrize(
    ("sentence", "answer"),
    [
        ("部署完成后，worker 的状态一直为 NotReady", "node-not-ready"),
        ("按照文档安装后，节点经常notReady，请问怎么解决？", "node-not-ready"),
        ("创建的 pvc 一直处于 Pending 状态", "pvc-pending"),
        ("升级之后 pod 一直是 CrashLoopBackOff", "crashloop-backoff"),
    ],
)
def test_a_status_told_in_chinese_is_the_row_it_retells(sentence: str, answer: str) -> None:
    # no space marks a Chinese word; the status words stay Kubernetes' own
    body = match_json(sentence + "\n")
    assert body["answer"] == answer
    assert "pasted sentence" in body["matches"][0]["evidence"][0]


@pytest.mark.parametrize(
    "sentence",
    [
        "重启 containerd 之后节点不再 NotReady 了",
        "如果节点变成 NotReady，上面的 pod 会被驱逐",
    ],
)
def test_a_chinese_sentence_that_reports_no_current_failure_is_not_read(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] is None
