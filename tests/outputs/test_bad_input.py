"""Bad recordings: one line naming the file (exit 2) when nothing can be read, else the bad
part skipped and listed with its file and line; never a traceback or a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cluster.outputs import OutputsReader, files
from bot.errors import BadInput
from tests.cli.runner import kubemedic_in_process
from tests.outputs.conftest import Record

PODS = """$ kubectl get pods -n shop
NAME    READY   STATUS    RESTARTS   AGE
web-1   1/1     Running   0          5m
"""


def _diagnose(path: Path) -> tuple[int, str]:
    result = kubemedic_in_process("diagnose", "namespace", "shop", "--from-outputs", str(path))
    return result.code, result.stderr


def test_a_missing_path_is_one_line_exit_2(tmp_path: Path) -> None:
    code, stderr = _diagnose(tmp_path / "nope")
    assert code == 2 and stderr.count("\n") == 1
    assert f"{tmp_path / 'nope'}: no such file or directory" in stderr


def test_a_binary_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "01-pods.txt").write_text(PODS)
    (tmp_path / "screenshot.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, stderr = _diagnose(tmp_path)
    assert code == 2 and stderr.count("\n") == 1
    assert f"{tmp_path / 'screenshot.png'}: a binary file" in stderr


def test_text_with_no_output_in_it_is_refused_naming_where(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Incident 4711\n\nCheckout is slow since 10:00.\n")
    code, stderr = _diagnose(tmp_path)
    assert code == 2 and stderr.count("\n") == 1
    assert f"{tmp_path / 'notes.md'}:1: no recorded kubectl output" in stderr


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no recorded kubectl output in it"):
        OutputsReader(tmp_path)


def test_over_the_size_cap_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.log"
    with big.open("wb") as f:  # sparse: the size is checked before anything is read
        f.truncate(files.MAX_TOTAL_BYTES + 1)
    with pytest.raises(BadInput, match=f"{big}: the outputs exceed 64 MiB"):
        OutputsReader(tmp_path)


def test_too_many_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_FILES", 3)
    for i in range(4):
        (tmp_path / f"{i}.txt").write_text(PODS)
    with pytest.raises(BadInput, match="holds more than 3 files"):
        OutputsReader(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    secret = tmp_path / "pods.txt"
    secret.write_text(PODS)
    secret.chmod(0)
    code, stderr = _diagnose(tmp_path)
    assert code == 2 and stderr.count("\n") == 1 and str(secret) in stderr


BROKEN = [
    # an unclosed flow mapping: broken YAML, with its line
    (
        "$ kubectl get svc web -n shop -o yaml\napiVersion: v1\nkind: Service\nmetadata: {name: web\n",
        "broken YAML at line",
    ),
    # JSON cut off
    (
        '$ kubectl get svc -n shop -o json\n{"apiVersion": "v1", "kind": "List", "items": [\n',
        "broken JSON at line",
    ),
    # a billion laughs: aliases that expand exponentially
    (
        "$ kubectl get cm -n shop -o yaml\n"
        + "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
            for i in range(8)
        ),
        "expands past",
    ),
    # nested past any Kubernetes object
    ("$ kubectl get svc -n shop -o json\n" + "[" * 200 + "]" * 200 + "\n", "nests more than"),
    # a kind kubectl does not have
    (
        "$ kubectl get frobnicators -n shop\nNAME   AGE\nx      5m\n",
        "unknown resource frobnicators",
    ),
    # an output format kubemedic does not read
    (
        "$ kubectl get pods -n shop -o jsonpath='{.items[*].metadata.name}'\nweb-1 web-2\n",
        "-o jsonpath output is not read",
    ),
]


@pytest.mark.parametrize(("text", "why"), BROKEN, ids=[b[1] for b in BROKEN])
async def test_a_broken_section_is_listed_and_the_rest_is_read(
    record: Record, text: str, why: str
) -> None:
    reader = record(PODS, text)
    assert [p["metadata"]["name"] for p in await reader.list("pods", "shop")] == ["web-1"]
    [skipped] = reader.skipped
    assert skipped.file.endswith("02.txt") and skipped.line == 1 and why in skipped.why
    assert "\n" not in skipped.why


def test_the_cli_lists_what_it_skipped_in_one_line_and_in_json(tmp_path: Path) -> None:
    (tmp_path / "01.txt").write_text(PODS + "\n$ curl -s http://web/healthz\nok\n")
    result = kubemedic_in_process(
        "diagnose", "namespace", "shop", "--json", "--from-outputs", str(tmp_path)
    )
    assert result.code == 0
    assert result.stderr.strip() == (
        f"kubemedic: skipped 1 part(s) of the recorded outputs (--json says why): "
        f"{tmp_path / '01.txt'}:5"
    )
    assert result.json()["skipped"] == [
        {
            "file": str(tmp_path / "01.txt"),
            "line": 5,
            "command": "curl -s http://web/healthz",
            "why": "not a command kubemedic reads",
        }
    ]


async def test_a_describe_nested_past_the_recursion_limit_is_read(record: Record) -> None:
    deep = "".join(" " * (i + 1) + f"k{i}=v\n" for i in range(1500))
    reader = record(
        "$ kubectl describe pod web-1 -n shop\nName: web-1\nNamespace: shop\n"
        f"Labels: app=web\n{deep}Status: Running\n"
    )
    pod = await reader.get("pods", "web-1", "shop")
    assert pod["metadata"]["labels"]["k1499"] == "v"
