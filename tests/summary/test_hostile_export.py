"""Issue 24 (LOW): `kubemedic summarize` of a hostile export ends with one line or a clean
summary: a zip that inflates past the total cap, a symlink to /dev/zero, a FIFO named like a
day file (the read blocked forever), and terminal escape sequences in users.json."""

from __future__ import annotations

import json
import os
import shutil
import time
import zipfile
from pathlib import Path

from bot.summary.export_tree import MAX_TOTAL_BYTES
from tests.cli.runner import kubemedic

EXPORT = Path(__file__).resolve().parents[2] / "examples" / "slack-export"
CHANNEL = "inc-142-checkout-502"
CHUNK = b" " * (1024 * 1024)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "export"
    shutil.copytree(EXPORT, target)
    return target


def _refused_at_once(result_code: int, stdout: str, stderr: str, seconds: float, words: str) -> None:
    assert result_code == 2 and stdout == "", stderr
    assert stderr.count("\n") == 1 and words in stderr and "Traceback" not in stderr, stderr
    assert seconds < 30, seconds


def test_a_zip_that_inflates_past_the_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    members = MAX_TOTAL_BYTES // (len(CHUNK) * 100) + 1  # 100 MB of valid JSON (whitespace) each
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.write(EXPORT / "channels.json", "channels.json")
        for day in range(members):
            with archive.open(f"{CHANNEL}/2024-06-{day + 1:02d}.json", "w", force_zip64=True) as member:
                member.write(b"[")
                for _ in range(100):
                    member.write(CHUNK)
                member.write(b"]")
    assert bomb.stat().st_size < 5 * 1024 * 1024
    started = time.monotonic()
    result = kubemedic("summarize", str(bomb), "--channel", CHANNEL)
    _refused_at_once(result.code, result.stdout, result.stderr, time.monotonic() - started, "decompresses to more")


def test_a_symlink_in_the_export_is_refused(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    (export / "users.json").unlink()
    (export / "users.json").symlink_to("/dev/zero")
    started = time.monotonic()
    result = kubemedic("summarize", str(export), "--channel", CHANNEL, timeout=60)
    _refused_at_once(result.code, result.stdout, result.stderr, time.monotonic() - started, "symbolic link")


def test_a_fifo_named_like_a_day_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    os.mkfifo(export / CHANNEL / "2024-05-16.json")
    started = time.monotonic()
    result = kubemedic("summarize", str(export), "--channel", CHANNEL, timeout=60)
    _refused_at_once(result.code, result.stdout, result.stderr, time.monotonic() - started, "not a regular file")


def test_escape_sequences_in_user_names_are_not_printed(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    users = json.loads((export / "users.json").read_text())
    for user in users:
        user["real_name"] = "\x1b]0;pwned\x07\x1b[2J\x1b[31m" + str(user.get("real_name")) + "\u202e\x9b"
        user.setdefault("profile", {})["display_name"] = "\x1b[1mboss\r"
    (export / "users.json").write_text(json.dumps(users))
    for extra in ((), ("--markdown",)):
        result = kubemedic("summarize", str(export), "--channel", CHANNEL, *extra)
        assert result.code == 0, result.stderr
        printed = result.stdout + result.stderr
        assert not [ch for ch in printed if ch in "\x1b\x07\r\x9b\u202e"], repr(printed[:300])
        assert "boss" in printed or "Alice" in printed  # the names are shown, only without the escapes
