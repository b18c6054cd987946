"""Issue 51 item 8: a catalog directory entry that is not a regular file. A FIFO named like an
entry used to block `catalog check` (and `serve`, the same loader) forever, and a symlink to
/dev/zero read gigabytes. Now only regular files are read (a symlink to one, as a ConfigMap
volume mounts them, still is), each capped, and every other file is named as a problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.runner import kubemedic
from tests.hardening.test_catalog_strict import GOOD, environment
from tests.standins.bot_process import BotProcess, free_port
from tests.standins.slack_api import SlackStandIn, start_in_thread


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "team-catalog"
    folder.mkdir()
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "frob-overload.yaml").write_text(GOOD)
    (folder / "frob-overload.yaml").symlink_to(
        tmp_path / "entries" / "frob-overload.yaml"
    )  # as a ConfigMap does
    (folder / "zero-entry.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo-entry.yaml")
    (tmp_path / "huge.yaml").write_bytes(b"# " + b"x" * (4 * 1024 * 1024))
    (folder / "huge-entry.yaml").symlink_to(
        tmp_path / "huge.yaml"
    )  # its link has no size; the read is capped
    return folder


PROBLEMS = (
    "zero-entry.yaml: not a regular file",
    "fifo-entry.yaml: not a regular file",
    "huge-entry.yaml: file larger than 262144 bytes: skipped",
)


def test_catalog_check_names_each_special_file_and_reads_the_linked_entry(catalog: Path) -> None:
    result = kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(catalog)})
    assert result.code == 2 and "Traceback" not in result.stderr
    for problem in PROBLEMS:
        assert problem in result.stderr, result.stderr
    assert "frob-overload" not in result.stderr
    listed = kubemedic("catalog", "list", "--json", env={"KUBEMEDIC_CATALOG_DIRS": str(catalog)})
    assert "frob-overload" in {row["id"] for row in listed.json()}


def test_strict_serve_names_them_at_once(tmp_path: Path, catalog: Path) -> None:
    env = environment(tmp_path, catalog, "http://127.0.0.1:9/api/", KUBEMEDIC_CATALOG_STRICT="true")
    result = kubemedic("serve", "--http", "--port", str(free_port()), env=env)
    assert result.code == 2, result
    [line] = result.stderr.strip().splitlines()[-1:]
    assert all(problem in line for problem in PROBLEMS), line


def test_serve_starts_on_the_regular_files_and_logs_the_others(
    tmp_path: Path, catalog: Path
) -> None:
    slack = SlackStandIn(bot_token="xoxb-strict-test")
    with (
        start_in_thread(slack) as server,
        BotProcess(environment(tmp_path, catalog, server.api_url), tmp_path / "serve.log") as bot,
    ):
        bot.wait_ready()
        log = bot.log()
    for problem in PROBLEMS:
        assert problem in log, log[-2000:]
