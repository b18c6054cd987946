"""All configuration, read once from the environment by pydantic-settings.

Nothing else in kubemedic reads os.environ: the CLI and the Slack app build
one `Settings` and pass it down.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _split(value: object, separator: str) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(separator) if part.strip()]
    return list(value) if isinstance(value, (list, tuple)) else []


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def _upper(value: object) -> object:
    return (value.strip().upper() or None) if isinstance(value, str) else value


class Settings(BaseSettings):
    """kubemedic settings; each field names its environment variable."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    database_url: str = Field(
        default="sqlite+aiosqlite:///kubemedic.db", alias="KUBEMEDIC_DATABASE_URL"
    )
    admins: Annotated[list[str], NoDecode] = Field(default_factory=list, alias="KUBEMEDIC_ADMINS")
    namespaces: Annotated[list[str], NoDecode] = Field(
        default_factory=list, alias="KUBEMEDIC_NAMESPACES"
    )
    incident_channel_prefix: str = Field(default="inc-", alias="KUBEMEDIC_INCIDENT_CHANNEL_PREFIX")
    catalog_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        alias="KUBEMEDIC_CATALOG_DIRS",
        description="Extra catalog directories (os.pathsep-separated), merged over the built-in one.",
    )
    catalog_strict: bool = Field(
        default=False,
        alias="KUBEMEDIC_CATALOG_STRICT",
        description="A catalog file with problems stops `kubemedic serve` (exit 2, problems listed); "
        "default false: serve on the built-in catalog plus the valid entries and log each problem.",
    )

    cache_dir: Path | None = Field(
        default=None,
        alias="KUBEMEDIC_CACHE_DIR",
        description="Private directory for the built catalog index (default: XDG cache dir).",
    )

    kubeconfig: str | None = Field(
        default=None,
        alias="KUBECONFIG",
        description="Kubeconfig file(s), os.pathsep-separated (default: ~/.kube/config, "
        "else the in-cluster service account).",
    )
    kubernetes_service_host: str | None = Field(
        default=None,
        alias="KUBERNETES_SERVICE_HOST",
        description="Set by Kubernetes inside a pod; enables the in-cluster configuration.",
    )
    kube_request_timeout: float = Field(
        default=10.0,
        gt=0,
        le=300,
        alias="KUBEMEDIC_KUBE_REQUEST_TIMEOUT",
        description="Seconds one Kubernetes API request may take (default 10).",
    )
    kube_concurrency: int = Field(
        default=16,
        ge=1,
        le=64,
        alias="KUBEMEDIC_KUBE_CONCURRENCY",
        description="Kubernetes API requests in flight at once (default 16).",
    )

    dry_run: bool = Field(
        default=False,
        alias="KUBEMEDIC_DRY_RUN",
        description="Remediation buttons only run the server-side dry run (dryRun=All).",
    )
    action_ttl_minutes: int = Field(
        default=30,
        ge=1,
        le=7 * 24 * 60,
        alias="KUBEMEDIC_ACTION_TTL_MINUTES",
        description="Minutes a remediation button stays usable (default 30).",
    )
    signing_key: SecretStr | None = Field(
        default=None,
        alias="KUBEMEDIC_SIGNING_KEY",
        description="Server key signing remediation button ids (default: derived from "
        "SLACK_SIGNING_SECRET, so buttons survive a restart).",
    )

    def default_kubeconfig(self) -> Path:
        """Where kubectl looks when KUBECONFIG is not set."""
        return Path(os.path.expanduser("~/.kube/config"))

    def index_cache_dir(self) -> Path:
        """Where large catalogs keep their built index."""
        if self.cache_dir is not None:
            return self.cache_dir
        return Path(os.path.expanduser("~/.cache")) / "kubemedic"

    contexts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        alias="KUBEMEDIC_CONTEXTS",
        description="Kubeconfig contexts Slack users may pick (comma-separated); empty = the current one only.",
    )
    port: int = Field(default=3000, ge=1, le=65535, alias="PORT", description="HTTP mode port.")
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto",
        alias="KUBEMEDIC_LOG_FORMAT",
        description="serve's log lines: json (one object per line), text, or auto (json unless "
        "stderr is a terminal).",
    )
    log_level: Annotated[LogLevel | None, BeforeValidator(_upper)] = Field(
        default=None,
        alias="KUBEMEDIC_LOG_LEVEL",
        description="DEBUG, INFO, WARNING or ERROR (default: INFO for serve, WARNING for the "
        "other commands).",
    )
    repeat_window_minutes: int = Field(
        default=60,
        ge=0,
        alias="KUBEMEDIC_REPEAT_WINDOW_MINUTES",
        description="The same problem seen again within this many minutes updates the earlier reply.",
    )
    channel_replies_per_minute: int = Field(
        default=6,
        ge=1,
        alias="KUBEMEDIC_CHANNEL_REPLIES_PER_MINUTE",
        description="Replies to pasted messages per channel per minute; more are dropped quietly.",
    )

    summary_debounce_seconds: float = Field(
        default=5.0,
        ge=0,
        alias="KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS",
        description="Incident summaries are updated at most once per this many seconds of activity.",
    )

    background_concurrency: int = Field(
        default=4,
        ge=1,
        alias="KUBEMEDIC_BACKGROUND_CONCURRENCY",
        description="Diagnoses and clicks worked on at once; more wait their turn (acks never wait).",
    )

    work_lease_seconds: float = Field(
        default=60.0,
        ge=1,
        le=3600,
        alias="KUBEMEDIC_WORK_LEASE_SECONDS",
        description="Seconds an accepted request stays with the replica that acked it without a "
        "renewal; after that another replica (sharing the database) takes it over (default 60).",
    )

    @field_validator("admins", "namespaces", "contexts", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> list[str]:
        return _split(value, ",")

    @field_validator("catalog_dirs", mode="before")
    @classmethod
    def _path_list(cls, value: object) -> list[str]:
        return _split(value, os.pathsep)
