"""A broken file in a user catalog directory, and KUBEMEDIC_CATALOG_STRICT.

Lenient (the default): `kubemedic serve` starts on the built-in catalog plus
the valid user entries and logs each problem; strict: it exits 2 naming
every problem, before it opens the database or calls Slack.
`kubemedic catalog check` lists the problems and exits 2 either way (also
tests/cli/test_catalog_cli.py).
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from tests.cli.runner import kubemedic
from tests.standins.bot_process import BotProcess, free_port
from tests.standins.slack_api import SlackStandIn, start_in_thread

GOOD = """\
id: frob-overload
title: Frobnicator overload
summary: A team runbook entry.
symptoms: ["frobnicator quantum flux overload detected"]
root_cause: The frobnicator overheats.
fix: [{text: Cool it down.}]
links: [{url: "https://runbooks.example.com/frob", title: Runbook}]
sources: [team-runbook]
"""
TOKEN, SECRET = "xoxb-strict-test", "strict-signing-secret"


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "team-catalog"
    folder.mkdir()
    (folder / "frob-overload.yaml").write_text(GOOD)
    (folder / "broken-entry.yaml").write_text("id: broken-entry\ntitle: [unclosed\n")
    return folder


def environment(tmp_path: Path, catalog: Path, api_url: str, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": api_url,
        "KUBEMEDIC_CATALOG_DIRS": str(catalog),
        "KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"),
        "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "KUBECONFIG": str(tmp_path / "no-kubeconfig"),
        **extra,
    }


def test_strict_serve_refuses_to_start_before_any_network(tmp_path: Path, catalog: Path) -> None:
    slack = SlackStandIn(bot_token=TOKEN)
    with start_in_thread(slack) as server:
        env = environment(tmp_path, catalog, server.api_url, KUBEMEDIC_CATALOG_STRICT="true")
        result = kubemedic("serve", "--http", "--port", str(free_port()), env=env)
    assert result.code == 2, result
    [line] = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("kubemedic: KUBEMEDIC_CATALOG_STRICT is set")
    assert "broken-entry.yaml:3: invalid YAML" in line and "frob-overload" not in line
    assert "Traceback" not in result.stderr
    assert slack.calls == []  # not even auth.test
    assert not (tmp_path / "bot.db").exists()  # nor the database


def test_a_strict_setting_that_is_not_a_boolean_is_a_usage_error(
    tmp_path: Path, catalog: Path
) -> None:
    env = environment(
        tmp_path, catalog, "http://127.0.0.1:9/api/", KUBEMEDIC_CATALOG_STRICT="maybe"
    )
    result = kubemedic("serve", "--http", "--port", str(free_port()), env=env)
    assert result.code == 2
    assert result.stderr.startswith("kubemedic: invalid setting KUBEMEDIC_CATALOG_STRICT")


def test_lenient_serve_starts_and_logs_the_broken_file(tmp_path: Path, catalog: Path) -> None:
    slack = SlackStandIn(bot_token=TOKEN)
    with start_in_thread(slack) as server:
        env = environment(tmp_path, catalog, server.api_url)
        with BotProcess(env, tmp_path / "serve.log") as bot:
            bot.wait_ready()
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with opener.open(f"{bot.url}/healthz", timeout=5) as response:
                assert response.status == 200
            log = bot.log()
        assert bot.process.returncode == 0
    assert "broken-entry.yaml" in log and "invalid YAML" in log
    assert "KUBEMEDIC_CATALOG_STRICT=true refuses to start" in log
    assert "Traceback" not in log


def test_catalog_check_names_the_broken_file_and_list_keeps_the_good_entry(catalog: Path) -> None:
    env = {"KUBEMEDIC_CATALOG_DIRS": str(catalog)}
    check = kubemedic("catalog", "check", env=env)
    assert check.code == 2 and "broken-entry.yaml:3: invalid YAML" in check.stderr
    listing = kubemedic("catalog", "list", "--json", env=env)
    assert listing.code == 0
    ids = {row["id"] for row in json.loads(listing.stdout)}
    assert "frob-overload" in ids and "oom-killed" in ids and "broken-entry" not in ids
    assert "broken-entry.yaml" in listing.stderr  # reported as a warning
