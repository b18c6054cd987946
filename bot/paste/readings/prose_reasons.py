"""A sentence that names a failure reason Kubernetes records, read as the event or status it names.

People quote the reason column rather than the row: "pods stay ContainerCreating with
`FailedCreatePodSandBox` errors", "we keep getting FailedMount on the claim", "the container
is in CreateContainerConfigError".  These words are Kubernetes' own, printed only when
something failed (the kubelet's, the volume and job controllers', node-problem-detector's
Warning reasons, and the container waiting reasons a specific cause sets), so a sentence naming
one states the fact a `describe` row would, and the catalog's own evidence rules read it as
that row.  Only the reason is known: nothing the paste did not show is refuted by it (every
section it fills is hidden), and a reason whose rules also need its message confirms nothing.

Not read, as in bot.paste.readings.prose_states: a line a component printed, and a sentence that is
hypothetical or negated ("if FailedMount shows up", "no FailedMount any more").
"""

from __future__ import annotations

import re

from bot.paste.model import CONTAINERS, EVENTS, PHASE, POD_EVENTS, Block, Subject
from bot.paste.reading import Reading
from bot.paste.readings.get_pods import phase_and_container
from bot.paste.readings.prose_states import (
    MAX_SENTENCE_CHARS,
    PROSE_SHAPE,
    printed,
    sentences,
    unsaid,
)
from intents.facts.model import EventFacts, PodFacts
from intents.lazy_re import lazy_compile
from intents.reasons import CAUSE_NAMING_WAITING, FAILURE_EVENTS, POD_EVENT_REASONS

_ALTERNATIVES = "|".join(sorted(FAILURE_EVENTS | CAUSE_NAMING_WAITING))
_NAMED = lazy_compile(r"(?<![\w/-])(" + _ALTERNATIVES + r")(?![\w/-])")
_DENIED = lazy_compile(
    r"\b(?:no|not|never|without|zero)\s+(?:\w+\s+)?[`'\"*]?(?:" + _ALTERNATIVES + r")(?![\w/-])",
    flags=re.IGNORECASE,
)
"""The reason itself denied: "no FailedMount any more", "without a FailedAttachVolume"."""


def statement(stripped: str, number: int) -> Block | None:
    """The one-line block of a sentence naming failure reasons, or None."""
    if _NAMED.search(stripped) is None or printed(stripped):
        return None
    for sentence in sentences(stripped):
        sentence = sentence[:MAX_SENTENCE_CHARS]
        named = list(dict.fromkeys(_NAMED.findall(sentence)))
        if named and not unsaid(sentence, named) and _DENIED.search(sentence) is None:
            return Block(
                PROSE_SHAPE,
                number,
                number + 1,
                healthy=False,
                subjects=[_subject(reason, sentence.strip()) for reason in named],
            )
    return None


def _subject(reason: str, sentence: str) -> Subject:
    label = f'"{sentence[:120]}"'
    if reason in CAUSE_NAMING_WAITING:
        phase, _pod_reason, container = phase_and_container(reason)
        pod = PodFacts(
            namespace="", name="", phase=phase, containers=[container] if container else []
        )
        return Subject(
            label,
            PROSE_SHAPE,
            pod,
            {PHASE, CONTAINERS},
            False,
            hidden=frozenset({PHASE, CONTAINERS}),
        )
    event = EventFacts(reason=reason, message="", type="Warning")
    seen = {EVENTS, POD_EVENTS} if reason in POD_EVENT_REASONS else {EVENTS}
    return Subject(
        label,
        PROSE_SHAPE,
        PodFacts(namespace="", name="", events=[event]),
        seen,
        False,
        hidden=frozenset(seen),
    )


REASONS_IN_WORDS = Reading(
    "reason in words",
    lambda at: True,
    lambda at: statement(at.stripped, at.number),
    frozenset({"PodFacts.events", "PodFacts.phase", "PodFacts.containers"}),
)
