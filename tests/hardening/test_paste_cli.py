"""Hostile pastes through `kubemedic match` (issue 7, "Bad input").

Already covered in tests/cli/test_match_cli.py: empty and whitespace-only
stdin, a 3 MB stdin, NUL bytes, invalid UTF-8, a 500 KB single line and a
1 MB log.  Here: what is left — a 10 MB file, invisible and bidi characters,
10,000-level nested JSON, regex-backtracking bait and 10,000 copies of one
line.  Each must end (generous subprocess timeout, not a speed assertion)
with exit 0 or 2 and no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import Result, kubemedic

TIMEOUT = 20.0
OOM_LINE = "Last State: Terminated Reason: OOMKilled Exit Code: 137"


def match(stdin: bytes, *args: str) -> Result:
    result = kubemedic("match", "--json", *args, stdin=stdin, timeout=TIMEOUT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_a_10_mb_file_is_refused_with_its_size(tmp_path: Path) -> None:
    paste = tmp_path / "huge.log"
    paste.write_bytes(b"E0514 08:27:51 kubelet error\n" * 370_000)  # ~10.7 MB
    result = kubemedic("match", str(paste), timeout=TIMEOUT)
    assert result.code == 2
    assert (
        result.stderr.startswith("kubemedic: input is 10.2 MiB")
        and "at most 2 MiB" in result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_zero_width_and_bidi_characters_do_not_hide_the_error() -> None:
    zwsp, rlo, lrm = "\u200b", "\u202e", "\u200e"
    hidden = (
        f"Last State:{zwsp} Terminated\n  Reason: OOM{zwsp}Kill{zwsp}ed{rlo}\n"
        f"  Exit{lrm} Code: 1{zwsp}37\ufeff\n"
    )
    result = match(hidden.encode())
    assert result.code == 0
    assert result.json()["answer"] == "oom-killed"


def test_right_to_left_text_around_an_error_still_matches() -> None:
    arabic = (
        "\u0641\u0634\u0644 \u0627\u0644\u062d\u0627\u0648\u064a\u0629"  # "the container failed"
    )
    paste = f"\u202b{arabic}\u202c\n{OOM_LINE}\n\u2067{arabic}\u2069\n"
    assert match(paste.encode()).json()["answer"] == "oom-killed"


@pytest.mark.parametrize(
    "paste",
    [
        b"[" * 10_000 + b"]" * 10_000,  # deeply nested JSON
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        b"a" * 50_000 + b"!",  # classic (a+)+$ bait
        b" " * 200_000 + b"x",  # a long run of spaces
        b":" * 200_000,  # a long run of colons
        b"Error: " * 60_000,  # repeated prefix, no newline
        b"\\n" * 200_000,  # escaped newlines (the JSON-log unescaping path)
        b"<@U" + b"A" * 100_000,  # an unclosed Slack mention
        b"<https://" + b"x" * 100_000 + b"|",  # an unclosed Slack link
        b"0" * 300_000,  # one enormous number
        b"1.2.3.4." * 60_000,  # IP-address bait
        b"&amp;" * 100_000,  # entities
        b"\\" * 200_000,  # a backslash run: cubic to unescape before issue 76
        b'\\"' * 100_000,  # escaped quotes
    ],
    ids=[
        "nested-lists",
        "nested-objects",
        "a-run",
        "spaces",
        "colons",
        "error-prefix",
        "escaped-newlines",
        "open-mention",
        "open-link",
        "digits",
        "dotted",
        "entities",
        "backslashes",
        "escaped-quotes",
    ],
)
def test_backtracking_bait_ends_quietly(paste: bytes) -> None:
    result = match(paste)
    assert result.code == 0, result.stderr
    assert result.json()["answer"] is None


def test_nested_json_around_an_error_still_matches() -> None:
    paste = b"[" * 10_000 + b'"' + OOM_LINE.encode() + b'"' + b"]" * 10_000
    assert match(paste).json()["answer"] == "oom-killed"


def test_ten_thousand_copies_of_one_line_are_one_answer() -> None:
    line = b"Warning  BackOff  kubelet  Back-off restarting failed container app in pod web-0\n"
    result = match(line * 10_000)
    assert result.code == 0
    body = result.json()
    assert body["answer"] == "crashloop-backoff"
    assert len(body["matches"]) <= 3


def test_a_backslash_run_before_the_error_still_gets_the_answer() -> None:
    """Issue 76: 20,000 backslashes were minutes of CPU to unescape; now the error after them is read."""
    assert match(b"\\" * 20_000 + b"\n" + OOM_LINE.encode()).json()["answer"] == "oom-killed"


def test_a_paste_past_its_cpu_budget_is_refused_in_one_line_with_exit_2() -> None:
    """KUBEMEDIC_TEXT_CPU_SECONDS bounds what reading one paste may cost: past it, one line."""
    paste = b"".join(b"E0514 08:27:51 kubelet error syncing pod web-%d\n" % n for n in range(5_000))
    result = kubemedic(
        "match", stdin=paste, timeout=TIMEOUT, env={"KUBEMEDIC_TEXT_CPU_SECONDS": "0.001"}
    )
    assert result.code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("kubemedic: too costly to read: ")
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""
