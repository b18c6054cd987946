"""bench/opsbench.py builds an engineer's paste from a Cloud-OpsBench case and scores it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import opsbench

DESCRIBE = """Name:             cartservice-79b49f5555-rl2kp
Namespace:        boutique
Status:           Pending
Containers:
  server:
    Image:          registry.example.com/cartservice:v1
    State:          Waiting
      Reason:       Pending
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  72s   default-scheduler  0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) had untolerated taint {critical: true}. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.
"""


def write_case(root: Path, name: str, root_cause: str) -> None:
    folder = root / "benchmark" / name
    folder.mkdir(parents=True)
    (folder / "metadata.json").write_text(
        json.dumps(
            {
                "namespace": "boutique",
                "result": {"fault_object": "service/cartservice", "root_cause": root_cause},
                "process": {
                    "path1": [
                        "GetResources::pods",
                        "DescribeResource::pods::cartservice",
                        "GetAlerts::",
                    ]
                },
            }
        )
    )
    pods = "NAME                           READY   STATUS    RESTARTS   AGE\ncartservice-79b49f5555-rl2kp   0/1     Pending   0          70s\n"
    (folder / "tool_cache.json").write_text(
        json.dumps(
            {
                'GetResources:{"resource_type":"pods","name":"","namespace":"boutique"}': pods,
                'DescribeResource:{"resource_type":"pods","name":"cartservice-79b49f5555-rl2kp","namespace":"boutique"}': DESCRIBE,
                'DescribeResource:{"resource_type":"pods","name":"checkoutservice-7545f6f597-x2v9q","namespace":"boutique"}': "Name: other\n",
                "GetAlerts:{}": {"alerts": []},
            }
        )
    )


@pytest.mark.parametrize("mode", ["describe", "expert"])
def test_a_case_becomes_a_paste_of_its_pods_and_is_scored(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_case(tmp_path, "scheduling/7", "taint_toleration_mismatch")
    case = opsbench.load_cases(tmp_path)[0]
    paste = opsbench.PASTES[mode](case)
    assert "cartservice-79b49f5555-rl2kp   0/1     Pending" in paste and "FailedScheduling" in paste
    assert (
        "Name: other" not in paste and "alerts" not in paste
    )  # another app's pod, a tool's own JSON
    assert opsbench.main([mode, "--data", str(tmp_path)]) == 0
    report = capsys.readouterr().out
    assert "| scheduling | 1 | 1 (1.00) |" in report


def test_an_unknown_root_cause_is_named(tmp_path: Path) -> None:
    write_case(tmp_path, "scheduling/7", "cosmic_rays")
    with pytest.raises(SystemExit, match="cosmic_rays"):
        opsbench.main(["describe", "--data", str(tmp_path)])
