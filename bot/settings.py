"""All configuration, read once from the environment by pydantic-settings.

Nothing else in kubemedic reads os.environ: the CLI and the Slack app build
one `Settings` and pass it down. The fields are grouped by concern below
(Slack, catalog, clusters, storage, remediation, replies, work, logs, agents); each
field names its environment variable and says what it means, and the
configuration table of docs/configuration.md is generated from them (`settings_table`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.command_settings import TEXT_CPU_SECONDS, LogLevel


def _split(value: object, separator: str) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(separator) if part.strip()]
    return list(value) if isinstance(value, (list, tuple)) else []


def _comma_list(value: object) -> list[str]:
    return _split(value, ",")


def _path_list(value: object) -> list[str]:
    return _split(value, os.pathsep)


def _upper(value: object) -> object:
    return (value.strip().upper() or None) if isinstance(value, str) else value


CommaList = Annotated[list[str], NoDecode, BeforeValidator(_comma_list)]


def _blank_unset(value: object) -> object:
    """A blank value counts as unset."""
    return None if isinstance(value, str) and not value.strip() else value


def _utc(value: datetime | None) -> datetime | None:
    """A moment without a zone is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


NOW_DESCRIPTION = (
    "the moment a live cluster is judged at, RFC 3339 (unset = the system clock); a recording "
    "(`--from-outputs`, `--from-dump`, a paste) is judged at its own time, never at this one"
)


def env(alias: str, default: Any, description: str, **bounds: Any) -> Any:
    """A setting read from the environment variable `alias` (what `settings_table` and the docs
    list): pydantic's `Field`, its three parts said once in a line instead of named each time."""
    return Field(default=default, alias=alias, description=description, **bounds)


class _Group(BaseModel):
    """A group of settings; only `Settings` is ever validated, so the groups' own validators
    are never built (that would be a third of the time it takes to import this module)."""

    model_config = ConfigDict(defer_build=True)


@dataclass(frozen=True)
class SlackMode:
    """How `serve` reaches Slack, and why (serve's log, doctor's title, errors say it)."""

    socket: bool
    why: str

    def __str__(self) -> str:
        return f"{'Socket Mode' if self.socket else 'HTTP mode'}: {self.why}"


class SlackSettings(_Group):
    """The Slack app and the HTTP server."""

    slack_bot_token: SecretStr | None = env(
        "SLACK_BOT_TOKEN", None, "the Slack app's bot token (`xoxb-…`)"
    )
    slack_signing_secret: SecretStr | None = env(
        "SLACK_SIGNING_SECRET", None, "the Slack app's signing secret (HTTP mode)"
    )
    slack_app_token: SecretStr | None = env(
        "SLACK_APP_TOKEN", None, "app-level token: Socket Mode (unless `serve --http`)"
    )
    slack_api_url: str = env(
        "SLACK_API_URL",
        "https://slack.com/api/",
        "Web API base URL (default `https://slack.com/api/`; GovSlack, tests)",
    )

    def slack_mode(self, *, http: bool, url_given: bool = False) -> SlackMode:
        """The one rule, for serve and doctor alike (and the docs and the chart, which pass the
        token in Socket Mode and --http in HTTP mode): Socket Mode when SLACK_APP_TOKEN is set
        and --http is not given, otherwise HTTP mode (doctor's --url is HTTP mode's too)."""
        if http:
            return SlackMode(False, "--http given")
        if url_given:
            return SlackMode(False, "--url given")
        if self.slack_app_token is None:
            return SlackMode(False, "SLACK_APP_TOKEN is not set")
        return SlackMode(True, "SLACK_APP_TOKEN is set")

    port: int = env("PORT", 3000, "HTTP port (default 3000)", ge=1, le=65535)
    listen_host: str = env(
        "KUBEMEDIC_LISTEN_HOST",
        "0.0.0.0",
        "the address `kubemedic serve` listens on (default 0.0.0.0, every interface: "
        "what a pod needs to be reached through its Service; 127.0.0.1 for this machine only, "
        "e.g. behind a reverse proxy on the same host)",
        min_length=1,
    )
    public_url: str | None = env(
        "KUBEMEDIC_PUBLIC_URL",
        None,
        "the bot's public https:// address (HTTP mode: Slack posts to URL/slack/events); "
        "`kubemedic doctor` checks it and App Home links to URL/catalog",
    )
    stop_delay_seconds: float = env(
        "KUBEMEDIC_STOP_DELAY_SECONDS",
        5.0,
        "after SIGTERM, `serve` keeps accepting connections this long while /readyz fails, so "
        "its Service or balancer takes it out before it stops listening (default 5; keep it under "
        "the pod's terminationGracePeriodSeconds)",
        ge=0,
        le=120,
    )
    http_idle_timeout_seconds: float = env(
        "KUBEMEDIC_HTTP_IDLE_TIMEOUT_SECONDS",
        75.0,
        "a connection that has not sent a complete request head this many seconds after "
        "connecting or after its last response is closed (slow or idle clients); keep it above your "
        "proxy's upstream keep-alive (ingress-nginx: 60 s) (default 75)",
        gt=0,
        le=3600,
    )
    http_body_timeout_seconds: float = env(
        "KUBEMEDIC_HTTP_BODY_TIMEOUT_SECONDS",
        10.0,
        "seconds to receive a request's body once its head arrived; slower clients get 408 "
        "and are disconnected (default 10)",
        gt=0,
        le=300,
    )


class CatalogSettings(_Group):
    """Where the incident catalog comes from."""

    catalog_dirs: Annotated[list[Path], NoDecode, BeforeValidator(_path_list)] = Field(
        default_factory=list,
        alias="KUBEMEDIC_CATALOG_DIRS",
        description="extra catalog directories, `:`-separated, merged over the built-in catalog",
    )
    catalog_packs_off: CommaList = Field(
        default_factory=list,
        alias="KUBEMEDIC_CATALOG_PACKS_OFF",
        description="catalog packs not to load, comma-separated names as `kubemedic catalog packs` lists "
        "them (default: every pack is on)",
    )
    catalog_strict: bool = env(
        "KUBEMEDIC_CATALOG_STRICT",
        False,
        "`true`: `serve` refuses to start on a broken catalog file; default `false`: start "
        "without it and log the problem",
    )
    cache_dir: Path | None = env(
        "KUBEMEDIC_CACHE_DIR",
        None,
        "private directory for the built catalog index, so commands start at once (default "
        "`$XDG_CACHE_HOME/kubemedic`, `~/.cache/kubemedic`)",
    )
    xdg_cache_home: Path | None = env(
        "XDG_CACHE_HOME", None, "base of the per-user cache directory (default `~/.cache`)"
    )
    catalog_site: bool = env(
        "KUBEMEDIC_CATALOG_SITE",
        True,
        "`serve` serves the browsable catalog read-only at /catalog (default true)",
    )
    catalog_searches_per_minute: int = env(
        "KUBEMEDIC_CATALOG_SEARCHES_PER_MINUTE",
        120,
        "searches one client address may send the served catalog site's search box a minute, "
        "ranked by the bot's matcher (POST /catalog/search; past it the page ranks on its own) (default 120)",
        ge=1,
        le=100_000,
    )

    def index_cache_dir(self) -> Path:
        """Where the built catalog index is kept."""
        if self.cache_dir is not None:
            return self.cache_dir
        return (self.xdg_cache_home or Path(os.path.expanduser("~/.cache"))) / "kubemedic"


class ClusterSettings(_Group):
    """Which clusters kubemedic reads, and how hard."""

    kubeconfig: str | None = env(
        "KUBECONFIG",
        None,
        "standard kubeconfig path(s); without it, the in-cluster service account "
        "(`KUBERNETES_SERVICE_HOST`, set by Kubernetes)",
    )
    kubernetes_service_host: str | None = env(
        "KUBERNETES_SERVICE_HOST",
        None,
        "set by Kubernetes inside a pod; enables the in-cluster configuration",
    )
    contexts: CommaList = Field(
        default_factory=list,
        alias="KUBEMEDIC_CONTEXTS",
        description="kubeconfig contexts Slack users may pick (empty = the current one only)",
    )
    kube_request_timeout: float = env(
        "KUBEMEDIC_KUBE_REQUEST_TIMEOUT",
        10.0,
        "seconds per Kubernetes API request (default 10)",
        gt=0,
        le=300,
    )
    kube_concurrency: int = env(
        "KUBEMEDIC_KUBE_CONCURRENCY",
        16,
        "Kubernetes API requests in flight at once, per cluster (context); more wait their turn "
        "(default 16)",
        ge=1,
        le=64,
    )
    now: Annotated[datetime | None, BeforeValidator(_blank_unset), AfterValidator(_utc)] = env(
        "KUBEMEDIC_NOW", None, NOW_DESCRIPTION
    )
    from_dump: str | None = env(
        "KUBEMEDIC_FROM_DUMP",
        None,
        "serve a `kubectl cluster-info dump` folder instead of any cluster "
        "(`serve --from-dump`): every answer says it is read from a recording, remediation stops "
        "at its dry run",
    )
    from_outputs: str | None = env(
        "KUBEMEDIC_FROM_OUTPUTS",
        None,
        "serve recorded kubectl outputs (a file or a folder) instead of any cluster "
        "(`serve --from-outputs`)",
    )
    recorded_at: Annotated[datetime | None, BeforeValidator(_blank_unset), AfterValidator(_utc)] = (
        env(
            "KUBEMEDIC_RECORDED_AT",
            None,
            "when the served recording was made, RFC 3339 (`serve --at`; unset: the "
            "newest time it shows)",
        )
    )

    def clock(self) -> datetime:
        """Now, as kubemedic takes it: KUBEMEDIC_NOW, else the system clock."""
        return self.now or datetime.now(UTC)

    def default_kubeconfig(self) -> Path:
        """Where kubectl looks when KUBECONFIG is not set."""
        return Path(os.path.expanduser("~/.kube/config"))


class StorageSettings(_Group):
    """The database and how long it keeps things."""

    database_url: str = env(
        "KUBEMEDIC_DATABASE_URL",
        "",
        "SQLAlchemy URL (default: a SQLite file in the per-user data directory, "
        "`$XDG_DATA_HOME/kubemedic/kubemedic.db`; the image sets `/var/lib/kubemedic/kubemedic.db`)",
    )
    xdg_data_home: Path | None = env(
        "XDG_DATA_HOME", None, "base of the per-user data directory (default `~/.local/share`)"
    )
    retain_work_hours: float = env(
        "KUBEMEDIC_RETAIN_WORK_HOURS",
        24.0,
        "hours finished requests, claimed Slack event ids, used or expired remediation buttons "
        "and repeat-detection records are kept (default 24)",
        gt=0,
        le=24 * 365,
    )
    retain_diagnoses_days: float = env(
        "KUBEMEDIC_RETAIN_DIAGNOSES_DAYS",
        30.0,
        "days diagnoses, their feedback votes and match statistics are kept (default 30; "
        "`kubemedic stats` covers this window)",
        gt=0,
        le=3650,
    )
    retain_messages_days: float = env(
        "KUBEMEDIC_RETAIN_MESSAGES_DAYS",
        30.0,
        "days incident-channel messages are kept, and summaries not updated (default 30)",
        gt=0,
        le=3650,
    )
    retain_audit_days: float = env(
        "KUBEMEDIC_RETAIN_AUDIT_DAYS",
        365.0,
        "days the remediation audit log is kept (default 365, the longest)",
        gt=0,
        le=3650,
    )

    def data_dir(self) -> Path:
        """The per-user data directory: $XDG_DATA_HOME/kubemedic (~/.local/share/kubemedic)."""
        return (self.xdg_data_home or Path(os.path.expanduser("~/.local/share"))) / "kubemedic"

    def default_database(self) -> Path | None:
        """The SQLite file of the default database, None when KUBEMEDIC_DATABASE_URL is set."""
        path = self.data_dir() / "kubemedic.db"
        return path if self.database_url == f"sqlite+aiosqlite:///{path}" else None


class RemediationSettings(_Group):
    """Who may press remediation buttons, on what, and how."""

    admins: CommaList = Field(
        default_factory=list,
        alias="KUBEMEDIC_ADMINS",
        description="Slack user ids allowed to press remediation buttons (comma-separated)",
    )
    namespaces: CommaList = Field(
        default_factory=list,
        alias="KUBEMEDIC_NAMESPACES",
        description="namespaces remediation may touch and `kubemedic mcp` may read (empty = all)",
    )
    dry_run: bool = env(
        "KUBEMEDIC_DRY_RUN", False, "`true`: every remediation stops after the server-side dry run"
    )
    action_ttl_minutes: int = env(
        "KUBEMEDIC_ACTION_TTL_MINUTES",
        30,
        "how long a remediation button stays valid (default 30)",
        ge=1,
        le=7 * 24 * 60,
    )
    signing_key: SecretStr | None = env(
        "KUBEMEDIC_SIGNING_KEY",
        None,
        "master key that signs buttons and Mattermost states: only what `kubemedic keygen` "
        "prints (32 random bytes, checksummed; anything else is refused); blank counts as unset (default: "
        "a key the bot makes at its first start and keeps in its database)",
    )
    signing_key_previous: SecretStr | None = env(
        "KUBEMEDIC_SIGNING_KEY_PREVIOUS",
        None,
        "the key KUBEMEDIC_SIGNING_KEY replaced (from `kubemedic keygen` too): buttons and "
        "states it signed keep working until they expire; remove it after KUBEMEDIC_ACTION_TTL_MINUTES",
    )
    refusal_audit_window_minutes: float = env(
        "KUBEMEDIC_REFUSAL_AUDIT_WINDOW_MINUTES",
        10.0,
        "refused clicks are audited once per user, button and refusal reason in this window "
        "(default 10; 0 audits every refusal)",
        ge=0,
        le=24 * 60,
    )


class ReplySettings(_Group):
    """How often kubemedic speaks in a channel."""

    repeat_window_minutes: int = env(
        "KUBEMEDIC_REPEAT_WINDOW_MINUTES",
        60,
        "a repeat within this window updates the earlier reply (default 60)",
        ge=0,
    )
    channel_replies_per_minute: int = env(
        "KUBEMEDIC_CHANNEL_REPLIES_PER_MINUTE",
        6,
        "replies to pasted messages per channel per minute (default 6)",
        ge=1,
    )
    incident_channel_prefix: str = env(
        "KUBEMEDIC_INCIDENT_CHANNEL_PREFIX", "inc-", "incident channels (default `inc-`)"
    )
    summary_debounce_seconds: float = env(
        "KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS",
        5.0,
        "at most one summary update per this many seconds of activity (default 5)",
        ge=0,
    )


class WorkSettings(_Group):
    """Background work and its hand-over between replicas."""

    background_concurrency: int = env(
        "KUBEMEDIC_BACKGROUND_CONCURRENCY",
        4,
        "diagnoses and clicks worked on at once (default 4; acks never wait)",
        ge=1,
    )
    worker_processes: int = env(
        "KUBEMEDIC_WORKER_PROCESSES",
        1,
        "`kubemedic serve` processes in one replica (set it to the pod's cores): they share "
        "the HTTP port, the work queue (the database), the per-user and per-channel budgets, "
        "KUBEMEDIC_QUEUE_LIMIT's slots (any worker admits up to the replica's whole limit) and /metrics "
        "(default 1)",
        ge=1,
        le=64,
    )
    work_lease_seconds: float = env(
        "KUBEMEDIC_WORK_LEASE_SECONDS",
        15.0,
        "an acked request whose replica has not renewed its lease this long is taken over "
        "by another replica; leases are renewed every third of it, so a dead replica's work is answered "
        "within about 4/3 of it (default 15)",
        ge=1,
        le=3600,
    )
    text_cpu_seconds: float = env(
        "KUBEMEDIC_TEXT_CPU_SECONDS",
        TEXT_CPU_SECONDS,
        "CPU seconds redacting one pasted text may take, and again matching it; a text "
        "that costs more is answered `too costly to read` in one line and not read again (default 5)",
        gt=0,
        le=600,
    )


class StormSettings(_Group):
    """Storms: the bounded queue, per-user and per-channel limits, coalescing."""

    queue_limit: int = env(
        "KUBEMEDIC_QUEUE_LIMIT",
        200,
        "requests (commands, mentions, pasted messages) a replica works on at once; past it a "
        "request is acked all the same and waits in line for a slot (default 200)",
        ge=1,
        le=100_000,
    )
    admission_wait_seconds: float = env(
        "KUBEMEDIC_ADMISSION_WAIT_SECONDS",
        2.0,
        "until this many seconds after it arrived a request acked without a queue slot waits in "
        "line for one; then it is told `kubemedic is busy` (the ack never waits) (default 2)",
        ge=0,
        le=60,
    )
    user_requests_per_minute: int = env(
        "KUBEMEDIC_USER_REQUESTS_PER_MINUTE",
        20,
        "commands, mentions and pasted messages one user may make kubemedic work on per minute "
        "(a token bucket, bursts up to it); past it the user is told privately to slow down (default 20)",
        ge=1,
        le=100_000,
    )
    channel_requests_per_minute: int = env(
        "KUBEMEDIC_CHANNEL_REQUESTS_PER_MINUTE",
        60,
        "the same, per channel, all users together (default 60)",
        ge=1,
        le=100_000,
    )
    result_cache_seconds: float = env(
        "KUBEMEDIC_RESULT_CACHE_SECONDS",
        20.0,
        "an identical diagnosis (same cluster, kind and target, or the same pasted text) asked "
        "again this soon is answered from the first, saying how old its evidence is; identical asks in "
        "flight always share one run (default 20; 0 = no cache)",
        ge=0,
        le=3600,
    )


class LogSettings(_Group):
    """`serve`'s log lines."""

    log_format: Literal["auto", "json", "text"] = env(
        "KUBEMEDIC_LOG_FORMAT",
        "auto",
        "`json`, `text`, or `auto` (JSON unless stderr is a terminal; `serve` only — other "
        "commands use `text` unless `json` is asked for) (default `auto`)",
    )
    log_level: Annotated[LogLevel | None, BeforeValidator(_upper)] = env(
        "KUBEMEDIC_LOG_LEVEL",
        None,
        "`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL` (any case) (default `INFO` for "
        "`serve`, `WARNING` otherwise)",
    )


class AlertSettings(_Group):
    """Alerts (Alertmanager receiver) and the cluster watcher."""

    alertmanager_token: SecretStr | None = env(
        "KUBEMEDIC_ALERTMANAGER_TOKEN",
        None,
        "bearer token Alertmanager must send to POST /alertmanager (unset: the receiver is off)",
    )
    alert_channel: str | None = env(
        "KUBEMEDIC_ALERT_CHANNEL",
        None,
        "default Slack channel id for alert and watcher posts (a routing file may override it)",
    )
    watch: bool = env(
        "KUBEMEDIC_WATCH",
        False,
        "`true`: the opt-in cluster watcher runs (needs deploy/components/watch)",
    )
    routing_file: Path | None = env(
        "KUBEMEDIC_ROUTING_FILE",
        None,
        "YAML routing file: rules -> channel and mention, allow/deny lists (checked at start-up)",
    )
    unmapped_alerts: Literal["post", "skip"] = env(
        "KUBEMEDIC_UNMAPPED_ALERTS",
        "post",
        "an alert no catalog entry explains: `post` a short notice (default) or `skip` it",
    )
    alert_post_interval_seconds: float = env(
        "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS",
        1.0,
        "least seconds between two alert/watcher messages in one channel (default 1, Slack's "
        "rate for posting)",
        ge=0.0,
        le=60,
    )
    alert_edit_interval_seconds: float = env(
        "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS",
        10.0,
        "least seconds between two edits of one alert/watcher message; changes in between "
        "are shown together (default 10)",
        ge=0.0,
        le=3600,
    )
    alert_cooldown_minutes: float = env(
        "KUBEMEDIC_ALERT_COOLDOWN_MINUTES",
        30.0,
        "a problem that fires again this soon after it resolved reopens its message instead "
        "of posting a new one (default 30)",
        ge=0.0,
    )
    watch_pending_seconds: float = env(
        "KUBEMEDIC_WATCH_PENDING_SECONDS",
        300.0,
        "the watcher reports a pod Pending longer than this (default 300)",
        ge=0.0,
    )
    watch_node_seconds: float = env(
        "KUBEMEDIC_WATCH_NODE_SECONDS",
        120.0,
        "the watcher reports a node NotReady or under pressure longer than this (default 120)",
        ge=0.0,
    )
    leader_lease_seconds: float = env(
        "KUBEMEDIC_LEADER_LEASE_SECONDS",
        15.0,
        "one replica watches and posts alerts; another takes over this long after it "
        "stops renewing (default 15)",
        ge=1.0,
        le=600,
    )

    @property
    def alertmanager_bearer(self) -> str | None:
        """The token without the whitespace around it (a Secret made from a file ends in a newline,
        which Alertmanager's header never carries); None when unset or blank."""
        if self.alertmanager_token is None:
            return None
        return self.alertmanager_token.get_secret_value().strip() or None


def _stripped(value: object) -> object:
    """A secret without the whitespace around it (a Secret made from a file ends in a newline);
    blank stays blank (not unset), so doctor can say it was left blank."""
    return value.strip() if isinstance(value, str) else value


def _http_url(value: object) -> object:
    """Blank is unset; anything else must be an http(s) URL (checked at start-up, not at the first ask)."""
    if isinstance(value, str):
        value = value.strip() or None
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
    return value


class AgentSettings(_Group):
    """Agents: the MCP server (`kubemedic mcp`) and the hand-off to an agent endpoint."""

    mcp_token: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_MCP_TOKEN",
        None,
        "bearer token MCP clients must send to `kubemedic mcp --http` (required "
        "there, and blank counts as unset; whitespace around it is dropped; stdio needs none)",
    )
    mcp_host: str = env(
        "KUBEMEDIC_MCP_HOST",
        "127.0.0.1",
        "address `kubemedic mcp --http` listens on unless `--host` names one (default "
        "127.0.0.1: this machine only); another is reported by `kubemedic doctor`",
    )
    mcp_allowed_hosts: CommaList = Field(
        default_factory=list,
        alias="KUBEMEDIC_MCP_ALLOWED_HOSTS",
        description="comma-separated names MCP clients reach `kubemedic mcp --http` by (the Host "
        "and Origin they send), besides loopback and the listening address, e.g. a Service's DNS "
        "name",
    )

    @property
    def mcp_bearer(self) -> str | None:
        """The MCP token; None when unset or blank (`kubemedic mcp --http` refuses to start)."""
        return (self.mcp_token.get_secret_value() or None) if self.mcp_token is not None else None

    handoff_url: Annotated[str | None, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_HANDOFF_URL",
        None,
        "agent endpoint a direct ask without an answer is forwarded to as a JSON POST "
        "(docs/mcp.md; unset: off, the default)",
    )
    handoff_name: str = env(
        "KUBEMEDIC_HANDOFF_NAME",
        "",
        "the agent's name in the thread, e.g. `HolmesGPT` (default: the URL's host)",
    )
    handoff_token: SecretStr | None = env(
        "KUBEMEDIC_HANDOFF_TOKEN", None, "bearer token sent to the agent endpoint, if it wants one"
    )
    handoff_timeout_seconds: float = env(
        "KUBEMEDIC_HANDOFF_TIMEOUT_SECONDS",
        120.0,
        "seconds the agent has to answer before the thread is told it did not (default 120)",
        gt=0,
        le=900,
    )
    handoff_concurrency: int = env(
        "KUBEMEDIC_HANDOFF_CONCURRENCY",
        8,
        "hand-offs waiting on the agent at once, in a pool of their own (no diagnosis "
        "waits behind them; more wait their turn; default 8)",
        ge=1,
        le=100,
    )
    handoff_per_user: int = env(
        "KUBEMEDIC_HANDOFF_PER_USER",
        2,
        "hand-offs one person may have with the agent at once; one more is not sent "
        "and they are told why (default 2)",
        ge=1,
        le=100,
    )


class ChatSettings(_Group):
    """Chats other than Slack: Mattermost (`serve --mattermost`), Microsoft Teams (posts; the bot: `serve --teams`)."""

    mattermost_url: Annotated[str | None, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_MATTERMOST_URL",
        None,
        "the Mattermost server's base URL, e.g. `https://chat.example.com` (`serve --mattermost`)",
    )
    mattermost_token: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_MATTERMOST_TOKEN",
        None,
        "the Mattermost bot account's access token (whitespace around it is dropped)",
    )
    mattermost_command_token: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_MATTERMOST_COMMAND_TOKEN",
        None,
        "the token of the `/diagnose` slash command Mattermost sends (unset: POST "
        "/mattermost/command is off; whitespace around it is dropped: a Secret made from a file "
        "ends in a newline Mattermost never sends)",
    )
    mattermost_callback_url: Annotated[str | None, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_MATTERMOST_CALLBACK_URL",
        None,
        "the bot's base URL as the Mattermost server reaches it, for button clicks and dialogs "
        "(default KUBEMEDIC_PUBLIC_URL; unset: answers carry no buttons); a cluster-internal address needs "
        "Mattermost's `ServiceSettings.AllowedUntrustedInternalConnections`",
    )
    teams_webhook_url: SecretStr | None = env(
        "KUBEMEDIC_TEAMS_WEBHOOK_URL",
        None,
        "a Teams Workflows webhook: alerts, watcher posts and incident summaries are also posted "
        "there as Adaptive Cards (a secret: the URL carries its signature)",
    )


def _incident_fields(value: object) -> object:
    """ "cluster=k8s.cluster,namespace=ns" -> {"cluster": "k8s.cluster", "namespace": "ns"}."""
    if not isinstance(value, str):
        return value
    fields: dict[str, str] = {}
    for pair in _comma_list(value):
        label, sep, path = (piece.strip() for piece in pair.partition("="))
        if not sep or not label or not path or not label.replace("_", "").isalnum():
            raise ValueError(f"{pair!r} is not label=path (e.g. cluster=k8s.cluster)")
        fields[label] = path
    return fields


class IncidentSettings(_Group):
    """Incident tools: pages from PagerDuty, Opsgenie and JSM, notes back to them, outbound calls."""

    pagerduty_webhook_secret: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET",
        None,
        "the v3 webhook subscription's signing secret: POST /incidents/pagerduty checks "
        "`X-PagerDuty-Signature` with it (unset: the route is off)",
    )
    pagerduty_token: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_PAGERDUTY_TOKEN",
        None,
        "a PagerDuty REST API key: reads an incident's custom details and writes the "
        "diagnosis as a note on it (unset: pages are diagnosed from what the webhook says, no note)",
    )
    pagerduty_from: str | None = env(
        "KUBEMEDIC_PAGERDUTY_FROM",
        None,
        "the email of the PagerDuty user notes are written as (the `From` header an "
        "account-level API key needs)",
    )
    pagerduty_api_url: Annotated[str, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_PAGERDUTY_API_URL",
        "https://api.pagerduty.com",
        "PagerDuty's REST API base URL (default `https://api.pagerduty.com`; tests)",
    )
    opsgenie_webhook_secret: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET",
        None,
        "the secret Opsgenie's webhook integration sends as the custom header "
        "`Authorization: Bearer <secret>` to POST /incidents/opsgenie (unset: the route is off)",
    )
    opsgenie_api_key: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_OPSGENIE_API_KEY",
        None,
        "an Opsgenie API integration's key (`GenieKey`): the diagnosis is written as a "
        "note on the alert (unset: no note)",
    )
    opsgenie_api_url: Annotated[str, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_OPSGENIE_API_URL",
        "https://api.opsgenie.com",
        "Opsgenie's API base URL (default `https://api.opsgenie.com`; EU accounts: "
        "`https://api.eu.opsgenie.com`; tests)",
    )
    jsm_webhook_secret: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_JSM_WEBHOOK_SECRET",
        None,
        "the secret Jira Service Management's outgoing webhook integration sends as "
        "the custom header `Authorization: Bearer <secret>` to POST /incidents/jsm (unset: the "
        "route is off)",
    )
    jsm_api_token: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_JSM_API_TOKEN",
        None,
        "an Atlassian API token (with KUBEMEDIC_JSM_EMAIL) or OAuth 2.0 access token "
        "(without it): the diagnosis is written as a note on the alert (unset: no note)",
    )
    jsm_email: str | None = env(
        "KUBEMEDIC_JSM_EMAIL",
        None,
        "the Atlassian account of KUBEMEDIC_JSM_API_TOKEN (basic auth; unset: the "
        "token is sent as a Bearer token)",
    )
    jsm_api_url: Annotated[str | None, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_JSM_API_URL",
        None,
        "Jira Service Management's operations API base URL, with your site's cloud "
        "id: `https://api.atlassian.com/jsm/ops/api/<cloudId>`",
    )
    incident_fields: Annotated[dict[str, str], NoDecode, BeforeValidator(_incident_fields)] = Field(
        default_factory=dict,
        alias="KUBEMEDIC_INCIDENT_FIELDS",
        description="where a page's labels are in its custom details, `label=path` pairs "
        "(`cluster=k8s.cluster,namespace=ns`); a label not named is read from the details' key of "
        "its name, then from the Alertmanager labels the page carries (docs/incidents.md)",
    )
    incident_max_age_minutes: float = env(
        "KUBEMEDIC_INCIDENT_MAX_AGE_MINUTES",
        60.0,
        "a page older than this is refused as a replay (default 60; PagerDuty: 48 h)",
        gt=0,
        le=24 * 60,
    )
    incident_note_wait_seconds: float = env(
        "KUBEMEDIC_INCIDENT_NOTE_WAIT_SECONDS",
        60.0,
        "how long a note waits for its chat message to be posted, so it can carry the "
        "thread's address; then it is written without (default 60)",
        ge=0,
        le=3600,
    )
    jira_url: Annotated[str | None, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_JIRA_URL",
        None,
        "the Jira site, e.g. `https://acme.atlassian.net` (Cloud) or `https://jira.example.com` "
        "(Server/Data Center): `/diagnose ... --ticket` and the Ticket buttons file one issue per problem "
        "(unset: no tickets)",
    )
    jira_api_url: Annotated[str | None, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_JIRA_API_URL",
        None,
        "Jira's REST API base URL when it differs from KUBEMEDIC_JIRA_URL (tests)",
    )
    jira_token: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_JIRA_TOKEN",
        None,
        "a Jira Cloud API token (with KUBEMEDIC_JIRA_EMAIL: basic auth) or a Server/Data "
        "Center personal access token (alone: bearer auth)",
    )
    jira_email: str | None = env(
        "KUBEMEDIC_JIRA_EMAIL",
        None,
        "the Atlassian account the Cloud API token belongs to (unset: the token is a "
        "Server/Data Center personal access token)",
    )
    jira_project: str | None = env(
        "KUBEMEDIC_JIRA_PROJECT", None, "the key of the project issues are filed in, e.g. `OPS`"
    )
    jira_api_version: Literal["2", "3"] = env(
        "KUBEMEDIC_JIRA_API_VERSION",
        "3",
        "`3` (Jira Cloud: descriptions in Atlassian Document Format) or `2` (Server/Data "
        "Center: wiki text) (default 3)",
    )
    jira_issue_type: str = env(
        "KUBEMEDIC_JIRA_ISSUE_TYPE", "Task", "the issue type filed (default `Task`)", min_length=1
    )

    @property
    def jira_ready(self) -> bool:
        """Jira's site, token and project are all set: tickets are on."""
        token = self.jira_token.get_secret_value() if self.jira_token is not None else ""
        return bool(self.jira_url and token and (self.jira_project or "").strip())

    outbound_attempts: int = env(
        "KUBEMEDIC_OUTBOUND_ATTEMPTS",
        3,
        "tries of one call to PagerDuty, Opsgenie, Jira or the Bot Framework before it "
        "waits for a later round (default 3; back-off 0.5 s, 1 s, ... honouring Retry-After)",
        ge=1,
        le=10,
    )
    outbound_breaker_failures: int = env(
        "KUBEMEDIC_OUTBOUND_BREAKER_FAILURES",
        5,
        "failed calls in a row after which a call's circuit breaker opens (default 5)",
        ge=1,
        le=100,
    )
    outbound_breaker_seconds: float = env(
        "KUBEMEDIC_OUTBOUND_BREAKER_SECONDS",
        30.0,
        "seconds an open breaker refuses its call before letting one through (default 30)",
        gt=0,
        le=3600,
    )

    teams_app_id: str | None = env(
        "KUBEMEDIC_TEAMS_APP_ID",
        None,
        "the Teams bot's Microsoft app id (its Azure Bot registration): `serve --teams` "
        "takes Bot Framework activities at POST /teams/messages, tokens checked for this audience",
    )
    teams_app_password: Annotated[SecretStr | None, BeforeValidator(_stripped)] = env(
        "KUBEMEDIC_TEAMS_APP_PASSWORD",
        None,
        "the bot's client secret: it gets the tokens it replies with",
    )
    teams_tenant_ids: CommaList = Field(
        default_factory=list,
        alias="KUBEMEDIC_TEAMS_TENANT_IDS",
        description="the Microsoft 365 tenants whose activities the Teams bot answers "
        "(comma-separated; unset: KUBEMEDIC_TEAMS_TENANT_ID's alone); any other tenant's "
        "activity is refused and logged, never answered",
    )
    teams_tenant_id: str | None = env(
        "KUBEMEDIC_TEAMS_TENANT_ID",
        None,
        "a single-tenant bot's tenant id (unset: a multi-tenant bot, tokens from "
        "`botframework.com`)",
    )
    teams_openid_url: Annotated[str, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_TEAMS_OPENID_URL",
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
        "the Bot Framework's OpenID metadata, whose keys sign activities (default "
        "`https://login.botframework.com/v1/.well-known/openidconfiguration`; tests)",
    )
    teams_token_url: Annotated[str | None, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_TEAMS_TOKEN_URL",
        None,
        "where the bot gets its tokens (default `https://login.microsoftonline.com/"
        "<KUBEMEDIC_TEAMS_TENANT_ID or botframework.com>/oauth2/v2.0/token`; tests)",
    )
    teams_service_url: Annotated[str, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_TEAMS_SERVICE_URL",
        "https://smba.trafficmanager.net/teams/",
        "the Bot Framework service alert messages go through before the bot has heard "
        "from their channel (default `https://smba.trafficmanager.net/teams/`)",
    )

    teams_graph: bool = Field(
        default=False,
        alias="KUBEMEDIC_TEAMS_GRAPH",
        description="the Teams bot reads its channels' history through Microsoft Graph (the app's "
        "RSC permission ChannelMessage.Read.Group, or ChannelMessage.Read.All): incident summaries "
        "from the channel's history, and a post in doubt after a crash found, not posted again. "
        "Needs KUBEMEDIC_TEAMS_TENANT_ID and KUBEMEDIC_TEAMS_TEAM_ID (default false: summaries "
        "from what the bot saw, a post in doubt posted again)",
    )
    teams_graph_api_url: Annotated[str, BeforeValidator(_http_url)] = Field(
        default="https://graph.microsoft.com/v1.0",
        alias="KUBEMEDIC_TEAMS_GRAPH_API_URL",
        description="Microsoft Graph's base URL (default `https://graph.microsoft.com/v1.0`; tests)",
    )
    teams_team_id: str | None = Field(
        default=None,
        alias="KUBEMEDIC_TEAMS_TEAM_ID",
        description="the team (its Microsoft 365 group id) whose channels Graph reads",
    )

    @property
    def teams_tenants(self) -> tuple[str, ...]:
        """The tenants answered (lower case): the list, else the bot's own tenant."""
        named = self.teams_tenant_ids or [self.teams_tenant_id or ""]
        return tuple(dict.fromkeys(t.strip().lower() for t in named if t.strip()))

    @property
    def teams_token_endpoint(self) -> str:
        """Where the bot's tokens come from."""
        tenant = (self.teams_tenant_id or "").strip() or "botframework.com"
        return self.teams_token_url or (
            f"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
        )


def _channel_map(value: object) -> object:
    """ "C0123=prod,C0456=staging" -> {"C0123": "prod", "C0456": "staging"}."""
    if not isinstance(value, str):
        return value
    pairs = [part.partition("=") for part in _comma_list(value)]
    if any(not key.strip() or not sep or not name.strip() for key, sep, name in pairs):
        raise ValueError(
            "must be CHANNEL=CLUSTER pairs separated by commas, e.g. C0123=prod,C0456=staging"
        )
    return {key.strip(): name.strip() for key, _, name in pairs}


class FleetSettings(_Group):
    """The fleet: a hub in chat (`serve --hub`) and an agent in each cluster (`kubemedic agent`)."""

    hub_url: Annotated[str | None, BeforeValidator(_http_url)] = env(
        "KUBEMEDIC_HUB_URL",
        None,
        "the agent: the hub's base URL it dials out to, e.g. `https://kubemedic.example.com` "
        "(https required, except on loopback)",
    )
    agent_token: SecretStr | None = env(
        "KUBEMEDIC_AGENT_TOKEN",
        None,
        "the agent: its token, from `kubemedic fleet token issue CLUSTER` on the hub",
    )
    hub_ca_file: Path | None = env(
        "KUBEMEDIC_HUB_CA_FILE",
        None,
        "the agent: a CA bundle to trust for the hub's certificate (default: the system's)",
    )
    agent_key_file: Path | None = env(
        "KUBEMEDIC_AGENT_KEY_FILE",
        None,
        "the agent: the key its token is bound to (the chart mounts it from the agent's Secret, "
        "made by `fleet token issue --secret`; a plain process makes it with `kubemedic agent --public-key`, "
        "mode 0600); a copy of the token without it is refused; keep it across restarts (unset: only an "
        "`--unbound` token connects)",
    )
    agent_status_file: Path = env(
        "KUBEMEDIC_AGENT_STATUS_FILE",
        Path("/tmp/kubemedic-agent.status"),
        "the agent: the file its loop touches while it runs, read by `kubemedic agent --alive` "
        "(the liveness probe; the agent opens no port)",
    )
    channel_clusters: Annotated[dict[str, str], NoDecode, BeforeValidator(_channel_map)] = Field(
        default_factory=dict,
        alias="KUBEMEDIC_CHANNEL_CLUSTERS",
        description="the hub: each channel's default cluster, `C0123=prod,C0456=staging` (a request naming "
        "none goes there)",
    )
    fleet_accept_seconds: float = env(
        "KUBEMEDIC_FLEET_ACCEPT_SECONDS",
        2.5,
        "the hub: seconds an agent has to take a request before the asker is told its cluster "
        "is unreachable (default 2.5, inside Slack's 3 s; an agent moving from a draining replica, or "
        "back moments ago, is waited for: docs/fleet.md)",
        gt=0,
        le=30,
    )
    fleet_answer_seconds: float = env(
        "KUBEMEDIC_FLEET_ANSWER_SECONDS",
        60.0,
        "the hub: seconds a request an agent took may take, across the agent dropping and "
        "coming back, before the asker is told it was not answered (default 60)",
        gt=0,
        le=1800,
    )
    fleet_incident_window_minutes: float = env(
        "KUBEMEDIC_FLEET_INCIDENT_WINDOW_MINUTES",
        30.0,
        "the hub: the same failure (catalog entry and workload) reported by another cluster "
        "while a fleet-wide incident fires, or this soon after it resolved, joins its thread (default 30)",
        ge=0,
        le=7 * 24 * 60,
    )
    identity_file: Path | None = env(
        "KUBEMEDIC_IDENTITY_FILE",
        None,
        "the hub: YAML mapping chat users to the Kubernetes user and groups their agents' reads "
        'and writes impersonate (docs/fleet.md, "Per-user identity"; unset: the agents\' own identity)',
    )
    agent_remediation: bool = env(
        "KUBEMEDIC_AGENT_REMEDIATION",
        False,
        "the agent: `true` carries out the remediation clicks the hub sends (needs the agent's "
        "write Role: the chart's agent.remediation.enabled, or deploy/components/agent-remediation; and "
        "the hub's opt-in: its token issued with `--remediation`)",
    )


class Settings(
    BaseSettings,
    SlackSettings,
    CatalogSettings,
    ClusterSettings,
    StorageSettings,
    RemediationSettings,
    ReplySettings,
    WorkSettings,
    StormSettings,
    LogSettings,
    AlertSettings,
    AgentSettings,
    ChatSettings,
    IncidentSettings,
    FleetSettings,
):
    """kubemedic settings: every group's fields, read from their environment variables (values
    given to the constructor win)."""

    # populate_by_name off: only each field's own variable (KUBEMEDIC_ADMINS) is read, never a bare
    # field name (ADMINS, DRY_RUN) some other program set in the same environment
    model_config = SettingsConfigDict(
        env_prefix="", extra="ignore", populate_by_name=False, validate_default=True
    )

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "alertmanager_token",
        "mattermost_token",
        "mattermost_command_token",
        "teams_webhook_url",
        "agent_token",
        "signing_key",
        "signing_key_previous",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """An empty variable (a Secret key left blank) counts as unset, so the mode is chosen right."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url.strip():
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir() / 'kubemedic.db'}"
        return self


GROUPS: tuple[type[BaseModel], ...] = Settings.__bases__[1:]
"""The settings' groups, in the order the docs show them."""


def settings_table() -> str:
    """The configuration table of docs/configuration.md: one section per group, one row per variable."""
    lines = ["| variable | meaning |", "|---|---|"]
    for group in GROUPS:
        lines.append(f"| **{(group.__doc__ or group.__name__).strip().rstrip('.')}** | |")
        lines += [
            f"| `{field.alias}` | {field.description} |" for field in group.model_fields.values()
        ]
    return "\n".join(lines)
