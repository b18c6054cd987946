"""bench/opsbench_outputs.py: a Cloud-OpsBench case (hand-written here, in its shape) becomes
the files a person attaches, which the outputs reader reads; test cases are never written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import opsbench, opsbench_outputs
from bot.cluster.outputs import OutputsReader

PODS = (
    "NAME                           READY   STATUS    RESTARTS   AGE\n"
    "cartservice-79b49f5555-rl2kp   0/1     Pending   0          70s\n"
)
CALLS = {
    'GetResources:{"resource_type":"pods","name":"","namespace":"shop"}': PODS,
    'GetResources:{"resource_type":"nodes","name":"","namespace":"shop","output_wide":true}': "NAME     STATUS   ROLES    AGE   VERSION\nnode-a   Ready    <none>   9d    v1.31.2\n",
    'GetResources:{"resource_type":"services","name":"","namespace":"shop",'
    '"label_selector":"app=cart"}': "",
    'DescribeResource:{"resource_type":"services","name":"cart","namespace":"shop"}': 'Error from server (NotFound): services "cart" not found\n',
    'GetAppYAML:{"app_name":"cart"}': "apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n",
    'GetErrorLogs:{"namespace":"shop","service_name":"cart"}': {
        "patterns": [{"count": 3, "sample": "dial tcp 10.0.0.9:6379: connect: refused"}]
    },
    'CheckNodeServiceStatus:{"node_name":"node-a","service_name":"kubelet"}': "Service: kubelet\nNode: node-a\nStatus: ● kubelet.service - kubelet\n"
    "     Active: inactive (dead) since Mon 2026-03-02 11:00:00 UTC; 1h ago\n",
    "GetAlerts:{}": {"alerts": []},
    "collection_timestamp": "2026-03-02T12:00:00",
}


def test_each_tool_call_becomes_the_command_a_person_would_type() -> None:
    lines = [content.split("\n", 1)[0] for _, content in opsbench_outputs.case_files(CALLS)]
    assert lines == [
        "$ kubectl get pods -n shop",
        "$ kubectl get nodes -o wide",  # cluster-scoped: no -n
        "$ kubectl get services -n shop -l app=cart",
        "$ kubectl describe services cart -n shop",
        "$ kubectl get deployment,service cart -n shop -o yaml",
        "$ kubectl logs deploy/cart -n shop",
        "$ ssh node-a systemctl status kubelet",
        "$ amtool alert query -o json",  # the benchmark's alerts as Alertmanager lists them
    ]


async def test_the_reader_reads_what_the_converter_writes(tmp_path: Path) -> None:
    opsbench_outputs.write_case(CALLS, tmp_path)
    reader = OutputsReader(tmp_path)
    [pod] = await reader.list("pods", "shop")
    assert pod["status"]["phase"] == "Pending"
    assert (await reader.get("services", "cart", "shop"))["kind"] == "Service"
    assert (
        await reader.logs("shop", "cart-5d9f7-x", "server")
        == "dial tcp 10.0.0.9:6379: connect: refused"
    )
    [kubelet] = await reader.node_services()
    assert (kubelet["node"], kubelet["active"]) == ("node-a", "inactive")
    assert reader.skipped == [] and reader.alerts == []  # an empty listing: no alert fires


def _case(root: Path, name: str) -> None:
    folder = root / "benchmark" / name
    folder.mkdir(parents=True)
    (folder / "metadata.json").write_text(
        json.dumps(
            {"namespace": "shop", "result": {"fault_object": "service/cart", "root_cause": "x"}}
        )
    )
    (folder / "tool_cache.json").write_text(json.dumps(CALLS))


def test_outputs_writes_a_development_case_and_refuses_a_test_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _case(tmp_path, "service/1")  # dev half
    _case(tmp_path, "service/3")  # test half
    args = ["--data", str(tmp_path), "outputs"]
    assert opsbench.main([*args, "service/1", "--to", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").iterdir())) == 8
    with pytest.raises(SystemExit, match="not a development case"):
        opsbench.main([*args, "service/3", "--to", str(tmp_path / "test")])
    assert not (tmp_path / "test").exists()
    assert opsbench.main(["--data", str(tmp_path), "coverage", "--half", "dev"]) == 0
    report = capsys.readouterr().out
    assert "| kubectl describe services | 1 | 1 | 0 | 0 | 0 | 0 |" in report
    assert "failed kubectl sections: 0" in report
