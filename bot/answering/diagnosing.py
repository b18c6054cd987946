"""The diagnosis use case: a `DiagnoseRequest` becomes a `DiagnoseResult`.

One way for every chat input: the Slack command, a mention, a pasted message, the CLI and MCP
all come through `Diagnoser.diagnose`, which asks the one question every door asks
(bot/diagnosis/question.py). Matching is CPU work, so it runs off the event loop (acks of
other requests keep flowing).

With a `Coalescer` (the bot), identical asks share one run: the same
cluster, kind and target, or the same pasted text (whitespace aside). An
ask answered from a run finished moments before says how old its evidence is.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

from bot.answering.examples import TeamExamples
from bot.answering.ports import Readers, RemoteDiagnosis
from bot.answering.requests import DiagnoseRequest
from bot.answering.results import DiagnoseResult, digest
from bot.cluster.reader import ClusterReader
from bot.diagnosis.paste_check import Connected
from bot.diagnosis.pod import Judge
from bot.diagnosis.question import Effort, Question, answer
from bot.errors import UserFacingError
from bot.runtime.budget import TEXT_CPU_SECONDS
from bot.runtime.coalescing import Coalescer, Shared
from intents.examples import TeamExample
from intents.matcher import Matcher
from intents.normalize import canonical
from responses.diagnosis import Diagnosis
from responses.redaction import Redacted

if TYPE_CHECKING:  # the metrics (prometheus_client) are the bot's; the CLI never loads them
    from bot.metrics import Metrics

DIAGNOSIS_TIMEOUT = 30.0
"""Seconds for gathering one pod's evidence (the bot's default)."""


def coalescing_key(request: DiagnoseRequest) -> Hashable:
    """What makes two asks identical: cluster context, kind and target (and, read as a person, who
    asked: their RBAC may show them less), or the pasted text."""
    if request.verb == "paste":
        text = "\n".join(
            line.rstrip(" \t\r") for line in request.text.split("\n")
        ).strip()  # linear
        return "paste", hashlib.sha256(text.encode()).hexdigest()  # no pasted text kept as a key
    return (
        request.verb,
        request.context,
        request.namespace,
        request.name,
        request.asker,
        request.symptom,
    )


def freshness(age: float) -> str:
    """How old shared evidence is, as the answer says it."""
    return "evidence read just now" if age < 1 else f"evidence read {age:.0f} s ago"


AGED_KEPT = 16
"""Cached results whose latest aged telling is kept (see `Aged`)."""


def _aged(result: DiagnoseResult, age: float) -> DiagnoseResult:
    note = f"{freshness(age)} (an identical diagnosis was asked moments before)"
    preface = "; ".join(part for part in (result.diagnosis.preface, note) if part)
    diagnosis = dataclasses.replace(result.diagnosis, preface=preface)
    return dataclasses.replace(result, diagnosis=diagnosis)


class Aged:
    """A cached result as it is told with its age, made once for each age it says: a storm's asks
    of one pod in the same second are told the same words, so they share one (frozen) result, and
    what is built from it once (its view, its stored record: `answer_view`,
    `diagnosis_record_dict`) is not built again for each ask. Only the latest telling of each of
    the last `AGED_KEPT` results is kept."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[DiagnoseResult, str, DiagnoseResult]] = {}

    def told(self, result: DiagnoseResult, age: float) -> DiagnoseResult:
        said = freshness(age)  # all the aged result says of its age
        kept = self._kept.get(id(result))  # kept with its result: no other has that id meanwhile
        if kept is not None and kept[0] is result and kept[1] == said:
            return kept[2]
        aged = _aged(result, age)
        if len(self._kept) >= AGED_KEPT and id(result) not in self._kept:
            self._kept.clear()
        self._kept[id(result)] = (result, said, aged)
        return aged


def _saying(result: DiagnoseResult, said: str) -> DiagnoseResult:
    """The result saying first how the request was understood."""
    if not said:
        return result
    preface = "; ".join(part for part in (said, result.diagnosis.preface) if part)
    diagnosis = dataclasses.replace(result.diagnosis, preface=preface)
    return dataclasses.replace(result, diagnosis=diagnosis)


def _top_id(diagnosis: Diagnosis) -> str:
    if diagnosis.suspects:
        return diagnosis.suspects[0].id
    return diagnosis.findings[0].match.id if diagnosis.findings else "none"


class Diagnoser:
    """Diagnoses pods, namespaces, nodes and pasted text."""

    def __init__(
        self,
        *,
        matcher: Matcher,
        readers: Readers,
        timeout: float = DIAGNOSIS_TIMEOUT,
        text_seconds: float = TEXT_CPU_SECONDS,
        top: int = 3,
        deep_limit: int | None = None,
        coalescer: Coalescer[DiagnoseResult] | None = None,
        metrics: Metrics | None = None,
        examples: TeamExamples | None = None,
        remote: RemoteDiagnosis | None = None,
        namespaces: Sequence[str] = (),
    ) -> None:
        self.matcher = matcher
        self.remote = remote
        """Where pods, namespaces and nodes are diagnosed when not here (a fleet hub's agents)."""
        self.examples = examples
        """The team's examples a paste is compared with (None: none, as for the CLI)."""
        self.coalescer = coalescer
        self.metrics = metrics
        self.readers = readers
        self.timeout = timeout
        self.text_seconds = text_seconds  # CPU one paste's matching may take (then TooCostly)
        self.top = top
        """Causes at most for a pod, besides confirmed ones."""
        self.deep_limit = deep_limit
        """Pods diagnosed in depth for a namespace or node (None: the diagnosis' default)."""
        self.namespaces = frozenset(namespaces)
        """KUBEMEDIC_NAMESPACES: where a paste's pod may be read (empty: anywhere)."""
        self._aged = Aged()

    async def diagnose(
        self, request: DiagnoseRequest, *, channel: str | None = None
    ) -> DiagnoseResult:
        """The diagnosis (UserFacingError when the subject cannot be read or named); a paste in
        `channel` reads the team's examples that may answer there."""
        examples = await self._examples(request, channel)
        if self.coalescer is None:
            return _saying(await self._diagnose(request, examples), request.said)
        key = (coalescing_key(request), examples) if examples else coalescing_key(request)
        shared = await self.coalescer.get(key, lambda: self._diagnose(request, examples))
        return _saying(self._told(shared, request), request.said)

    async def _examples(
        self, request: DiagnoseRequest, channel: str | None
    ) -> tuple[TeamExample, ...]:
        """The team's examples a pasted text in `channel` may read the same as (part of what makes
        two asks identical)."""
        if request.verb != "paste" or self.examples is None or not request.text.strip():
            return ()
        return await self.examples.for_paste(request.text, channel=channel)

    def _told(self, shared: Shared[DiagnoseResult], request: DiagnoseRequest) -> DiagnoseResult:
        if shared.how == "ran":
            return shared.value
        if self.metrics is not None:
            self.metrics.coalesced.labels(shared.how, request.verb).inc()
        if shared.how == "cached" and request.verb != "paste":
            return self._aged.told(shared.value, shared.age)
        return shared.value

    async def _diagnose(
        self, request: DiagnoseRequest, examples: Sequence[TeamExample] = ()
    ) -> DiagnoseResult:
        if request.verb == "paste":
            return await self.paste(request.text, examples=examples)
        if self.remote is not None:
            return await self.remote.diagnose(request)
        reader = self.readers.reader(request.context)
        answered = await answer(Question(reader, request.focus), self._effort())
        diagnosis = answered.diagnosis
        where = _KEY_PARTS[request.verb](request)
        key = digest(reader.cluster_name, *where, _top_id(diagnosis))
        return DiagnoseResult(diagnosis, key, answered.facts, context=request.context)

    def _effort(self, top: int | None = None) -> Effort:
        return Effort(
            Judge(self.matcher),
            timeout=self.timeout,
            top=top or self.top,
            deep_limit=self.deep_limit,
            text_seconds=self.text_seconds,
        )

    async def paste(
        self, text: Redacted, *, examples: Sequence[TeamExample] = (), top: int = 3
    ) -> DiagnoseResult:
        """Diagnose pasted text (kubectl output is read as evidence), redacted where it arrived;
        `examples`: the team's examples it may read the same as.

        The stored request is that redacted text, so a first answer and one taken over from it
        are the same, and no quoted line or fact can carry a secret.
        """
        question = Question(text, examples=examples, cluster=await self._connected())
        diagnosis = (await answer(question, self._effort(top))).diagnosis
        top_finding = diagnosis.findings[0] if diagnosis.findings else None
        matched = text[:200]
        if top_finding is not None and (top_finding.match.matched or top_finding.evidence):
            match = top_finding.match
            matched = match.matched[0].line if match.matched else top_finding.evidence[0]
        key = digest("paste", _top_id(diagnosis), canonical(matched))
        return DiagnoseResult(diagnosis, key, source="paste", text=text)

    async def _connected(self) -> Connected | None:
        """The default cluster a paste is checked against, when this door reads one (a fleet
        hub's agents read theirs; no kubeconfig, a preview or the CLI's `match`: none)."""
        if self.remote is not None:
            return None
        try:  # the first call loads the kubeconfig (a credential plugin may run): off the loop
            reader = await asyncio.to_thread(self.readers.reader, None)
        except UserFacingError:
            return None
        return Connected(reader, self.namespaces)


_KEY_PARTS: dict[str, Callable[[DiagnoseRequest], tuple[str, ...]]] = {
    "pod": lambda r: (str(r.namespace), str(r.name)),
    "namespace": lambda r: (str(r.namespace), "*"),
    "service": lambda r: (str(r.namespace), f"service/{r.name}"),
    "node": lambda r: ("node", str(r.name)),
}
"""What names a request's subject in its result's key (with its cluster and top answer)."""


class OneReader:
    """`Readers` over a single reader (the CLI's live context or dump); no other context."""

    def __init__(self, reader: ClusterReader) -> None:
        self._reader = reader

    def reader(self, context: str | None) -> ClusterReader:
        return self._reader
