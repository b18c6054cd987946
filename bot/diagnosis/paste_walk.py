"""The suspects walk on a paste: its kubectl output read as the recorded cluster it shows.

A paste of `kubectl get pods` and `kubectl describe svc` holds what `diagnose namespace
--from-outputs` reads from a ticket's folder: the same reader turns it into a cluster behind the
`ClusterReader` seam and the same walk names the suspects (a selector that matches nothing, a
targetPort no container declares), which the text matcher cannot see. The paste's own answer
stands: the suspects go with it when they agree with it, or when the paste has none.
"""

from __future__ import annotations

import re
from collections.abc import Coroutine
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from responses.diagnosis import Diagnosis, Suspect

if TYPE_CHECKING:
    from bot.diagnosis.paste_model import PasteReading
    from intents.matcher import Matcher

WALKED = ("pods", "services")
"""What a paste must show for a walk: pods, and the Services in front of them."""
_PODS = re.compile(r"\bRESTARTS\b|^Containers:|kind: Pod\b|\"kind\": \"Pod\"", re.MULTILINE)
_SERVICES = re.compile(
    r"\bCLUSTER-IP\b|^TargetPort:|kind: Service\b|\"kind\": \"Service\"", re.MULTILINE
)
"""A cheap look first: most pastes show no pod and Service together, and are not read twice."""


def _run(coroutine: Coroutine[object, object, Diagnosis]) -> Diagnosis:
    """Run the walk to its end from synchronous code, inside a running loop or not (the reader
    is in memory: nothing waits)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def paste_suspects(
    matcher: Matcher, text: str, *, at: datetime | None = None
) -> tuple[Suspect, ...]:
    """The walk's suspects for the namespace a paste's pods and Services are in (none when the
    paste does not show both), judged at `at` (default: the paste's own newest time)."""
    if not (_PODS.search(text) and _SERVICES.search(text)):
        return ()
    # imported here: most pastes stop at the look above, and `match` starts without them
    from bot.cluster.outputs import OutputsReader
    from bot.diagnosis.pod import Judge
    from bot.diagnosis.suspects.walk import walk_namespace

    reader = OutputsReader.of_text(text, at=at)
    if not set(WALKED) <= set(reader.kinds()):
        return ()
    namespaces = reader.namespaces()
    namespace = namespaces[0] if len(namespaces) == 1 else "default"
    walked = _run(walk_namespace(reader, namespace, judge=Judge(matcher)))
    return walked.suspects or ()


def reading_suspects(matcher: Matcher, reading: PasteReading) -> tuple[Suspect, ...]:
    """The walk's suspects on the recording a paste was read into, in the namespace its failing
    pods are in (none when it shows no pods with Services beside them)."""
    reader = reading.reader
    if reader is None:
        return ()
    store = reader.store
    namespaces = [
        ns for ns in store.namespaces() if store.of("pods", ns) and store.of("services", ns)
    ]
    if not namespaces:
        return ()
    from bot.diagnosis.pod import Judge
    from bot.diagnosis.suspects.walk import walk_namespace

    failing = [s.key[1] for s in reading.subjects if s.key and s.key[0] == "pods" and not s.healthy]
    namespace = max(namespaces, key=lambda ns: (failing.count(ns), ns == reading.namespace))
    walked = _run(walk_namespace(reader, namespace, judge=Judge(matcher)))
    return walked.suspects or ()


def with_suspects(diagnosis: Diagnosis, suspects: tuple[Suspect, ...]) -> Diagnosis:
    """The paste's diagnosis led by the walk's suspects when the first is stated and names the
    paste's own answer, or when the paste has none; unchanged otherwise."""
    if not suspects or suspects[0].confidence == "low":
        return diagnosis
    answer = diagnosis.answer
    if answer is not None and answer.match.id != suspects[0].id:
        return diagnosis
    return replace(diagnosis, suspects=suspects)
