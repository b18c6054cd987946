"""The settings `kubemedic match` uses, read without pydantic.

`match` needs only where the catalog and its index cache are, how to log and which secret
values never to log. Importing pydantic and building the `Settings` model cost about half
of its start-up, so these few variables are read here by the same rules as their fields in
`bot.settings` (tests/cli/test_command_settings.py holds the two equal); the command does
not validate the variables it does not read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args
from urllib.parse import urlsplit

from bot.errors import BadInput

TEXT_CPU_SECONDS = 5.0
"""The default budget: CPU seconds one text's redaction, and again its matching, may take."""

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["auto", "json", "text"]
SLACK_TOKENS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")


def by_lower_name(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment keyed by lower-cased name: variables are matched whatever their case."""
    return {name.lower(): value for name, value in environ.items()}


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        quoted = [f"'{choice}'" for choice in allowed]
        raise BadInput(
            f"invalid setting {name}: Input should be {', '.join(quoted[:-1])} or {quoted[-1]}"
        )
    return value


def _path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


@dataclass(frozen=True)
class CommandSettings:
    """Where the catalog is, how to log and what never to log."""

    catalog_dirs: list[Path]
    catalog_packs_off: list[str]
    cache_dir: Path | None
    xdg_cache_home: Path | None
    log_format: LogFormat
    log_level: LogLevel | None
    secrets: list[str]
    database_url: str = ""
    """KUBEMEDIC_DATABASE_URL as set ("" when not): `match` reads the team's examples there."""
    text_cpu_seconds: float = TEXT_CPU_SECONDS
    """KUBEMEDIC_TEXT_CPU_SECONDS: CPU seconds redacting the paste may take, and again matching it."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> CommandSettings:
        """Read the variables; an invalid one is a BadInput naming it (as `Settings` words it)."""
        env = by_lower_name(os.environ if environ is None else environ)
        dirs = env.get("kubemedic_catalog_dirs", "")
        level = env.get("kubemedic_log_level", "").strip().upper() or None
        log_format = _one_of(
            "KUBEMEDIC_LOG_FORMAT", env.get("kubemedic_log_format", "auto"), get_args(LogFormat)
        )
        if level is not None:
            _one_of("KUBEMEDIC_LOG_LEVEL", level, get_args(LogLevel))
        return cls(
            catalog_dirs=[Path(part.strip()) for part in dirs.split(os.pathsep) if part.strip()],
            catalog_packs_off=[
                part.strip()
                for part in env.get("kubemedic_catalog_packs_off", "").split(",")
                if part.strip()
            ],
            cache_dir=_path(env.get("kubemedic_cache_dir")),
            xdg_cache_home=_path(env.get("xdg_cache_home")),
            log_format=cast(LogFormat, log_format),
            log_level=cast(LogLevel | None, level),
            secrets=_secrets(env),
            database_url=env.get("kubemedic_database_url", "").strip(),
            text_cpu_seconds=_seconds(
                "KUBEMEDIC_TEXT_CPU_SECONDS", env.get("kubemedic_text_cpu_seconds")
            ),
        )

    def index_cache_dir(self) -> Path:
        """Where the built catalog index is kept (as `Settings.index_cache_dir`)."""
        if self.cache_dir is not None:
            return self.cache_dir
        return (self.xdg_cache_home or Path(os.path.expanduser("~/.cache"))) / "kubemedic"


def _seconds(name: str, value: str | None) -> float:
    """A budget in seconds, above 0 and at most 600 (the model's bounds and messages)."""
    if value is None:
        return TEXT_CPU_SECONDS
    try:
        seconds = float(value.strip())
    except ValueError:
        raise BadInput(
            f"invalid setting {name}: Input should be a valid number, unable to parse string as a number"
        ) from None
    if not seconds > 0:
        raise BadInput(f"invalid setting {name}: Input should be greater than 0")
    if seconds > 600:
        raise BadInput(f"invalid setting {name}: Input should be less than or equal to 600")
    return seconds


def _secrets(env: Mapping[str, str]) -> list[str]:
    """The values `bot.logs.settings_secrets` would list: the Slack tokens (a blank one is unset),
    the signing key and the database URL's password."""
    values = [env[name.lower()] for name in SLACK_TOKENS if env.get(name.lower(), "").strip()]
    values += [
        env.get(name, "").strip()
        for name in ("kubemedic_signing_key", "kubemedic_signing_key_previous")
    ]
    try:
        password = urlsplit(env.get("kubemedic_database_url", "")).password
    except ValueError:
        password = None
    return [value for value in [*values, password] if value]
