"""Sentences that retell a status or name a failure reason, read as the row or event they retell.

People describe what `kubectl get` showed them in words: "the PVC stays in Pending state",
"worker1 became NotReady after the reboot", "the pods are crashlooping". The status words are
Kubernetes' own (a claim's phase, a node's Ready condition, the STATUS column's reasons), so a
sentence naming a kind and one of them states the fact a table row would; each gives what its
row gives and no more (a Pending claim is a symptom, a pod's Pending says nothing of why).

People quote the reason column too: "pods stay ContainerCreating with `FailedCreatePodSandBox`
errors", "we keep getting FailedMount on the claim". These words are printed only when something
failed (the kubelet's, the volume and job controllers', node-problem-detector's Warning reasons,
and the waiting reasons a specific cause sets), so a sentence naming one states the fact a
`describe` row would. Only the reason is known: nothing the paste did not show is refuted by it
(every fact it fills is hidden).

Not read: a line a component printed (a log line, stamped to the second; a line a message format
reads: the scheduler's "2 node(s) were not ready"), and a sentence that is hypothetical ("if a
node becomes NotReady"), negated ("no longer Pending", "no FailedMount any more") or that also
names a healthy status ("went from Pending to Running"): it reports no current failure.
"""

from __future__ import annotations

import re

from bot.cluster.outputs.row_pods import phase_and_container as row_status
from bot.cluster.seen import (
    CONTAINER_STATES,
    EVENTS,
    PHASE,
    POD_EVENTS,
    VOLUMES,
    condition,
)
from bot.diagnosis.paste_model import Part, Subject
from bot.evidence.pods import container_facts
from intents.facts.model import (
    ContainerFacts,
    EventFacts,
    NodeCondition,
    NodeFacts,
    PodFacts,
    VolumeFacts,
)
from intents.lazy_re import lazy_compile
from intents.messages.reader import MessageGrammar
from intents.reasons import CAUSE_NAMING_WAITING, FAILURE_EVENTS, POD_EVENT_REASONS

Read = tuple[Part, list[Subject]]
PROSE = "sentence"
UNNAMED = "named in the text"
MAX_SENTENCE_CHARS = 400
_HINTS = (
    "pending",
    "bound",
    "binding",
    "evicted",
    "notready",
    "not ready",
    "not-ready",
    "crashloop",
    "crash loop",
    "crash-loop",
)
_LINK = (
    r"(?:is|are|was|were|been|being|stays?|stayed|remains?|remained|stuck|gets?|got|getting|goes|went|became|becomes"
    r"|keeps?|kept|shows?|showing|shown|still|always|in|as|into)"
)
_KIND = {
    "claim": r"pvcs?|persist[ae]nt ?volume ?claims?|(?:volume )?claims?",
    "node": r"nodes?|workers?|masters?|agents?|control[- ]plane",
    "pod": r"pods?|containers?",
}
_STATE = {
    "claim": r"pending|unbound|not (?:yet )?bound|never (?:gets? )?bound|(?:isn'?t|aren'?t|is not|are not|not) (?:being )?(?:bound|binding)",  # noqa: E501
    "node": r"notready|not[- ]ready",
    "pod": r"crash[- ]?loop(?:ing|backoff| back-?off)?|evicted",
}
_STATEMENTS = {
    kind: lazy_compile(
        rf"\b(?:(?P<kind>{words})\b(?P<name> [a-z0-9][\w.-]{{0,62}}\d[\w.-]{{0,62}})?[^.!?;]{{0,60}}?\b{_LINK}\b"
        rf"[^.!?;]{{0,25}}?[`\"'*]?(?P<init>Init: ?)?\b(?P<state>{_STATE[kind]})\b"
        rf"|[`\"'*]?\b(?P<before>{_STATE[kind]})\b[`\"'*]? (?:the |its |their |my |any )?(?P<kind2>{words})\b)",
        flags=re.IGNORECASE,
    )
    for kind, words in _KIND.items()
}
_ZH_KIND = {
    "claim": r"pvc|存储卷声明|持久卷声明|持久化卷声明",
    "node": r"node|节点|worker|master",
    "pod": r"pod|容器",
}
_ZH_LINK = r"状态|一直|经常|总是|始终|变成|变为|变回|处于|还是|仍然|依然|都是|为|是"
_STATEMENTS_ZH = {
    # the same statement in Chinese, where no space marks a word: "node 的状态一直为 NotReady",
    # "node节点经常notReady" (the status words stay Kubernetes' own)
    kind: lazy_compile(
        rf"(?P<kind>{words})[^。！？；，,\n]{{0,12}}?(?:{_ZH_LINK})[^。！？；\n]{{0,8}}?[`\"'*]?"
        rf"(?P<init>Init: ?)?(?P<state>{_STATE[kind]})(?![a-z])",
        flags=re.IGNORECASE,
    )
    for kind, words in _ZH_KIND.items()
}
_UNSAID_ZH = lazy_compile(r"不是|没有|并非|如果|假如|不再|恢复正常|正常了")
_UNSAID = lazy_compile(
    r"\b(?:if|whether|unless|in case|without|would|should|might|could be|no longer|never|not (?:stuck|in|be)"
    r"|prevent(?:s|ed|ing)?|avoid(?:s|ed|ing)?"
    r"|isn'?t|aren'?t|wasn'?t|weren'?t|doesn'?t|don'?t|running|bound|completed|succeeded)\b"
    r"|(?<![Nn]ot)(?<![Nn]ot )(?<![Nn]ot-)\bready\b",
    flags=re.IGNORECASE,
)
_LOGGED = lazy_compile(r"\d\d:\d\d:\d\d")
"""A time of day to the second: a log line's stamp (the component printed it; nobody writes one)."""
_SENTENCE_END = lazy_compile(r"[.!?;](?:\s|$)|[。！？；]")
MAX_DENIAL_CHARS = 24
_NOT_BEFORE = lazy_compile(r"\b(?:not|never|n't)\b(?: \w+)?\s*$", flags=re.IGNORECASE)
_ALTERNATIVES = "|".join(sorted(FAILURE_EVENTS | CAUSE_NAMING_WAITING))
_NAMED = lazy_compile(r"(?<![\w/-])(" + _ALTERNATIVES + r")(?![\w/-])")
_DENIED = lazy_compile(
    r"\b(?:no|not|never|without|zero)\s+(?:\w+\s+)?[`'\"*]?(?:" + _ALTERNATIVES + r")(?![\w/-])",
    flags=re.IGNORECASE,
)
"""The reason itself denied: "no FailedMount any more", "without a FailedAttachVolume"."""


def read_states(stripped: str, number: int) -> Read | None:
    """The line of a sentence reporting a failing status, or None."""
    lowered = stripped.lower()
    if not any(hint in lowered for hint in _HINTS) or printed(stripped):
        return None
    for sentence in sentences(stripped):
        subject = _state(sentence[:MAX_SENTENCE_CHARS])
        if subject is not None:
            return Part(number, number + 1, PROSE, False), [subject]
    return None


def read_reasons(stripped: str, number: int) -> Read | None:
    """The line of a sentence naming failure reasons, or None."""
    if _NAMED.search(stripped) is None or printed(stripped):
        return None
    for sentence in sentences(stripped):
        sentence = sentence[:MAX_SENTENCE_CHARS]
        named = list(dict.fromkeys(_NAMED.findall(sentence)))
        if named and not unsaid(sentence, named) and _DENIED.search(sentence) is None:
            subjects = [_reason(reason, sentence.strip()) for reason in named]
            return Part(number, number + 1, PROSE, False), subjects
    return None


def sentences(line: str) -> list[str]:
    """The line's sentences (of its first few hundred characters)."""
    return _SENTENCE_END.split(line[: MAX_SENTENCE_CHARS * 4])


def unsaid(sentence: str, words: list[str]) -> bool:
    """The sentence is hypothetical or negated, once the status words it reports are blanked
    (their own "ready" is no healthy word)."""
    rest = sentence
    for word in filter(None, words):
        rest = rest.replace(word, " ")
    return bool(_UNSAID.search(rest) or _UNSAID_ZH.search(rest))


def denied_before(sentence: str, at: int) -> bool:
    """The status word is denied by the words just before it ("was not evicted", "is not
    crashlooping any more")."""
    return bool(_NOT_BEFORE.search(sentence[max(0, at - MAX_DENIAL_CHARS) : at]))


def printed(line: str) -> bool:
    """A component printed the line: stamped to the second, a scheduler message, or a format
    that reads most of it."""
    if _LOGGED.search(line):
        return True
    verdict = MessageGrammar.default().read(line)
    if verdict is None:
        return False
    return bool(verdict.clauses) or any(
        2 * (r.end - r.start) >= len(line) for r in verdict.readings
    )


def _not_stated(sentence: str, found: re.Match[str], state: str) -> bool:
    """A state the sentence does not say of the pod: an init container's (Init:CrashLoopBackOff:
    init-container-failed reads it), unsaid, or denied before it."""
    return bool(
        found.group("init")
        or unsaid(sentence, [state])
        or (found.group("state") and denied_before(sentence, found.start("state")))
    )


def _state(sentence: str) -> Subject | None:
    for kind, statement_pattern in _STATEMENTS.items():
        found = statement_pattern.search(sentence) or _STATEMENTS_ZH[kind].search(sentence)
        if found is None:
            continue
        groups = found.groupdict()
        # the matched status word is blanked first: its own "ready" is no healthy word
        state = groups["state"] or groups.get("before") or ""
        if _not_stated(sentence, found, state):
            continue
        name = (groups.get("name") or "").strip()
        return _stated(kind, state.lower(), name, sentence.strip())
    return None


def status_word(status: str) -> tuple[str, str | None, ContainerFacts | None]:
    """The pod's phase and reason, and the one container a STATUS word says (as a row reads it)."""
    phase, reason, special = row_status(status, 0)
    if special is None:
        return phase, reason, None
    init = bool(special.pop("init"))
    return phase, reason, container_facts(special, init=init)


def _stated(kind: str, state: str, name: str, sentence: str) -> Subject:
    label = f'"{sentence[:120]}"'
    if kind == "claim":
        volume = VolumeFacts(claim=name or UNNAMED, phase="Pending")
        facts = PodFacts(namespace="", name=name, volumes=[volume])
        return Subject(label, PROSE, facts, {VOLUMES}, False)
    if kind == "node":
        node = NodeFacts(name=name or UNNAMED, conditions=[NodeCondition("Ready", "False")])
        return Subject(label, PROSE, node, {condition("Ready")}, False)
    # a pod: what its `get pods` STATUS word gives
    phase, reason, container = status_word("Evicted" if state == "evicted" else "CrashLoopBackOff")
    containers = [container] if container else []
    pod = PodFacts(namespace="", name=name, phase=phase, reason=reason, containers=containers)
    if container is None:
        return Subject(label, PROSE, pod, {PHASE}, False)
    hidden = frozenset({CONTAINER_STATES})
    return Subject(label, PROSE, pod, {PHASE, CONTAINER_STATES}, False, hidden=hidden)


def _reason(reason: str, sentence: str) -> Subject:
    label = f'"{sentence[:120]}"'
    if reason in CAUSE_NAMING_WAITING:
        phase, _pod_reason, container = status_word(reason)
        containers = [container] if container else []
        pod = PodFacts(namespace="", name="", phase=phase, containers=containers)
        seen = {PHASE, CONTAINER_STATES}
        return Subject(label, PROSE, pod, seen, False, hidden=frozenset(seen))
    event = EventFacts(reason=reason, message="", type="Warning")
    seen = {EVENTS, POD_EVENTS} if reason in POD_EVENT_REASONS else {EVENTS}
    facts = PodFacts(namespace="", name="", events=[event])
    return Subject(label, PROSE, facts, seen, False, hidden=frozenset(seen))
