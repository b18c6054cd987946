"""`kubemedic diagnose pod|namespace|node --from-outputs`: the same diagnosis as the cluster
the outputs were recorded from (the example dump's shop), through the one read seam."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.runner import kubemedic_in_process

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "outputs" / "shop"
DUMP = ROOT / "examples" / "dump"


def _json(*args: str) -> dict[str, Any]:
    result = kubemedic_in_process("diagnose", *args, "--json")
    assert result.code == 0, result.stderr
    body: dict[str, Any] = result.json()
    return body


def _pods(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(p["pod"], p["status"], p["cause"]) for p in body["pods"]]


def test_namespace_from_hand_written_outputs_matches_the_dump() -> None:
    from_outputs = _json("namespace", "shop", "--from-outputs", str(EXAMPLE))
    from_dump = _json("namespace", "shop", "--from-dump", str(DUMP))
    assert _pods(from_outputs) == _pods(from_dump)
    assert from_outputs["answer"] == from_dump["answer"] == "oom-killed"
    assert from_outputs["skipped"] == []


def test_pod_and_node_verbs_read_the_same_outputs() -> None:
    pod = _json("pod", "shop/checkout-t6ljkgdzfx-bzm4s", "--from-outputs", str(EXAMPLE))
    assert pod["answer"] == "oom-killed"
    assert any("OOMKilled" in fact for fact in pod["matches"][0]["evidence"])
    node = _json("node", "worker-3", "--from-outputs", str(EXAMPLE))
    assert node["answer"] == "node-disk-pressure"


def test_one_file_is_read_like_a_folder(tmp_path: Path) -> None:
    one = tmp_path / "ticket-4711.txt"
    one.write_text("\n".join(p.read_text() for p in sorted(EXAMPLE.iterdir())))
    assert _pods(_json("namespace", "shop", "--from-outputs", str(one))) == _pods(
        _json("namespace", "shop", "--from-dump", str(DUMP))
    )


def _yaml_outputs(to: Path) -> None:
    """The example dump as `kubectl get KIND [-n NS] -o yaml` and `kubectl logs` outputs,
    one file per namespace."""
    for folder in [DUMP, *sorted(p for p in DUMP.iterdir() if p.is_dir())]:
        scope = f" -n {folder.name}" if folder != DUMP else ""
        parts = [
            f"$ kubectl get {path.stem.replace('-', '')}{scope} -o yaml\n"
            + yaml.safe_dump(json.loads(path.read_text()), sort_keys=False)
            for path in sorted(folder.glob("*.json"))
        ]
        for logs in sorted(folder.glob("*/logs.txt")):
            for section in logs.read_text().split("==== START logs for container ")[1:]:
                container = section.split(" of pod ")[0]
                lines = section.splitlines()[1:-1]
                parts.append(
                    f"$ kubectl logs {logs.parent.name} -c {container}{scope}\n" + "\n".join(lines)
                )
        (to / f"{folder.name}.txt").write_text("\n\n".join(parts) + "\n")


def _without_gaps(pods: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The pod rows, each gap replaced by what could not be read (the readers word it apart)."""
    return [{**p, "gaps": [g.split(":")[0] for g in p.get("gaps", [])]} for p in pods or []]


@pytest.mark.parametrize(
    "verb", [("namespace", "shop"), ("pod", "shop/checkout-t6ljkgdzfx-bzm4s"), ("node", "worker-3")]
)
def test_the_dump_rendered_as_yaml_outputs_gives_the_same_matches(
    tmp_path: Path, verb: tuple[str, str]
) -> None:
    _yaml_outputs(tmp_path)
    from_outputs = _json(*verb, "--from-outputs", str(tmp_path))
    from_dump = _json(*verb, "--from-dump", str(DUMP))
    assert [(m["id"], m["confidence"]) for m in from_outputs["matches"]] == [
        (m["id"], m["confidence"]) for m in from_dump["matches"]
    ]
    assert _without_gaps(from_outputs.get("pods")) == _without_gaps(from_dump.get("pods"))


def test_only_one_source_of_cluster_state(tmp_path: Path) -> None:
    for other in (["--from-dump", str(DUMP)], ["--context", "prod"]):
        result = kubemedic_in_process(
            "diagnose", "namespace", "shop", "--from-outputs", str(EXAMPLE), *other
        )
        assert result.code == 2 and result.stderr.count("\n") == 1
        assert "cannot be used together" in result.stderr
