"""The incident catalog's schema.

The catalog is data, not code: one YAML file per entry, validated here with
models that forbid unknown keys, so a typo in a user's catalog is reported
instead of silently ignored.  Evidence rules and remediation actions are
declared here too; the cluster and Slack layers interpret them.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from intents.regex_safety import check_pattern

ENTRY_ID = r"^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$"

ACTION_KINDS = (
    "delete-pod",
    "rollout-restart",
    "cordon-node",
    "uncordon-node",
    "annotate-debug",
    "delete-pvc-and-pod",
    "scale-deployment",
    "delete-apiservice",
)
"""Remediation kinds the bot knows how to perform; anything else is rejected."""

_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/\S*)?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Strict):
    """A document behind the entry: an issue, a doc page, a PR."""

    url: str
    title: str = Field(min_length=1)

    @field_validator("url")
    @classmethod
    def _absolute_http_url(cls, url: str) -> str:
        if not _URL.match(url):
            raise ValueError(f"malformed link {url!r}: expected an absolute http(s) URL")
        return url


class FixStep(_Strict):
    """One step of the fix; `command` and `config` hold exact text to copy."""

    text: str = Field(min_length=1)
    command: str | None = None
    config: str | None = None


class EvidenceRule(_Strict):
    """A fact the cluster can show that confirms the entry.

    Every field that is set must hold for the rule to match (logical AND);
    `describe` is the sentence shown to the user when it does.
    """

    describe: str = Field(min_length=1)
    container_reason: str | None = None
    exit_code: int | None = None
    min_restarts: int | None = None
    pod_phase: str | None = None
    pod_reason: str | None = None
    event_reason: str | None = None
    event_message: str | None = None
    log_pattern: str | None = None
    previous_log: bool = False
    node_condition: str | None = Field(default=None, pattern=r"^[A-Za-z]+=(True|False|Unknown)$")
    node_taint: str | None = None
    pvc_phase: str | None = None
    storageclass_missing: bool | None = None
    owner_kind: str | None = None
    endpoints_empty: bool | None = None
    container_name: str | None = None
    container_message: str | None = Field(
        default=None, description="Regex on a container's waiting/terminated message."
    )
    pod_message: str | None = Field(
        default=None, description="Regex on the pod's status message or a condition message."
    )
    owner_condition_reason: str | None = Field(
        default=None, description="Reason of a condition on an owner (e.g. ProgressDeadlineExceeded)."
    )
    node_pods_full: bool | None = Field(
        default=None, description="The node runs as many pods as its allocatable 'pods'."
    )

    @field_validator("event_message", "log_pattern", "container_message", "pod_message")
    @classmethod
    def _safe_regex(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            check_pattern(pattern)
        return pattern

    @model_validator(mode="after")
    def _has_predicate(self) -> EvidenceRule:
        predicates = self.model_dump(exclude={"describe", "previous_log"}, exclude_none=True)
        if not predicates:
            raise ValueError("evidence rule has no predicate besides 'describe'")
        return self


class RemediationAction(_Strict):
    """A one-click fix the bot may offer when the evidence fits."""

    kind: str
    label: str = Field(min_length=1, max_length=75)
    when: str | None = Field(default=None, description="Extra condition, e.g. 'owner=Deployment'.")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in ACTION_KINDS:
            raise ValueError(f"unknown action kind {kind!r}; known: {', '.join(ACTION_KINDS)}")
        return kind


NonEmptyText = Annotated[str, Field(min_length=1)]


class CatalogEntry(_Strict):
    """One known incident: how it looks, why it happens, how to fix it."""

    id: str = Field(pattern=ENTRY_ID)
    title: NonEmptyText
    summary: NonEmptyText
    symptoms: list[NonEmptyText] = Field(min_length=1)
    patterns: list[NonEmptyText] = Field(default_factory=list)
    root_cause: NonEmptyText
    fix: list[FixStep] = Field(min_length=1)
    links: list[Link] = Field(min_length=1)
    sources: list[NonEmptyText] = Field(min_length=1)
    tags: list[NonEmptyText] = Field(default_factory=list)
    fallback: bool = Field(
        default=False, description="A catch-all that loses ties to any specific entry."
    )
    evidence: list[EvidenceRule] = Field(default_factory=list)
    remediation: list[RemediationAction] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _safe_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            check_pattern(pattern)
        return patterns

    @field_validator("symptoms")
    @classmethod
    def _distinct_symptoms(cls, symptoms: list[str]) -> list[str]:
        seen = {s.strip().lower() for s in symptoms}
        if len(seen) != len(symptoms):
            raise ValueError("symptoms contain duplicates")
        return symptoms


Confidence = Literal["high", "medium", "low"]
