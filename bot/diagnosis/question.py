"""One question, one answer: every door asks it here and gets the same `Diagnosis`.

A question is a recording (a live cluster, a folder of kubectl outputs, a dump, an agent's own
cluster: a `ClusterReader`; or a pasted text) and a focus (a pod, a Service, a namespace, a
workload, a claim, a node: what a slash command, the CLI, MCP, an alert's labels, a page or the
watcher names). Its one clock is the recording's (`judged_at`: a recording's own moment, a live
cluster's now). Chat, `/diagnose`, the CLI, Alertmanager, PagerDuty, Opsgenie, the watcher, MCP
and a fleet's agents all call `answer`, so the same question gets the same first suspect, cause
and first fix step whichever door asked it; each door only renders it.

- A pod is judged by its own facts, then, when it is healthy or its cause is one a dependency
  can explain, the chain below it is walked and the culprit leads (bot/diagnosis/pod_culprit.py).
- A Service, a namespace or a Deployment, StatefulSet or DaemonSet is walked
  (bot/diagnosis/suspects): its suspects lead. A Service named by an alert's labels that the
  namespace does not hold (kube-state-metrics' alerts carry the exporter's) walks the namespace;
  a workload keeps its own pods' diagnosis and gains the suspects on its chain.
- A Job is diagnosed through its pods (the walk reads no Jobs), a claim through the first pod
  that mounts it, a node through its conditions and its pods.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.cluster.caching import shared_reads
from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.reader import ClusterReader
from bot.diagnosis.node import diagnose_node
from bot.diagnosis.paste import ReadPaste, decide_paste, diagnose_paste, read_names, read_paste
from bot.diagnosis.paste_check import Checked, Connected, check_paste, merged
from bot.diagnosis.paste_walk import reading_suspects, with_suspects
from bot.diagnosis.pod import Judge, judge_pod, pod_unreadable
from bot.diagnosis.pod_culprit import with_culprit
from bot.diagnosis.suspects.walk import walk_namespace, walk_service
from bot.diagnosis.targets import Focus
from bot.diagnosis.workload import diagnose_workload, mounting_pod
from bot.evidence.runner import DEFAULT_TIMEOUT, gather_pod_facts
from bot.runtime.budget import TEXT_CPU_SECONDS, within_budget
from intents.examples import TeamExample
from intents.facts.model import PodFacts
from responses.diagnosis import Diagnosis, Suspect
from responses.redaction import Redacted

WALKED_WORKLOADS = frozenset({"deployment", "statefulset", "daemonset"})


@dataclass(frozen=True)
class Question:
    """What is asked: a recording and its focus (None: a pasted text, all of it)."""

    recording: ClusterReader | Redacted
    focus: Focus | None = None
    at: datetime | None = None
    """A pasted text's moment when the asker gives it (`--at`; else the newest time it shows). A
    reader has its own, one for the whole question (bot/cluster/moments.py `judged_at`)."""
    examples: Sequence[TeamExample] = ()
    """The team's examples a pasted text may read the same as."""
    cluster: Connected | None = None
    """The cluster a pasted text is checked against (bot/diagnosis/paste_check.py; None: none)."""


@dataclass(frozen=True)
class Effort:
    """How hard a door looks: its judge and its bounds (the same for every door by default)."""

    judge: Judge
    timeout: float = DEFAULT_TIMEOUT
    top: int = 3
    """Causes at most for a pod or a paste, besides confirmed ones."""
    deep_limit: int | None = None
    """Pods diagnosed in depth for a namespace, workload or node (None: each one's default)."""
    text_seconds: float = TEXT_CPU_SECONDS


@dataclass(frozen=True)
class Answered:
    """The answer, and a pod's facts when a pod was read (its remediation buttons read them)."""

    diagnosis: Diagnosis
    facts: PodFacts | None = None


async def answer(question: Question, effort: Effort) -> Answered:
    """The one answer to `question` (UserFacingError when its focus cannot be read or named)."""
    recording = question.recording
    if isinstance(recording, str):  # a pasted text, redacted where it arrived
        if question.cluster is not None:
            return Answered(await _checked_paste(question, question.cluster, effort))
        return Answered(await asyncio.to_thread(answer_paste, question, effort))
    focus = question.focus
    assert focus is not None, "a cluster read needs a focus"
    if focus.kind == "pod":
        return await _pod(recording, focus, effort)
    if focus.kind == "persistentvolumeclaim":
        return await _claim(recording, focus, effort)
    return Answered(await _BY_KIND[focus.kind](recording, focus, effort))


def answer_paste(question: Question, effort: Effort) -> Diagnosis:
    """A pasted text's answer, read within its CPU budget (TooCostly past it); CPU only."""
    assert isinstance(question.recording, str), "a paste is asked as its text"
    return within_budget(
        effort.text_seconds,
        diagnose_paste,
        effort.judge.matcher,
        question.recording,
        top=effort.top,
        examples=question.examples,
        at=question.at,
    )


async def _checked_paste(question: Question, cluster: Connected, effort: Effort) -> Diagnosis:
    """A pasted text answered, then checked against the connected cluster: what the pod or
    workload it names shows now confirms or contradicts the text's candidates (the match, then
    confirming evidence); the answer says what was read."""
    budget = effort.text_seconds
    read, first = await asyncio.to_thread(within_budget, budget, _read, question, effort)
    candidates = [finding.match.entry for finding in first.findings]
    found = (
        await check_paste(
            cluster, read_names(read), candidates, at=question.at, timeout=effort.timeout
        )
        if candidates
        else None
    )
    diagnosis = await asyncio.to_thread(
        within_budget, budget, _decided, question, effort, read, found
    )
    if found is None:
        return diagnosis
    if found.changes:  # what changed the answer comes first; what did not, with the details
        return replace(diagnosis, preface=found.said)
    return replace(diagnosis, notes=(*diagnosis.notes, found.said))


def _read(question: Question, effort: Effort) -> tuple[ReadPaste, Diagnosis]:
    """The paste read, and its text's decision (whose candidates the cluster is asked about)."""
    assert isinstance(question.recording, str), "a paste is asked as its text"
    read = read_paste(effort.judge.matcher, question.recording, at=question.at)
    return read, decide_paste(
        effort.judge.matcher, read, top=effort.top, examples=question.examples
    )


def _decided(
    question: Question, effort: Effort, read: ReadPaste, found: Checked | None
) -> Diagnosis:
    """The paste's answer, decided with what the cluster shows now when it changes anything."""
    if found is not None and found.changes:
        confirmations = merged(read.confirmations, found.confirmations)
        read = replace(read, confirmations=confirmations, cluster=found.now)
    matcher = effort.judge.matcher
    decided = decide_paste(matcher, read, top=effort.top, examples=question.examples)
    return with_suspects(decided, reading_suspects(matcher, read.parsed))


async def _pod(reader: ClusterReader, focus: Focus, effort: Effort) -> Answered:
    """The pod's own reads and the walk below it share one caching reader (the walk joins it,
    bot/cluster/caching.py shared_reads): its Services and quotas are asked once."""
    namespace = _namespace(focus)
    async with shared_reads(reader) as shared:
        try:
            facts = await gather_pod_facts(shared, namespace, focus.name, timeout=effort.timeout)
        except ClusterError as exc:  # counted by status where the gateway raised it
            raise pod_unreadable(namespace, focus.name, reader.cluster_name, exc) from exc
        judge = effort.judge
        diagnosis = await asyncio.to_thread(
            judge_pod, facts, judge=judge, cluster=reader.cluster_name, top=effort.top
        )
        diagnosis = await with_culprit(
            diagnosis, reader, namespace, focus.name, judge=judge, timeout=effort.timeout
        )
    return Answered(diagnosis, facts)


async def _claim(reader: ClusterReader, focus: Focus, effort: Effort) -> Answered:
    """The first pod that mounts the claim, answered as that pod."""
    namespace = _namespace(focus)
    pod = await mounting_pod(reader, namespace, focus.name)
    if pod is None:
        subject = f"persistentvolumeclaim {namespace}/{focus.name}"
        return Answered(
            Diagnosis(
                subject=subject, cluster=reader.cluster_name, notes=(f"no pod mounts {subject}",)
            )
        )
    return await _pod(reader, replace(focus, kind="pod", name=pod), effort)


def _limit(effort: Effort) -> dict[str, Any]:
    return {"deep_limit": effort.deep_limit} if effort.deep_limit else {}


def _namespace(focus: Focus) -> str:
    namespace = focus.name if focus.kind == "namespace" else focus.namespace
    assert namespace is not None, f"{focus} needs its namespace"
    return namespace


async def _namespace_walk(reader: ClusterReader, focus: Focus, effort: Effort) -> Diagnosis:
    return await walk_namespace(
        reader,
        _namespace(focus),
        judge=effort.judge,
        symptom=focus.symptom,
        timeout=effort.timeout,
        **_limit(effort),
    )


async def _service(reader: ClusterReader, focus: Focus, effort: Effort) -> Diagnosis:
    namespace = _namespace(focus)
    if focus.loose:
        try:
            await reader.get("services", focus.name, namespace)
        except NotFound:  # an exporter's Service: the namespace is what the alert is about
            return await _namespace_walk(reader, focus, effort)
    return await walk_service(
        reader,
        namespace,
        focus.name,
        judge=effort.judge,
        symptom=focus.symptom,
        timeout=effort.timeout,
        **_limit(effort),
    )


async def _workload(reader: ClusterReader, focus: Focus, effort: Effort) -> Diagnosis:
    """A workload's own pods; a Deployment, StatefulSet or DaemonSet gains the suspects on its
    chain (the namespace walked with the workload's name in the symptom)."""
    namespace, judge = _namespace(focus), effort.judge
    own = await diagnose_workload(
        reader, focus.kind, namespace, focus.name, judge=judge, timeout=effort.timeout
    )
    if focus.kind not in WALKED_WORKLOADS:
        return own
    walked = await walk_namespace(
        reader,
        namespace,
        judge=judge,
        symptom=f"{focus.name} {focus.symptom or focus}",
        timeout=effort.timeout,
        **_limit(effort),
    )
    return replace(own, suspects=on_chain_of(walked.suspects or (), f"{focus.kind}/{focus.name}"))


async def _node(reader: ClusterReader, focus: Focus, effort: Effort) -> Diagnosis:
    return await diagnose_node(
        reader, focus.name, judge=effort.judge, timeout=effort.timeout, **_limit(effort)
    )


_Answer = Callable[[ClusterReader, Focus, Effort], Awaitable[Diagnosis]]
_BY_KIND: dict[str, _Answer] = {
    "service": _service,
    "namespace": _namespace_walk,
    "deployment": _workload,
    "statefulset": _workload,
    "daemonset": _workload,
    "job": _workload,
    "node": _node,
}


def on_chain_of(suspects: tuple[Suspect, ...], ref: str) -> tuple[Suspect, ...]:
    """The suspects whose object, resource or chain names `ref` ("deployment/checkout")."""
    named = re.compile(rf"(?<![\w.-]){re.escape(ref)}(?![\w.-])")
    return tuple(
        suspect
        for suspect in suspects
        if any(named.search(text) for text in (suspect.object, suspect.resource, *suspect.chain))
    )


def leading_suspect(diagnosis: Diagnosis | None) -> Suspect | None:
    """The first suspect, which leads every door's answer as it leads the chat's (its confidence
    said with it: a low one is shown, never written on an incident as confirmed)."""
    suspects = diagnosis.suspects if diagnosis is not None else None
    return suspects[0] if suspects else None
