"""`kubemedic match [FILE|-] [--json] [--top N]` as the contract describes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import kubemedic, kubemedic_in_process

OOM = b"Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
RUN_AS_ROOT = (
    b"Warning  Failed  3s (x5 over 40s)  kubelet  Error: container has runAsNonRoot and image "
    b'will run as root (pod: "api-6f7c9d8b5-qwzrt_prod(2b1f0c3e-1111-2222-3333-444455556666)", container: api)'
)


def test_json_answer_has_the_contract_fields() -> None:
    result = kubemedic_in_process("match", "--json", stdin=OOM)
    assert result.code == 0
    body = result.json()
    top = body["matches"][0]
    assert top["id"] == "oom-killed"
    assert top["confidence"] == "high"
    assert 0 <= top["score"] <= 1
    assert top["title"] and top["links"]
    assert body["answer"] == "oom-killed"


def test_reads_a_file_and_renders_readable_text(tmp_path: Path) -> None:
    paste = tmp_path / "paste.txt"
    paste.write_bytes(RUN_AS_ROOT)
    result = kubemedic_in_process("match", str(paste))
    assert result.code == 0
    for part in (
        "run-as-non-root-image-root",
        "confidence: high",
        "why:",
        "Fix:",
        "runAsUser",
        "More with --verbose:",
    ):
        assert part in result.stdout, part
    assert "Root cause:" not in result.stdout and len(result.stdout.splitlines()) <= 15
    verbose = kubemedic_in_process("match", str(paste), "--verbose")
    for part in ("Root cause:", "Fix:", "Other fix steps:", "Links:", "Matched:"):
        assert part in verbose.stdout, part


def test_top_limits_the_number_of_matches() -> None:
    both = OOM + b"\n" + RUN_AS_ROOT
    ids = [
        m["id"]
        for m in kubemedic_in_process("match", "-", "--json", "--top", "2", stdin=both).json()[
            "matches"
        ]
    ]
    assert sorted(ids) == ["oom-killed", "run-as-non-root-image-root"]
    assert (
        len(kubemedic_in_process("match", "--json", "--top", "1", stdin=both).json()["matches"])
        == 1
    )


def test_chat_gets_no_answer() -> None:
    body = kubemedic_in_process("match", "--json", stdin=b"anyone up for lunch at noon?").json()
    assert body["answer"] is None
    assert all(m["confidence"] == "low" for m in body["matches"])
    text = kubemedic_in_process("match", stdin=b"anyone up for lunch at noon?").stdout
    assert "No confident match" in text


@pytest.mark.parametrize(
    ("args", "stdin", "reason"),
    [
        (["/no/such/file"], b"", "no such file"),
        (["/"], b"", "directory"),
        ([], b"", "empty"),
        ([], b"   \n\t\n", "empty"),
        (["--top", "0"], OOM, "--top"),
        (["--top", "many"], OOM, "--top"),
        ([], b"x" * (3 * 1024 * 1024), "at most"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], stdin: bytes, reason: str) -> None:
    result = kubemedic_in_process("match", *args, stdin=stdin)
    assert result.code == 2
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "paste",
    [
        b"\x00\x00OOMKilled\x00 exit code 137\x00",  # NUL bytes
        b"\xff\xfe\xfaReason: OOMKilled\xc3\x28 Exit Code: 137",  # invalid UTF-8
        b"Reason: OOMKilled " + b"y" * 500_000,  # a 500 KB single line
        (b"INFO all good here, nothing to see, request served in 12ms\n" * 17_000)[:1_000_000]
        + b"\n"
        + OOM,  # a 1 MB log with the error at the end
    ],
)
def test_hostile_pastes_still_get_a_clear_answer(paste: bytes) -> None:
    result = kubemedic_in_process("match", "--json", stdin=paste)
    assert result.code == 0, result.stderr
    assert result.json()["answer"] == "oom-killed"


def test_at_a_terminal_match_reads_the_paste_until_ctrl_d() -> None:
    from tests.cli.runner import kubemedic_at_terminal

    result = kubemedic_at_terminal("match", "--json", typed=OOM + b"\x04")
    assert result.code == 0, result.stderr
    assert "Ctrl-D" in result.stderr.splitlines()[0]
    assert result.json()["answer"] == "oom-killed"


def test_piped_input_over_the_limit_is_named_by_its_real_size() -> None:
    result = kubemedic("match", stdin=b"y" * (5 * 1024 * 1024))
    assert result.code == 2
    assert "input is 5 MiB" in result.stderr
    assert "at most 2 MiB" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
