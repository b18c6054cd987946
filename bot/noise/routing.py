"""The routing file: which channel (and who to mention) for each alert or watcher finding.

YAML, path in KUBEMEDIC_ROUTING_FILE. Rules are tried in order and the
first whose `match` holds wins; otherwise the default channel (the file's
`default`, else KUBEMEDIC_ALERT_CHANNEL). `allow` and `deny` filter by
namespace and reason (alert name, watcher reason such as OOMKilled, or
catalog id) before any rule. Strings in `match`, `allow` and `deny` are
shell-style globs (`prod-*`). The file is validated at start-up and every
problem is named, like `kubemedic catalog check`.

    default: {channel: C0ALERTS}
    deny: {namespaces: [kube-system], reasons: [KubeCPUOvercommit]}
    rules:
      - match: {namespace: [payments, "payments-*"], severity: [critical]}
        channel: C0PAYMENTS
        mention: "<!subteam^S0PAYONCALL>"
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from bot.settings import Settings

CHANNEL = (
    r"^([CGD][A-Z0-9]{6,20}|[a-z0-9]{26}|#[a-z0-9][a-z0-9._-]{0,79}"
    r"|19:[A-Za-z0-9_-]{1,200}@thread\.(tacv2|skype))$"
)
"""A Slack channel id, a Mattermost channel id (26 lower-case letters and digits), a Slack #name
or a Teams channel's conversation id (`19:...@thread.tacv2`)."""
MENTION = r"^<(!subteam\^[A-Z0-9]{6,20}(\|[^<>|]{1,80})?|@[UW][A-Z0-9]{6,20}|!here|!channel)>$"
Source = Literal["alertmanager", "watch", "pagerduty", "opsgenie", "jsm"]
NO_DEFAULT = (
    "no default channel: set KUBEMEDIC_ALERT_CHANNEL or `default: {channel: C...}` in the "
    "routing file"
)


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


Globs = Annotated[list[Annotated[str, Field(min_length=1)]], BeforeValidator(_one_or_many)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _channel(value: str) -> str:
    if not re.fullmatch(CHANNEL, value):
        raise ValueError(
            f"{value!r} is not a Slack channel id (e.g. C0123ABCD), a Teams channel id "
            "(19:...@thread.tacv2), a Mattermost channel id "
            "(26 letters and digits) or #name"
        )
    return value


def _mention(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(MENTION, value):
        raise ValueError(
            f"{value!r} is not a Slack mention: <!subteam^S0123ABCD>, <@U0123ABCD>, "
            "<!here> or <!channel>"
        )
    return value


class Destination(_Strict):
    """Where a message goes: a channel id (or #name) and an optional mention."""

    channel: Annotated[str, AfterValidator(_channel)]
    mention: Annotated[str | None, AfterValidator(_mention)] = None


class Match(_Strict):
    """Conditions of a rule; every one given must hold (a list: any of its globs)."""

    source: Source | None = None
    cluster: Globs | None = None
    namespace: Globs | None = None
    catalog_id: Globs | None = None
    severity: Globs | None = None
    labels: dict[str, str] = Field(default_factory=dict)


class Rule(Destination):
    match: Match = Field(default_factory=Match)


class Filter(_Strict):
    namespaces: Globs = Field(default_factory=list)
    reasons: Globs = Field(default_factory=list)


class RoutingFile(_Strict):
    default: Destination | None = None
    allow: Filter = Field(default_factory=Filter)
    deny: Filter = Field(default_factory=Filter)
    rules: list[Rule] = Field(default_factory=list)


@dataclass(frozen=True)
class Facts:
    """What routing looks at, from an alert or a watcher finding."""

    source: Source
    cluster: str | None = None
    namespace: str | None = None
    catalog_id: str | None = None
    severity: str | None = None
    reasons: tuple[str, ...] = ()
    """Alert name, watcher reason (OOMKilled), catalog id: what allow/deny `reasons` match."""
    labels: Mapping[str, str] = field(default_factory=dict)
    workload: str | None = None
    """The failing workload's kind and name (`deployment api`), when the source knows it: with the
    catalog id, what makes one failure in several clusters one fleet-wide incident."""


class RoutingProblems(ValueError):
    """The routing file is unusable; `problems` names every problem."""

    def __init__(self, path: Path | None, problems: list[str]) -> None:
        where = f"{path}: " if path else ""
        super().__init__("; ".join(where + problem for problem in problems))
        self.problems = [where + problem for problem in problems]


class Routing:
    """Filters, rules and the default destination, ready to route."""

    def __init__(self, spec: RoutingFile, *, fallback_channel: str | None = None) -> None:
        self.spec = spec
        self.default = spec.default or (
            Destination(channel=fallback_channel) if fallback_channel else None
        )

    def refusal(self, facts: Facts) -> str | None:
        """Why `facts` must not be posted (deny/allow lists), or None."""
        return _denied(self.spec.deny, facts) or _not_allowed(self.spec.allow, facts)

    def destination(self, facts: Facts) -> Destination | None:
        """The first matching rule's destination, else the default (None: nowhere to post)."""
        for rule in self.spec.rules:
            if _matches(rule.match, facts):
                return Destination(channel=rule.channel, mention=rule.mention)
        return self.default


def _denied(deny: Filter, facts: Facts) -> str | None:
    if facts.namespace and _any(deny.namespaces, facts.namespace):
        return f"namespace {facts.namespace} is denied"
    if any(_any(deny.reasons, reason) for reason in facts.reasons):
        return "reason denied"
    return None


def _not_allowed(allow: Filter, facts: Facts) -> str | None:
    if allow.namespaces and not (facts.namespace and _any(allow.namespaces, facts.namespace)):
        return f"namespace {facts.namespace or '(none)'} is not allowed"
    if allow.reasons and not any(_any(allow.reasons, reason) for reason in facts.reasons):
        return "reason not allowed"
    return None


def _any(globs: Sequence[str] | None, value: str) -> bool:
    return any(fnmatchcase(value, glob) for glob in globs or ())


def _matches(match: Match, facts: Facts) -> bool:
    checks: list[tuple[Sequence[str] | None, str | None]] = [
        (match.cluster, facts.cluster),
        (match.namespace, facts.namespace),
        (match.catalog_id, facts.catalog_id),
        (match.severity, facts.severity),
    ]
    if match.source is not None and match.source != facts.source:
        return False
    if any(
        globs is not None and (value is None or not _any(globs, value)) for globs, value in checks
    ):
        return False
    return all(fnmatchcase(facts.labels.get(name, ""), glob) for name, glob in match.labels.items())


def load_routing(path: Path | None, *, fallback_channel: str | None) -> Routing:
    """The routing for these settings; RoutingProblems naming every problem."""
    if path is None:
        spec = RoutingFile()
    else:
        spec = _parse(path, _read(path))
    routing = Routing(spec, fallback_channel=fallback_channel)
    if routing.default is None:
        raise RoutingProblems(path, [NO_DEFAULT])
    return routing


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RoutingProblems(path, [f"cannot read: {exc}"]) from None
    except yaml.YAMLError as exc:
        raise RoutingProblems(path, [f"invalid YAML: {' '.join(str(exc).split())}"]) from None


def _parse(path: Path, document: Any) -> RoutingFile:
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise RoutingProblems(path, ["expected a mapping with default, allow, deny, rules"])
    try:
        return RoutingFile.model_validate(document)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "file"
            problems.append(f"{where}: {str(error['msg']).removeprefix('Value error, ')}")
        raise RoutingProblems(path, problems) from None


RECEIVER_OFF_FIX = (
    "set KUBEMEDIC_ALERT_CHANNEL (the chart's alertmanager.channel) or a routing file "
    "(KUBEMEDIC_ROUTING_FILE), or delete Secret kubemedic-alertmanager if you don't use Alertmanager"
)


def has_channel(settings: Settings) -> bool:
    """A routing file or a default channel: somewhere to post alerts and watcher findings."""
    return settings.routing_file is not None or bool((settings.alert_channel or "").strip())


def receiver_off(settings: Settings) -> str | None:
    """Why the Alertmanager receiver stays off although its token is set, else None.

    The token's Secret is optional in every install (deploy/, the chart), so its presence
    alone must not stop the bot: with no routing file, no KUBEMEDIC_ALERT_CHANNEL and the
    watcher off, alerts would have nowhere to go, so the bot starts without the receiver,
    says so once in its log, answers POST /alertmanager 503 naming the fix, and doctor
    fails the line. A routing file, or the watcher (switched on by hand), is still checked
    in full at start-up."""
    if settings.alertmanager_token is None or settings.watch:
        return None
    if has_channel(settings):
        return None
    return "no default channel for the alerts"
