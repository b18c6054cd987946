"""The README's fresh-machine commands stay in sync with `.ci/check`, `.ci/run` and the
examples, and its Slack bot on the example dump answers as it says; the configuration page lists
every setting."""

from __future__ import annotations

import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.slack.harness import block_text
from tests.standins.bot_process import free_port
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests, post_sync
from tests.test_first_ten_minutes import fresh_checkout
from tests.waiting import PATIENCE

ROOT = Path(__file__).resolve().parents[1]


def _quick_start() -> list[str]:
    """The quick start's commands: the examples, the Slack bot on the example dump, `check`."""
    readme = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", readme, flags=re.DOTALL)[:3]


def _commands() -> list[str]:
    """The two fresh-machine commands: the examples, then the tests."""
    examples, _, check = _quick_start()
    return [examples, check]


CI = ROOT / ".ci"


def _pytest_line(script: Path) -> str:
    [line] = [line for line in script.read_text().splitlines() if "-m pytest" in line]
    return line


def test_the_readme_test_command_is_check_and_check_sets_itself_up() -> None:
    """The README's second command is `.ci/check`, which makes the venv and installs into it on
    a fresh machine, and runs the linters and the tests."""
    assert _commands()[1].strip() == "bash .ci/check"
    check = (CI / "check").read_text()
    assert "python3 -m venv .venv" in check and "pip install -q -e '.[test]'" in check
    assert "\nrun_linters\n" in check and "-m pytest" in check


def test_check_and_ci_run_the_same_linters_and_check_the_fast_tier_with_each_smoke_test() -> None:
    """`.ci/run` (ci) runs every tier and the linters check runs; check's tests are the fast
    tier and each tier's smoke test (tests/tiers.py SMOKE)."""
    run = (CI / "run").read_text()
    assert "\nrun_linters\n" in run and ". .ci/tools.sh" in run
    for linter in ("ruff check", "ruff format --check", "lint-imports", "mypy --strict"):
        assert linter in (CI / "tools.sh").read_text(), linter
    assert " -m " not in _pytest_line(CI / "run").split("pytest", 1)[1]  # every tier
    assert '-m "not slow or smoke"' in _pytest_line(CI / "check")


def test_main_command_uses_files_that_exist() -> None:
    main_command = _commands()[0]
    for path in re.findall(r"(examples/[\w./-]+)", main_command):
        assert (ROOT / path).exists(), path


def test_the_quick_start_separates_its_two_outputs() -> None:
    """The answer to the paste, a blank line and a `---` line naming the next command, then the
    namespace diagnosis: not one run-on text."""
    parts = _commands()[0].split(" && ")
    [match] = [n for n, part in enumerate(parts) if " match " in part]
    [diagnose] = [n for n, part in enumerate(parts) if " diagnose namespace " in part]
    assert diagnose == match + 2, parts
    printed = subprocess.run(
        ["bash", "-c", parts[match + 1]], capture_output=True, text=True, check=True
    )
    assert printed.stdout == f"\n--- {parts[diagnose].split('kubemedic ', 1)[1]} ---\n"


CONFIGURATION = ROOT / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    from bot.settings import Settings

    readme = CONFIGURATION.read_text()
    missing = [
        field.alias for field in Settings.model_fields.values() if f"`{field.alias}`" not in readme
    ]
    assert missing == []


def test_the_settings_table_is_the_one_generated_from_the_model() -> None:
    from bot.settings import settings_table

    readme = CONFIGURATION.read_text()
    assert settings_table() in readme, (
        "regenerate the configuration table of docs/configuration.md with: "
        "python -c 'from bot.settings import settings_table; print(settings_table())'"
    )


def test_the_readme_shows_a_picture_of_an_answer_that_exists() -> None:
    """The picture is docs/img/answer.png, drawn by tests/browser/test_preview_page.py
    (KUBEMEDIC_WRITE_PICTURE=1 writes it)."""
    readme = (ROOT / "README.md").read_text()
    pictures = re.findall(r"!\[[^\]]+\]\(([^)\s]+\.png)\)", readme)
    assert "docs/img/answer.png" in pictures
    for picture in pictures:
        assert (ROOT / picture).read_bytes().startswith(b"\x89PNG"), picture


BOT_TOKEN = "xoxb-readme-1-stand-in"
SIGNING_SECRET = "5c3e1d0f9a8b7c6d5e4f3a2b1c0d9e8f"


@pytest.mark.serve  # starts `kubemedic serve --http` as a process: the serve tier (tests/tiers.py)
def test_the_quick_start_slack_bot_answers_from_the_example_dump_as_written(tmp_path: Path) -> None:
    """The quick start's Slack line, run as written in a fresh copy of the examples (the app's
    token and secret filled in, Slack's API the stand-in's): a signed `/diagnose namespace shop`
    gets the dump's answer, saying first it was read from a recording and of when."""
    line = _quick_start()[1]
    assert "xoxb-your-bot-token" in line and "your-signing-secret" in line
    line = line.replace("xoxb-your-bot-token", BOT_TOKEN).replace(
        "your-signing-secret", SIGNING_SECRET
    )
    fresh_checkout(tmp_path)
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "SLACK_API_URL": "",
        "PORT": str(port),
    }
    with start_slack(slack) as slack_server:
        env["SLACK_API_URL"] = slack_server.api_url
        process = subprocess.Popen(
            ["bash", "-c", line],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "serve.log").open("wb"),
        )
        try:
            _wait_ready(f"http://127.0.0.1:{port}", process, tmp_path / "serve.log")
            requests = SlackRequests(SIGNING_SECRET, standin=slack)
            status, _ = post_sync(
                f"http://127.0.0.1:{port}/slack/events", *requests.slash_command("namespace shop")
            )
            assert status == 200
            [posted] = slack.wait_for_sync("chat.postMessage")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    text = block_text(posted.blocks)
    assert "read from a recording made 2024-05-14 08:29 UTC (examples/dump)" in text, text
    assert "service/checkout" in text and "oom-killed" in text, text


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + PATIENCE
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            with opener.open(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"kubemedic serve did not become ready:\n{log.read_text()}")
