"""`kubemedic diagnose pod|namespace|node`, run by the function the console script calls
(tests/cli/test_in_process.py checks both give the same status and output)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.runner import Result, kubemedic_in_process
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig


@dataclass
class Cluster:
    standin: KubeStandIn
    kubeconfig: Path
    oom_pod: str

    def run(self, *args: str) -> Result:
        return kubemedic_in_process(
            *args, env={"KUBECONFIG": str(self.kubeconfig), "HOME": str(self.kubeconfig.parent)}
        )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    si = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(si)
    scenarios.healthy(si, namespace="store")
    scenarios.node_not_ready(si)
    with start_in_thread(si) as server:
        path = write_kubeconfig(
            tmp_path_factory.mktemp("kube") / "config",
            {"lab": server.url, "prod": "http://127.0.0.1:9"},
            current="lab",
        )
        yield Cluster(si, path, str(oom.pod))


def test_pod_json_contract(cluster: Cluster) -> None:
    result = cluster.run("diagnose", "pod", f"shop/{cluster.oom_pod}", "--json")
    assert result.code == 0, result.stderr
    body = result.json()
    top = body["matches"][0]
    assert body["answer"] == top["id"] == "oom-killed"
    assert top["confidence"] == "high" and top["confirmed"] is True
    assert any("OOMKilled (exit code 137)" in fact for fact in top["evidence"])
    assert body["cluster"] == "lab" and body["gaps"] == []
    assert {"id", "title", "score", "confidence", "links", "evidence"} <= set(top)


def test_pod_text_output(cluster: Cluster) -> None:
    result = cluster.run("diagnose", "pod", cluster.oom_pod, "-n", "shop")
    assert result.code == 0
    for part in ("Cluster: lab", "[oom-killed]", "Confirmed by:", "exit code 137", "Fix:"):
        assert part in result.stdout, part


def test_healthy_pod_says_no_problem(cluster: Cluster) -> None:
    pod = cluster.standin.objects("Pod", "store")[0]["metadata"]["name"]
    body = cluster.run("diagnose", "pod", f"store/{pod}", "--json").json()
    assert body["matches"] == [] and body["answer"] is None
    assert body["notes"][0].startswith("no problem found")
    assert "no problem found" in cluster.run("diagnose", "pod", f"store/{pod}").stdout


BAD_NAMES = {
    "uppercase": ("Shop/Checkout", "must be lowercase"),
    "traversal": ("../x", "must not contain '/' or '..'"),
    "shell": ("shop/a;rm -rf /", "expected NAMESPACE/NAME"),
    "too-long": ("shop/" + "a" * 300, "at most 253 characters"),
    "unicode": ("shop/caf\u00e9", "plain ASCII"),
}


@pytest.mark.parametrize(("ref", "why"), BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_bad_names_exit_2_without_any_request(cluster: Cluster, ref: str, why: str) -> None:
    before = len(cluster.standin.requests)
    result = cluster.run("diagnose", "pod", ref)
    assert result.code == 2
    assert why in result.stderr and result.stderr.count("\n") == 1
    assert len(cluster.standin.requests) == before  # refused before the API server was asked


def test_bad_namespace_and_node_names(cluster: Cluster) -> None:
    before = len(cluster.standin.requests)
    assert cluster.run("diagnose", "namespace", "Prod").code == 2
    assert cluster.run("diagnose", "node", "worker_1").code == 2
    assert len(cluster.standin.requests) == before


def test_missing_pod_exits_1(cluster: Cluster) -> None:
    result = cluster.run("diagnose", "pod", "shop/nope")
    assert result.code == 1
    assert result.stderr == "kubemedic: pod shop/nope not found in cluster lab\n"


def test_unknown_context_exits_2(cluster: Cluster) -> None:
    result = cluster.run("diagnose", "pod", f"shop/{cluster.oom_pod}", "--context", "staging")
    assert result.code == 2
    assert "unknown context 'staging'" in result.stderr and "known: lab, prod" in result.stderr


def test_context_selects_the_cluster(cluster: Cluster) -> None:
    # --context prod points at a closed port: the cluster is unreadable, exit 1, one line
    result = cluster.run("diagnose", "pod", f"shop/{cluster.oom_pod}", "--context", "prod")
    assert result.code == 1
    assert "in cluster prod" in result.stderr and "Traceback" not in result.stderr


def test_no_kubeconfig_at_all(tmp_path: Path) -> None:
    env = {"KUBECONFIG": "", "HOME": str(tmp_path), "KUBERNETES_SERVICE_HOST": ""}
    result = kubemedic_in_process("diagnose", "pod", "shop/web-0", env=env)
    assert result.code == 1
    assert "no cluster configuration" in result.stderr


def test_namespace_verb(cluster: Cluster) -> None:
    body = cluster.run("diagnose", "namespace", "shop", "--json").json()
    assert body["pods"][0]["pod"] == f"shop/{cluster.oom_pod}"
    assert body["pods"][0]["cause"] == "oom-killed" and body["pods"][0]["evidence"]
    assert body["answer"] == "oom-killed" and body["counts"] == {"CrashLoopBackOff": 1}
    text = cluster.run("diagnose", "namespace", "shop").stdout
    assert "CrashLoopBackOff" in text and "oom-killed (high)" in text


def test_node_verb(cluster: Cluster) -> None:
    body = cluster.run("diagnose", "node", "worker-3", "--json").json()
    assert body["answer"] == "node-not-ready"
    assert any("Ready=Unknown" in fact for fact in body["matches"][0]["evidence"])
    missing = cluster.run("diagnose", "node", "worker-99")
    assert missing.code == 1 and "node worker-99 not found in cluster lab" in missing.stderr


def test_from_dump_needs_a_directory(tmp_path: Path) -> None:
    result = kubemedic_in_process(
        "diagnose", "pod", "shop/web-0", "--from-dump", str(tmp_path / "nope")
    )
    assert result.code == 2 and "is not a directory" in result.stderr
