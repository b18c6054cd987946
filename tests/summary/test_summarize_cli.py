"""`kubemedic summarize FILE` on a Slack export (the command run in process, as
tests/cli/test_in_process.py checks the console script would)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.runner import kubemedic_in_process
from tests.summary.history import SECRET, history


def _export(tmp_path: Path) -> Path:
    messages, replies, _ = history()
    day = [*messages, *({**r, "thread_ts": parent} for parent, rs in replies.items() for r in rs)]
    for message in day:
        if message.get("user"):
            message["user_profile"] = {
                "display_name": message["user"].lower()[2:7],
                "real_name": "someone",
            }
    folder = tmp_path / "inc-checkout"
    folder.mkdir()
    (folder / "2024-05-14.json").write_text(json.dumps(day[:5]))
    (folder / "2024-05-15.json").write_text(json.dumps(day[5:]))
    return folder


def test_summarize_an_exported_channel_as_text_and_markdown(tmp_path: Path) -> None:
    folder = _export(tmp_path)
    text = kubemedic_in_process("summarize", str(folder))
    assert text.code == 0, text.stderr
    assert text.stdout.startswith("Incident summary: inc-checkout")
    for catalog_id in ("tikv-cluster-id-mismatch", "oom-killed", "pending-insufficient-resources"):
        assert catalog_id in text.stdout
    assert "(bob00)" in text.stdout and SECRET not in text.stdout
    markdown = kubemedic_in_process("summarize", str(folder / "2024-05-14.json"), "--markdown")
    assert markdown.code == 0, markdown.stderr
    assert markdown.stdout.startswith("# Incident summary") and "## Timeline" in markdown.stdout
    assert "`tikv-cluster-id-mismatch`" in markdown.stdout and "](https://" in markdown.stdout


def test_bad_exports_exit_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "object.json").write_text('{"not": "an export"}')
    (tmp_path / "broken.json").write_text("[{")
    for path in (tmp_path / "object.json", tmp_path / "broken.json", tmp_path / "missing.json"):
        result = kubemedic_in_process("summarize", str(path))
        assert result.code == 2 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(
            "kubemedic: "
        )
