"""`kubemedic match` reads its few settings without pydantic (bot.command_settings): the values,
and the message for an invalid one, must be what `Settings` makes of the same environment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.cli import secrets_of
from bot.command_settings import CommandSettings
from bot.errors import BadInput
from bot.settings import Settings
from tests.cli.runner import kubemedic

ENVIRONMENTS = [
    {},
    {
        "KUBEMEDIC_CATALOG_DIRS": "/a:/b/c::  :/d ",
        "KUBEMEDIC_CACHE_DIR": "/cache",
        "KUBEMEDIC_LOG_LEVEL": " debug ",
    },
    {"kubemedic_catalog_dirs": "/lower", "Xdg_Cache_Home": "/xdg", "KUBEMEDIC_LOG_FORMAT": "json"},
    {"XDG_CACHE_HOME": "/xdg", "KUBEMEDIC_CACHE_DIR": "", "KUBEMEDIC_LOG_LEVEL": ""},
    {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "  ",
        "SLACK_APP_TOKEN": "xapp-2",
        "KUBEMEDIC_SIGNING_KEY": "k3y",
        "KUBEMEDIC_DATABASE_URL": "postgresql://kube:pa55@db/kubemedic",
    },
    {"KUBEMEDIC_SIGNING_KEY": "", "KUBEMEDIC_DATABASE_URL": "postgresql://[bad"},
    {"KUBEMEDIC_DATABASE_URL": "  ", "slack_bot_token": "xoxb-lower"},
    {"KUBEMEDIC_TEXT_CPU_SECONDS": " 0.25 "},
]

INVALID = [
    {"KUBEMEDIC_LOG_LEVEL": "LOUD"},
    {"KUBEMEDIC_LOG_FORMAT": "JSON"},
    {"KUBEMEDIC_LOG_FORMAT": "yaml"},
    {"KUBEMEDIC_TEXT_CPU_SECONDS": "fast"},
    {"KUBEMEDIC_TEXT_CPU_SECONDS": "0"},
    {"KUBEMEDIC_TEXT_CPU_SECONDS": "601"},
]


def clean(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> dict[str, str]:
    """The test's environment: none of kubemedic's variables but `env`'s."""
    import os

    for name in list(os.environ):
        if name.upper().startswith(("KUBEMEDIC_", "SLACK_", "XDG_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return dict(os.environ)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_match_reads_what_the_settings_model_reads(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    clean(monkeypatch, env)
    full, light = Settings(), CommandSettings.from_environment()
    assert light.catalog_dirs == full.catalog_dirs
    assert light.index_cache_dir() == full.index_cache_dir()
    assert (light.log_level, light.log_format) == (full.log_level, full.log_format)
    assert secrets_of(light) == secrets_of(full)
    assert light.text_cpu_seconds == full.text_cpu_seconds


@pytest.mark.parametrize("env", INVALID)
def test_an_invalid_value_gets_the_settings_model_s_message(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    clean(monkeypatch, env)
    with pytest.raises(ValidationError) as full:
        Settings()
    with pytest.raises(BadInput) as light:
        CommandSettings.from_environment()
    first = full.value.errors()[0]
    assert light.value.reason == f"invalid setting {first['loc'][0]}: {first['msg']}"


def test_match_with_an_invalid_log_level_says_so_in_one_line() -> None:
    result = kubemedic("match", stdin=b"Reason: OOMKilled\n", env={"KUBEMEDIC_LOG_LEVEL": "LOUD"})
    assert result.code == 2
    assert result.stderr.strip() == (
        "kubemedic: invalid setting KUBEMEDIC_LOG_LEVEL: Input should be "
        "'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'"
    )


def test_only_the_documented_variable_names_configure_kubemedic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`ADMINS` or `NAMESPACES` set for some other program do not configure remediation: only
    each field's own variable (`KUBEMEDIC_ADMINS`) is read, whatever its case."""
    clean(
        monkeypatch,
        {"ADMINS": "U1", "NAMESPACES": "prod", "DRY_RUN": "true", "kubemedic_namespaces": "shop"},
    )
    settings = Settings()
    assert settings.admins == [] and settings.dry_run is False and settings.namespaces == ["shop"]
    assert Settings(KUBEMEDIC_NAMESPACES="given").namespaces == [
        "given"
    ]  # values given to the constructor win
