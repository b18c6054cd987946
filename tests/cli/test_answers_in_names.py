"""Answers in the reader's names: real pod, namespace, node and container in the fix commands,
the dump folder as the cluster, no "(STATUS column)", counts that agree with what is shown."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.runner import kubemedic_in_process

ROOT = Path(__file__).resolve().parents[2]
DUMP = "examples/dump"
PLACEHOLDER = re.compile(r"<(?:pod|pod-name|namespace|ns|node|node-name|container|container-name)>")


def _fix_commands(diagnosis_json: dict[str, object]) -> list[str]:
    [first, *_] = diagnosis_json["matches"]  # type: ignore[index]
    return [step["command"] for step in first["fix"] if step.get("command")]  # type: ignore[index]


def test_a_dump_pod_answer_names_its_pod_namespace_node_and_container() -> None:
    frontend = kubemedic_in_process(
        "diagnose",
        "pod",
        "shop/frontend-pqgxt7pwvd-ngbgr",
        "--from-dump",
        DUMP,
        "--verbose",
        cwd=ROOT,
    )
    assert frontend.code == 0, frontend.stderr
    assert frontend.stdout.startswith(f"Cluster: {DUMP}\n")  # the folder as given, not "dump:dump"
    assert "kubectl get pod frontend-pqgxt7pwvd-ngbgr -n shop -o jsonpath" in frontend.stdout
    # the Deployment above the pod's ReplicaSet, the failing container and its image's registry and
    # repository; the tag to use instead stays a placeholder
    assert (
        "kubectl set image deployment/frontend frontend=registry.example.com/shop/frontend:<existing-tag> -n shop"
        in frontend.stdout
    )
    evicted = kubemedic_in_process(
        "diagnose", "pod", "shop/reports-jqw86dv22t-d6nkh", "--from-dump", DUMP, "--json", cwd=ROOT
    )
    commands = _fix_commands(evicted.json())
    assert "kubectl describe node worker-3 | grep -A8 Conditions" in commands
    assert not any(PLACEHOLDER.search(command) for command in commands), commands


def test_a_pasted_describe_fills_the_pod_and_namespace_it_shows() -> None:
    result = kubemedic_in_process(
        "match", "examples/pastes/oom-killed-describe.txt", "--json", cwd=ROOT
    )
    commands = _fix_commands(result.json())
    assert "kubectl top pod checkout-t6ljkgdzfx-bzm4s -n shop --containers" in commands
    assert not any(PLACEHOLDER.search(command) for command in commands), commands


def test_unknown_or_unsafe_names_keep_their_placeholders() -> None:
    # a `get pods` row without -A has no namespace; a bare log has no pod at all
    row = b"NAME                         READY   STATUS      RESTARTS   AGE\nweb-7d9f8c6b5-x2x7k   0/1     OOMKilled   4          3m\n"
    commands = _fix_commands(kubemedic_in_process("match", "--json", stdin=row).json())
    assert any("web-7d9f8c6b5-x2x7k -n <namespace>" in command for command in commands), commands
    hostile = b"Name: x;rm -rf ~\nNamespace: $(id)\nLast State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n"
    commands = _fix_commands(kubemedic_in_process("match", "--json", stdin=hostile).json())
    assert not any("rm -rf" in command or "$(id)" in command for command in commands), commands


def test_a_pasted_row_names_no_made_up_container() -> None:
    row = (
        b"NAME                              READY   STATUS             RESTARTS   AGE\n"
        b"orders-api-7d9f8c6b5-x2x7k        0/1     CrashLoopBackOff   12         40m\n"
    )
    result = kubemedic_in_process("match", stdin=row)
    assert "(STATUS column)" not in result.stdout
    assert "the pod's container is waiting with reason CrashLoopBackOff" in result.stdout


def test_the_namespace_counts_agree_with_what_is_shown() -> None:
    result = kubemedic_in_process("diagnose", "namespace", "shop", "--from-dump", DUMP, cwd=ROOT)
    assert result.code == 0, result.stderr
    table = [line for line in result.stdout.splitlines() if line.startswith("shop/")]
    assert (
        "5 of 7 pods in namespace shop are unhealthy, each listed below with its likely cause"
        in result.stdout
    )
    assert len(table) == 5
    assert "diagnosed in depth, worst first" not in result.stdout  # "5 diagnosed" followed by one
    assert "In full: the cause of shop/checkout-t6ljkgdzfx-bzm4s\n" in result.stdout
    assert table[0].startswith("shop/checkout-t6ljkgdzfx-bzm4s ")
    limited = kubemedic_in_process(
        "diagnose", "namespace", "shop", "--from-dump", DUMP, "--max-pods", "2", cwd=ROOT
    )
    assert "the first 2 with their likely cause, the other 3 by status only" in limited.stdout
    assert [
        line.endswith("(not diagnosed in depth)")
        for line in limited.stdout.splitlines()
        if line.startswith("shop/")
    ] == [False, False, True, True, True]
