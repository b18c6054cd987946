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


MANIFEST = """\
name: frob
title: Frobnicator
description: The team's frobnicator and its failures.
components: [{name: frobnicator, versions: "2.x"}]
"""


@pytest.fixture
def pack_with_special_cases(tmp_path: Path) -> Path:
    """Issue 76 (LOW): a team pack whose case files are a FIFO and a link to /dev/zero, beside a
    real one. The case reader used to wait on the FIFO for good and read /dev/zero until memory
    ran out, in `catalog check`, `match` and `serve` alike (each loads the catalog)."""
    root = tmp_path / "team-packs"
    pack = root / "frob"
    (pack / "entries").mkdir(parents=True)
    (pack / "pack.yaml").write_text(MANIFEST)
    (pack / "entries" / "frob-overload.yaml").write_text(GOOD)
    cases = pack / "cases" / "frob-overload"
    cases.mkdir(parents=True)
    (cases / "log.txt").write_text("frobnicator quantum flux overload detected on node-1\n")
    os.mkfifo(cases / "fifo-case.txt")
    (cases / "zero-case.txt").symlink_to("/dev/zero")
    (tmp_path / "huge.txt").write_bytes(b"x" * (4 * 1024 * 1024))
    (cases / "huge-case.txt").symlink_to(tmp_path / "huge.txt")
    return root


CASE_PROBLEMS = (
    "fifo-case.txt: not a regular file",
    "zero-case.txt: not a regular file",
    "huge-case.txt: file larger than 262144 bytes: skipped",
)


def test_a_packs_special_case_files_are_named_not_read(pack_with_special_cases: Path) -> None:
    env = {"KUBEMEDIC_CATALOG_DIRS": str(pack_with_special_cases)}
    checked = kubemedic("catalog", "check", env=env)
    assert checked.code == 2 and "Traceback" not in checked.stderr
    for problem in CASE_PROBLEMS:
        assert problem in checked.stderr, checked.stderr
    matched = kubemedic(
        "match", "--json", stdin=b"frobnicator quantum flux overload detected\n", env=env
    )
    assert matched.json()["answer"] == "frob-overload"
    tested = kubemedic("catalog", "test", "frob", env=env)
    assert tested.code == 1
    assert "3 failed" in tested.stdout
    assert "FAIL frob-overload/fifo-case.txt: not a regular file" in tested.stdout


def test_serve_starts_beside_a_packs_special_case_files(
    tmp_path: Path, pack_with_special_cases: Path
) -> None:
    slack = SlackStandIn(bot_token="xoxb-strict-test")
    env = environment(tmp_path, pack_with_special_cases, "")
    with start_in_thread(slack) as server:
        env["SLACK_API_URL"] = server.api_url
        with BotProcess(env, tmp_path / "serve.log") as bot:
            bot.wait_ready()
            log = bot.log()
    for problem in CASE_PROBLEMS:
        assert problem in log, log[-2000:]
