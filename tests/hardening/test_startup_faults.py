"""`kubemedic serve` when what it needs is missing at start-up: one line, the right exit status."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import kubemedic
from tests.standins.bot_process import free_port
from tests.standins.slack_api import SlackStandIn, start_in_thread

SECRET = "startup-signing-secret-0001"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-startup",
        "SLACK_SIGNING_SECRET": SECRET,
        "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "KUBEMEDIC_CACHE_DIR": str(tmp_path / "cache"),
        **extra,
    }


def _one_line_without_traceback(stderr: str) -> str:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("kubemedic:")][-1]


def test_an_unreachable_slack_is_retried_then_exits_1(tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/api/"
    result = kubemedic(
        "serve",
        "--http",
        "--port",
        str(free_port()),
        env=_env(tmp_path, SLACK_API_URL=closed),
    )
    assert result.code == 1
    assert _one_line_without_traceback(result.stderr).startswith(
        f"kubemedic: cannot reach Slack at {closed}"
    )
    assert result.stderr.count("retrying in") == 2  # back-off before giving up


def test_a_rejected_token_exits_2_at_once(tmp_path: Path) -> None:
    slack = SlackStandIn(bot_token="xoxb-the-real-one")
    with start_in_thread(slack):
        result = kubemedic(
            "serve",
            "--http",
            "--port",
            str(free_port()),
            env=_env(tmp_path, SLACK_API_URL=slack.api_url),
        )
    assert result.code == 2
    assert (
        _one_line_without_traceback(result.stderr)
        == "kubemedic: Slack rejected SLACK_BOT_TOKEN: invalid_auth"
    )
    assert "xoxb-startup" not in result.stderr


def test_an_unreachable_database_exits_1(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://kubemedic@127.0.0.1:{free_port()}/kubemedic"
    result = kubemedic(
        "serve",
        "--http",
        "--port",
        str(free_port()),
        env=_env(tmp_path, KUBEMEDIC_DATABASE_URL=url),
    )
    assert result.code == 1
    assert _one_line_without_traceback(result.stderr).startswith(
        "kubemedic: cannot open the database"
    )
