"""The suspects walk on a paste: its kubectl output read as the recorded cluster it shows.

A paste of `kubectl get pods` and `kubectl describe svc` holds what `diagnose namespace
--from-outputs` reads from a ticket's folder: the paste's reading (bot.diagnosis.paste_read) is
that recording behind the `ClusterReader` seam, read once, and the same walk names the suspects
(a selector that matches nothing, a targetPort no container declares), which the text matcher
cannot see, in the namespace its failing pods are in. The paste's own answer stands: the
suspects go with it when they agree with it, or when the paste has none.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from responses.diagnosis import Diagnosis, Suspect

if TYPE_CHECKING:
    from bot.diagnosis.paste_model import PasteReading
    from intents.matcher import Matcher


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


def reading_suspects(matcher: Matcher, reading: PasteReading) -> tuple[Suspect, ...]:
    """The walk's suspects on the recording a paste was read into, in the namespace its failing
    pods are in (none when it shows no pods with Services beside them)."""
    if reading.recorded is None:
        return ()
    store = reading.recorded.store
    namespaces = [
        ns for ns in store.namespaces() if store.of("pods", ns) and store.of("services", ns)
    ]
    if not namespaces:
        return ()
    from bot.cluster.outputs.reader import OutputsReader
    from bot.diagnosis.paste_read import NAME
    from bot.diagnosis.pod import Judge
    from bot.diagnosis.suspects.walk import walk_namespace

    recorded = reading.recorded
    reader = OutputsReader(Path(NAME), clock=recorded.clock, recording=recorded.recording)

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
