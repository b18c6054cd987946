"""Partial and hostile folders of recorded outputs: an answer from what is there, or one line.

Each case here crashed or was refused before (issue 66): an events table without its command
line, a folder with no `kubectl get pods`, 1,500 nested folders, a file name carrying a terminal
escape sequence, a table too large to keep whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cluster.outputs import OutputsReader, recording, sections
from tests.cli.runner import kubemedic_in_process

EVENTS = """LAST SEEN   TYPE      REASON    OBJECT            MESSAGE
2m          Warning   BackOff   pod/web-7d4b9-a   Back-off restarting failed container app
"""
PODS = """$ kubectl get pods -n shop
NAME          READY   STATUS             RESTARTS   AGE
web-7d4b9-a   0/1     CrashLoopBackOff   6          10m
"""


def _diagnose(path: Path, *args: str) -> tuple[int, str, str]:
    result = kubemedic_in_process(
        "diagnose", "namespace", "shop", "--from-outputs", str(path), *args
    )
    return result.code, result.stdout, result.stderr


async def test_an_events_table_without_its_command_line_is_read(tmp_path: Path) -> None:
    (tmp_path / "01.txt").write_text(PODS)
    (tmp_path / "02-events.txt").write_text(EVENTS)
    reader = OutputsReader(tmp_path)
    [event] = await reader.list("events", "shop")
    assert event["reason"] == "BackOff" and event["involvedObject"]["name"] == "web-7d4b9-a"
    assert reader.skipped == []


def test_a_pods_and_events_listing_in_one_command_is_read(tmp_path: Path) -> None:
    (tmp_path / "01.txt").write_text(
        "$ kubectl get pods,events -n shop\n"
        "NAME              READY   STATUS             RESTARTS   AGE\n"
        "pod/web-7d4b9-a   0/1     CrashLoopBackOff   6          10m\n\n" + EVENTS
    )
    code, stdout, stderr = _diagnose(tmp_path)
    assert code == 0 and "Traceback" not in stderr
    assert "crashloop-backoff" in stdout


def test_a_folder_without_get_pods_is_answered_and_says_what_was_not_seen(
    tmp_path: Path,
) -> None:
    (tmp_path / "events.txt").write_text("$ kubectl get events -n shop\n" + EVENTS)
    code, stdout, stderr = _diagnose(tmp_path)
    assert code == 0, stderr
    assert "the pods of namespace shop were not seen" in stdout
    assert "`kubectl get pods -n shop`" in stdout
    assert "no pods in namespace shop" not in stdout


def test_fifteen_hundred_nested_folders_are_read(tmp_path: Path) -> None:
    deep = str(tmp_path)
    for _ in range(1500):  # one by one: pathlib's and os.makedirs' own recursion would overflow
        deep += "/d"
        os.mkdir(deep)
    with open(deep + "/pods.txt", "w") as f:
        f.write(PODS)
    try:
        code, stdout, stderr = _diagnose(tmp_path)
    finally:  # bottom up, one by one: pytest's own clean-up of old runs would overflow on it
        os.remove(deep + "/pods.txt")
        while deep != str(tmp_path):
            os.rmdir(deep)
            deep = deep.rsplit("/", 1)[0]
    assert code == 0 and "Traceback" not in stderr
    assert "web-7d4b9-a" in stdout


def test_a_file_name_with_an_escape_sequence_never_reaches_the_terminal_raw(
    tmp_path: Path,
) -> None:
    (tmp_path / "01.txt").write_text(PODS)
    (tmp_path / "notes\x1b]0;owned\x07\x1b[31m.txt").write_text("$ curl -s http://web\nok\n")
    code, _, stderr = _diagnose(tmp_path)
    assert code == 0
    assert "skipped 1 part(s)" in stderr and "\x1b" not in stderr and "\x07" not in stderr


def test_text_that_is_no_output_names_the_file_without_its_escape_sequences(
    tmp_path: Path,
) -> None:
    (tmp_path / "x\x1b[2Jy.txt").write_text("just words\n")
    code, _, stderr = _diagnose(tmp_path)
    assert code == 2 and stderr.count("\n") == 1 and "\x1b" not in stderr


async def test_a_table_too_large_to_keep_is_read_in_part_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sections, "MAX_SECTION_COST", 100 * (sections.LINE_COST + 60))
    monkeypatch.setattr(recording, "MAX_OBJECTS", 50)
    rows = "".join(f"web-7d4b9-{i:05d}   1/1     Running   0          10m\n" for i in range(300))
    (tmp_path / "pods.txt").write_text(
        "$ kubectl get pods -n shop\nNAME              READY   STATUS    RESTARTS   AGE\n" + rows
    )
    reader = OutputsReader(tmp_path)
    assert len(await reader.list("pods", "shop")) == 50
    whys = [s.why for s in reader.skipped]
    assert any("its last" in why and "lines were not read" in why for why in whys)
    assert any("only the first 50 pods were kept" in why for why in whys)


async def test_a_listing_read_in_part_never_says_an_object_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cluster.errors import NotFound, NotRecorded

    monkeypatch.setattr(recording, "MAX_OBJECTS", 2)
    (tmp_path / "pods.txt").write_text(
        PODS + "web-7d4b9-b   1/1     Running   0   10m\nweb-7d4b9-c   1/1     Running   0   10m\n"
    )
    reader = OutputsReader(tmp_path)
    with pytest.raises(NotRecorded) as unseen:
        await reader.get("pods", "web-7d4b9-c", "shop")
    assert not isinstance(unseen.value, NotFound)


@pytest.mark.parametrize("source", ["--from-dump", "--from-outputs"])
def test_diagnose_service_with_a_failing_pod_behind_it_answers(source: str) -> None:
    """A pod behind the Service with a finding of its own once raised `unhashable type`."""
    where = "examples/dump" if source == "--from-dump" else "examples/outputs/shop"
    root = Path(__file__).parents[2]
    result = kubemedic_in_process(
        "diagnose", "service", "shop/checkout", source, str(root / where), "--json"
    )
    assert result.code == 0, result.stderr
    body = result.json()
    assert body["suspects"][0]["object"] == "service/checkout"
    assert body["suspects"][0]["id"] == "oom-killed"
    assert [m["id"] for m in body["matches"]][:1] == ["oom-killed"]
