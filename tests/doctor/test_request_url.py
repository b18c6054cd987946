"""HTTP mode: doctor posts a signed url_verification to the request URL, as Slack does.

The real bot runs behind an HTTPS front that routes only POST /slack/events
(what deploy/components/ingress exposes), with a certificate the doctor
process trusts through SSL_CERT_FILE.
"""

from __future__ import annotations

from pathlib import Path

from tests.doctor.install import Install, lines, status, tls_front
from tests.slack.harness import running_bot

NAME = "Slack events and commands (HTTP)"


async def test_the_request_url_answers_slack_s_challenge(
    install: Install, tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    async with running_bot(tmp_path / "bot") as bot, tls_front(bot.url, cert, key) as public:
        result = await install.doctor_async("--http", "--url", public, SSL_CERT_FILE=str(cert))
        with_setting = await install.doctor_async(
            SLACK_APP_TOKEN="",
            SSL_CERT_FILE=str(cert),
            KUBEMEDIC_PUBLIC_URL=f"{public}/slack/events",
        )
    assert result.code == 0, result.stdout
    assert result.stdout.startswith("kubemedic doctor (HTTP mode: --http given)\n")
    assert with_setting.stdout.startswith(
        "kubemedic doctor (HTTP mode: SLACK_APP_TOKEN is not set)\n"
    )
    assert lines(result)[NAME] == (
        f"ok    {NAME}: {public}/slack/events answered a signed url_verification as Slack expects"
    )
    assert with_setting.code == 0, with_setting.stdout
    assert status(with_setting)[NAME] == "ok"


async def test_a_different_signing_secret_is_named(
    install: Install, tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    async with running_bot(tmp_path / "bot") as bot, tls_front(bot.url, cert, key) as public:
        result = await install.doctor_async(
            "--http",
            "--url",
            public,
            SSL_CERT_FILE=str(cert),
            SLACK_SIGNING_SECRET="not-the-app-secret",
        )
    assert result.code == 1
    line = lines(result)[NAME]
    assert f"FAIL  {NAME}: {public}/slack/events refused the signed request (401)" in line
    assert "fix: the deployed bot's SLACK_SIGNING_SECRET differs" in line


async def test_a_path_the_front_does_not_route_is_named(
    install: Install, tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    async with running_bot(tmp_path / "bot") as bot, tls_front(bot.url, cert, key) as public:
        result = await install.doctor_async(
            "--http", "--url", f"{public}/kubemedic", SSL_CERT_FILE=str(cert)
        )
    line = lines(result)[NAME]
    assert f"{public}/kubemedic/slack/events answered 404" in line
    assert "fix: route POST /slack/events of that host to Service kubemedic" in line


async def test_an_untrusted_certificate_is_a_failed_check(
    install: Install, tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    async with running_bot(tmp_path / "bot") as bot, tls_front(bot.url, cert, key) as public:
        result = await install.doctor_async("--http", "--url", public)
    line = lines(result)[NAME]
    assert line.startswith(f"FAIL  {NAME}: cannot reach {public}/slack/events: ")
    assert "certificate" in line and "fix: check DNS, the Ingress" in line


def test_without_a_url_http_mode_says_where_to_give_it(install: Install) -> None:
    result = install.doctor("--http")
    assert result.code == 1
    assert lines(result)[NAME] == (
        f"FAIL  {NAME}: the request URL is not known; fix: pass the bot's public address (doctor --url "
        "https://YOUR-HOST, or KUBEMEDIC_PUBLIC_URL), the one `kubemedic slack-manifest --url` put in the manifest"
    )


def test_a_plain_http_address_is_refused_because_slack_will_not_post_to_it(
    install: Install,
) -> None:
    result = install.doctor("--http", "--url", "http://kubemedic.example.com")
    line = lines(result)[NAME]
    assert "--url must be an https:// address (Slack sends requests only over TLS)" in line


def test_an_address_nothing_listens_on_is_named(install: Install) -> None:
    result = install.doctor("--http", "--url", "https://127.0.0.1:1")
    line = lines(result)[NAME]
    assert line.startswith(f"FAIL  {NAME}: cannot reach https://127.0.0.1:1/slack/events")


async def test_a_url_checks_http_mode_even_with_an_app_token_in_the_secret(
    install: Install, tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    """The pod's secret often still holds SLACK_APP_TOKEN: `doctor --url` must check the URL, not Socket Mode."""
    cert, key = certificate
    assert install.env["SLACK_APP_TOKEN"]
    async with running_bot(tmp_path / "bot") as bot, tls_front(bot.url, cert, key) as public:
        result = await install.doctor_async("--url", public, SSL_CERT_FILE=str(cert))
    assert result.code == 0, result.stdout
    assert result.stdout.startswith("kubemedic doctor (HTTP mode: --url given)\n")
    assert status(result)[NAME] == "ok"
    assert "Slack events and commands (Socket Mode)" not in result.stdout
