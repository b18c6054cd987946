"""The diagnosis as an agent reads it: typed, self-describing, redacted.

The MCP tools (`kubemedic mcp`) return these models, so their JSON schemas are
the tools' output schemas; the hand-off to an agent endpoint
(`bot.answering.handoff`) sends the same candidates. An answer and an abstain
are both explicit: `outcome` says which, and an abstain names its reason.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Confidence = Literal["high", "medium", "low"]
Verdict = Literal["confirmed", "refuted", "unknown"]
Outcome = Literal["answer", "abstain", "healthy"]
AbstainReason = Literal["no entry matched", "candidates too close"]


class _View(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class WhyStep(_View):
    """One step of the decision's trace."""

    rule: str = Field(description="the rule that acted")
    effect: str = Field(description="what it did to this candidate")


class FixStep(_View):
    text: str
    command: str | None = Field(default=None, description="exact command to run, if any")
    config: str | None = Field(default=None, description="exact configuration to apply, if any")


class Link(_View):
    url: str
    title: str


class MatchedLine(_View):
    line: str = Field(description="the piece of the text that matched")
    symptom: str = Field(
        description="what it matched: a symptom line, a regex, or a message format"
    )
    score: float
    kind: str | None = Field(
        default=None, description="how it matched: grammar, wrapper, regex, fuzzy, ..."
    )


class Candidate(_View):
    """A catalog entry considered for the text or the object, with the verdict of the evidence."""

    id: str = Field(description="a catalog id (as `kubemedic catalog list` prints them)")
    title: str
    summary: str
    confidence: Confidence
    score: float = Field(description="0..1; high and medium confidence are answers")
    root_cause: str
    fix: list[FixStep]
    links: list[Link]
    verdict: Verdict = Field(
        description="confirmed: facts read (cluster or pasted kubectl output) show it; "
        "refuted: the cluster was read in full and none of its evidence rules held; "
        "unknown: nothing read could tell"
    )
    evidence: list[str] = Field(description="the facts that confirm it")
    matched: list[MatchedLine]
    because: list[str] = Field(description="ids of the causes that explain this symptom")
    why: list[WhyStep] = Field(description="the decision's trace for this candidate")
    standing: str = Field(description="why it is the answer, or why it lost")
    origin: str | None = Field(
        default=None,
        description="where the entry comes from when not kubemedic's core catalog: "
        "'pack NAME' (a built-in pack), 'team pack NAME' or 'team catalog' (KUBEMEDIC_CATALOG_DIRS)",
    )


class Abstain(_View):
    """No answer, said so: why, in a fixed reason and in words."""

    reason: AbstainReason
    detail: str


class Answered(_View):
    """An answer or an explicit abstain (or, for healthy input, neither problem nor guess)."""

    outcome: Outcome = Field(description="answer, abstain (no answer, see `abstain`), or healthy")
    summary: str = Field(
        description="one line: the outcome, the answer's id and confidence or the abstain reason"
    )
    answer: Candidate | None = None
    runner_ups: list[Candidate] = Field(
        default_factory=list, description="the other candidates, best first"
    )
    abstain: Abstain | None = None
    notes: list[str] = Field(default_factory=list)


class MatchErrorResult(Answered):
    """What `match_error` returns for a pasted error text."""


class PodLine(_View):
    """One unhealthy pod of a namespace or node, with its top cause."""

    pod: str
    status: str
    diagnosed: bool = Field(description="false: listed by status only, not diagnosed in depth")
    cause: str | None
    confidence: Confidence | None
    evidence: list[str]
    unread: list[str] = Field(description="what could not be read for this pod")


class Suspect(_View):
    """An object that could cause the symptom (`kubemedic diagnose --json`'s `suspects` items)."""

    object: str = Field(
        description="what the user sees broken: service/NAME, deployment/NAME, node/NAME "
        "or namespace/NAME (a workload behind a Service is named by its Service)"
    )
    resource: str = Field(description="KIND/NAME of the exact object to change")
    id: str = Field(description="the catalog id naming the cause")
    title: str
    score: float
    confidence: Confidence
    why: list[str] = Field(description="why it ranks where it does")
    evidence: list[str] = Field(description="the facts read")
    chain: list[str] = Field(description="from the symptom to the cause, one step each")
    indirect: bool = Field(
        description="the state read shows only the cause's effects (network delay)"
    )
    fix: str = Field(description="the one fix, in the cluster's names")
    lower: str = Field(
        description="for every suspect after the first: why it ranks below the first"
    )


class DiagnoseResult(Answered):
    """What `diagnose` returns for a pod, a namespace, a Service or a node."""

    subject: str
    cluster: str | None
    pods: list[PodLine] = Field(default_factory=list)
    unread: list[str] = Field(
        default_factory=list, description="what could not be read (RBAC, timeouts)"
    )
    counts: dict[str, int] = Field(
        default_factory=dict, description="pods per status (namespace, node)"
    )
    suspects: list[Suspect] | None = Field(
        default=None,
        description="namespace or service: the objects that could cause the symptom, most "
        "likely first ([] when nothing explains it); a high or medium first one is also the `answer`",
    )


class CatalogEntryView(_View):
    """One catalog entry in full."""

    id: str
    title: str
    summary: str
    symptoms: list[str] = Field(description="lines as people paste them")
    root_cause: str
    fix: list[FixStep]
    links: list[Link]
    sources: list[str]
    tags: list[str]
    cluster_checks: list[str] = Field(
        description="the facts that confirm it when the cluster shows them"
    )


class SearchHit(_View):
    id: str
    title: str
    summary: str
    tags: list[str]
    score: float = Field(description="0..1 keyword similarity")


class CatalogSearchResult(_View):
    query: str
    hits: list[SearchHit]
