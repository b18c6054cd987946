"""Issue 24 (LOW): `kubemedic summarize` of a hostile export ends with one line or a clean
summary: a zip that inflates past the total cap, a symlink to /dev/zero, a FIFO named like a
day file (the read blocked forever), and terminal escape sequences in users.json. Issue 51: one
day file that inflates to 150 MB, JSON nested 100,000 deep, a number of 5,000 digits."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from bot.summary.export_tree import MAX_TOTAL_BYTES
from tests.cli.runner import kubemedic
from tests.waiting import PATIENCE

EXPORT = Path(__file__).resolve().parents[2] / "examples" / "slack-export"
CHANNEL = "inc-142-checkout-502"
CHUNK = b" " * (1024 * 1024)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "export"
    shutil.copytree(EXPORT, target)
    return target


def _refused_in_one_line(result_code: int, stdout: str, stderr: str, words: str) -> None:
    assert result_code == 2 and stdout == "", stderr
    assert stderr.count("\n") == 1 and words in stderr and "Traceback" not in stderr, stderr


def test_a_zip_that_inflates_past_the_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    members = MAX_TOTAL_BYTES // (len(CHUNK) * 100) + 1  # 100 MB of valid JSON (whitespace) each
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.write(EXPORT / "channels.json", "channels.json")
        for day in range(members):
            with archive.open(
                f"{CHANNEL}/2024-06-{day + 1:02d}.json", "w", force_zip64=True
            ) as member:
                member.write(b"[")
                for _ in range(100):
                    member.write(CHUNK)
                member.write(b"]")
    assert bomb.stat().st_size < 5 * 1024 * 1024
    result = kubemedic("summarize", str(bomb), "--channel", CHANNEL)
    _refused_in_one_line(
        result.code,
        result.stdout,
        result.stderr,
        "decompresses to more",
    )


def test_a_symlink_in_the_export_is_refused(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    (export / "users.json").unlink()
    (export / "users.json").symlink_to("/dev/zero")
    result = kubemedic("summarize", str(export), "--channel", CHANNEL)
    _refused_in_one_line(result.code, result.stdout, result.stderr, "symbolic link")


def test_a_fifo_named_like_a_day_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    os.mkfifo(export / CHANNEL / "2024-05-16.json")
    result = kubemedic("summarize", str(export), "--channel", CHANNEL)
    _refused_in_one_line(result.code, result.stdout, result.stderr, "not a regular file")


def test_escape_sequences_in_user_names_are_not_printed(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    users = json.loads((export / "users.json").read_text())
    for user in users:
        user["real_name"] = (
            "\x1b]0;pwned\x07\x1b[2J\x1b[31m" + str(user.get("real_name")) + "\u202e\x9b"
        )
        user.setdefault("profile", {})["display_name"] = "\x1b[1mboss\r"
    (export / "users.json").write_text(json.dumps(users))
    for extra in ((), ("--markdown",)):
        result = kubemedic("summarize", str(export), "--channel", CHANNEL, *extra)
        assert result.code == 0, result.stderr
        printed = result.stdout + result.stderr
        assert not [ch for ch in printed if ch in "\x1b\x07\r\x9b\u202e"], repr(printed[:300])
        assert (
            "boss" in printed or "Alice" in printed
        )  # the names are shown, only without the escapes


def _within_a_gigabyte(*args: str) -> subprocess.CompletedProcess[str]:
    """`kubemedic ARGS` with its address space capped at 1 GiB, as a small container would cap it."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    command = [sys.executable, "-m", "bot", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        preexec_fn=cap,
        check=False,
        env={**os.environ, "KUBEMEDIC_CACHE_DIR": str(Path(args[1]).parent / "cache")},
    )


def test_a_small_zip_whose_day_file_inflates_to_150_mb_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    """Issue 51 item 8: a 150 MB day file of small objects (millions of dictionaries once parsed)
    used to be read whole and parsed whole; a file of an export is now capped far lower."""
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(EXPORT / "channels.json", "channels.json")
        with archive.open(f"{CHANNEL}/2024-06-01.json", "w", force_zip64=True) as member:
            member.write(b"[")
            for _ in range(150):
                member.write(b'{"a":1},' * (1024 * 1024 // 8))
            member.write(b'{"a":1}]')
    assert bomb.stat().st_size < 1024 * 1024
    result = _within_a_gigabyte("summarize", str(bomb), "--channel", CHANNEL)
    _refused_in_one_line(
        result.returncode,
        result.stdout,
        result.stderr,
        "is larger than 32 MB (decompressed)",
    )
    assert f"{CHANNEL}/2024-06-01.json in {bomb}" in result.stderr


DEEP = "[" * 100_000 + "]" * 100_000
LONG_NUMBER = (
    '[{"type": "message", "ts": "1715677200.000100", "user": "U1", "text": "x", "n": '
    + "9" * 5000
    + "}]"
)


def test_deep_json_and_long_numbers_in_an_export_get_a_one_line_refusal(tmp_path: Path) -> None:
    for name, content, words in (
        ("deep", DEEP, "nested more than 64 levels deep"),
        ("number", LONG_NUMBER, "holds a number of thousands of digits"),
    ):
        export = _copy(tmp_path / name)
        (export / CHANNEL / "2024-05-16.json").write_text(content)
        for target in (export, export / CHANNEL / "2024-05-16.json"):
            result = kubemedic("summarize", str(target), "--channel", CHANNEL)
            _refused_in_one_line(result.code, result.stdout, result.stderr, words)
