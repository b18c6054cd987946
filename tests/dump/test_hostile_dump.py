"""Issue 51 item 8: `diagnose --from-dump` on a dump file no API server writes (JSON nested
100,000 deep, a number of 5,000 digits) prints a one-line refusal and exits 2, never a traceback;
such a file read only for evidence (events.json) becomes a named evidence gap."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.runner import kubemedic
from tests.dump.conftest import EXAMPLE

POD = "shop/checkout-t6ljkgdzfx-bzm4s"
DEEP = '{"kind": "PodList", "items": ' + "[" * 100_000 + "]" * 100_000 + "}"
LONG_NUMBER = (
    '{"kind": "PodList", "items": [], "metadata": {"resourceVersion": ' + "9" * 5000 + "}}"
)
YAML_DEEP = "items: " + "[" * 100_000 + "]" * 100_000 + "\n"
YAML_BOMB = (
    "".join(
        [
            f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9 if n else ["lol"] * 9) + "]\n"
            for n in range(9)
        ]
    )
    + "kind: PodList\nitems: *l8\n"
)
"""A billion laughs: 511 bytes that stand for 9**9 items when every alias is expanded."""
CASES = [
    ("pods.json", DEEP, "nested more than 64 levels deep"),
    ("pods.json", LONG_NUMBER, "holds a number of thousands of digits"),
    ("pods.yaml", YAML_DEEP, "nested more than 64 levels deep"),
]


def hostile(tmp_path: Path, name: str, content: str) -> Path:
    dump = tmp_path / "dump"
    shutil.copytree(EXAMPLE, dump)
    (dump / "shop" / "pods.json").unlink()
    (dump / "shop" / name).write_text(content)
    return dump


@pytest.mark.parametrize(
    ("name", "content", "words"), CASES, ids=["deep", "long-number", "deep-yaml"]
)
@pytest.mark.parametrize(
    "command", [("diagnose", "pod", POD), ("diagnose", "namespace", "shop")], ids=["pod", "ns"]
)
def test_a_hostile_object_file_is_refused_in_one_line(
    tmp_path: Path, command: tuple[str, ...], name: str, content: str, words: str
) -> None:
    dump = hostile(tmp_path, name, content)
    result = kubemedic(*command, "--from-dump", str(dump))
    assert result.code == 2 and result.stdout == "", (result.stdout, result.stderr)
    assert (
        result.stderr.count("\n") == 1
        and words in result.stderr
        and f"shop/{name}" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_a_hostile_events_file_is_an_evidence_gap(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    shutil.copytree(EXAMPLE, dump)
    (dump / "shop" / "events.json").write_text(DEEP)
    result = kubemedic("diagnose", "pod", POD, "--from-dump", str(dump), "--verbose")
    assert result.code == 0, result.stderr
    assert "oom-killed" in result.stdout  # the pod's own state still answers
    assert (
        "could not read events: " in result.stdout
        and "events.json is nested more than 64 levels deep" in result.stdout
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stdout


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    dump = hostile(tmp_path, "pods.yaml", YAML_BOMB)
    result = kubemedic("diagnose", "pod", POD, "--from-dump", str(dump))
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "shop/pods.yaml: its aliases expand it past 10 times its" in result.stderr
    assert "alias bomb" in result.stderr and "Traceback" not in result.stderr
