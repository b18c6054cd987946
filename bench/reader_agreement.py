"""Does the one reader see in each corpus paste what the paste reader of 84e0a9fb saw?

    python -m bench.reader_agreement              # development pastes: disagreements by kind
    python -m bench.reader_agreement --held-out   # held-out halves: totals only, never files
    python -m bench.reader_agreement --show 20    # the first development files that disagree

tests/outputs/paste_reader_84e0a9fb.jsonl.gz holds, for every corpus paste outside the
held-out halves, the objects the paste reader of 84e0a9fb (`bot/paste/`, deleted since) read
from it: each pod, node, claim and event with the facts a rule reads, and how many `get pods`
rows it read. The one reader (bot/cluster/outputs/, `read_text`) must see each of them with
the same facts: that is what `tests/outputs/test_corpus_agreement.py` asserts. The held-out
halves are counted here only (`--held-out`), never read one by one.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from intents.facts.model import ContainerFacts, EventFacts, NodeFacts, PodFacts, VolumeFacts

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "outputs" / "paste_reader_84e0a9fb.jsonl.gz"
MESSAGE_CHARS = 60
_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def container_key(pod: str, c: ContainerFacts) -> str:
    state = "" if c.state == "unknown" else c.state
    return (
        f"container {pod} init={c.init} {state} {c.reason or ''} {_code(c.exit_code)}"
        f" last={c.last_reason or ''} {_code(c.last_exit_code)}"
    )


def _code(code: int | None) -> str:
    return "" if code is None else str(code)


def event_key(e: EventFacts) -> str:
    message = " ".join(e.message.split())[:MESSAGE_CHARS]
    return f"event {e.type} {e.reason} {message}"


def pod_keys(facts: PodFacts) -> Iterator[str]:
    name = facts.name
    yield f"pod {name} phase={facts.phase} reason={facts.reason or ''}"
    for c in facts.containers:
        if c.state != "unknown" or c.last_reason or c.last_exit_code is not None:
            yield container_key(name, c)  # (a container a describe cut before its State: no facts)


def node_keys(facts: NodeFacts) -> Iterator[str]:
    yield f"node {facts.name}" + (" cordoned" if facts.unschedulable else "")
    yield from (f"condition {facts.name} {c.type}={c.status}" for c in facts.conditions)
    yield from (f"taint {facts.name} {taint}" for taint in facts.taints)
    yield from (event_key(e) for e in facts.events)


def claim_key(volume: VolumeFacts) -> str:
    kind, name, phase = volume.described
    return f"{kind} {name} {phase}"


def check(golden: Iterable[str], seen: set[str]) -> list[str]:
    """The golden keys the one reader did not see (a pod row count: fewer pods read)."""
    missing = []
    for key in golden:
        if key.startswith("pod rows "):
            wanted = int(key.split()[-1])
            have = sum(k.startswith("pod ") and " phase=" in k for k in seen)
            if have < wanted:
                missing.append(f"pod rows {have} of {wanted}")
        elif key not in seen:
            missing.append(key)
    return missing


def load_golden() -> dict[str, list[str]]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as handle:
        return {row["file"]: row["keys"] for row in map(json.loads, handle)}


def kind_of(missing: str) -> str:
    return missing.split(" ", 1)[0]


def object_keys(text: str) -> Iterator[str]:
    """The keys of what the one reader reads in a paste (the text cleaned as a paste is)."""
    from bot.cluster.outputs.ages import Clock
    from bot.cluster.outputs.parse import read_text
    from bot.cluster.outputs.store import Store
    from bot.evidence.common import event_facts
    from bot.evidence.nodes import parse_node
    from bot.evidence.pods import pod_facts
    from intents.normalize import clean_text

    recording = read_text(clean_text(text, keep_json=True), "paste")
    store = Store(recording, Clock(_NOW))
    objects = store.objects
    unnamed = [view.obj for view in recording.unnamed if view.kind == "pods"]
    for pod in [*objects.get("pods", {}).values(), *unnamed]:
        yield from pod_keys(pod_facts(pod))
    for node in objects.get("nodes", {}).values():
        yield from node_keys(parse_node(node))
    for claim in objects.get("persistentvolumeclaims", {}).values():
        meta, status = claim.get("metadata") or {}, claim.get("status") or {}
        yield claim_key(VolumeFacts(str(meta.get("name")), str(status.get("phase") or "Unknown")))
    for volume in objects.get("persistentvolumes", {}).values():
        meta, status = volume.get("metadata") or {}, volume.get("status") or {}
        phase = str(status.get("phase") or "Unknown")
        yield claim_key(VolumeFacts("", "", volume=str(meta.get("name")), volume_phase=phase))
    for event in objects.get("events", {}).values():
        yield event_key(event_facts(event))
    for view in recording.unnamed:
        if view.kind == "nodes":
            yield from node_keys(parse_node(view.obj))
    for service in recording.services:
        yield f"unit {service['service']} {service['active']}"


def held_out(file: str) -> bool:
    """A paste of a held-out half of tests/corpus/real (counted, never read one by one)."""
    from tests.real_corpus import HELD_OUT

    parts = Path(file).parts
    return parts[:3] == ("tests", "corpus", "real") and parts[3] in HELD_OUT


def disagreements(files: dict[str, list[str]]) -> Iterator[tuple[str, list[str]]]:
    """(file, what the one reader did not see) of every paste whose golden it does not meet."""
    for file, golden in files.items():
        text = (ROOT / file).read_bytes().decode("utf-8", errors="replace")
        missing = check(golden, set(object_keys(text)))
        if missing:
            yield file, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="list so many disagreeing files")
    parser.add_argument("--held-out", action="store_true", help="the held-out halves' totals")
    args = parser.parse_args(argv)
    files = {f: keys for f, keys in load_golden().items() if held_out(f) == args.held_out}
    counts: Counter[str] = Counter()
    counts["pastes with objects"] = len(files)
    counts["with get pods rows"] = sum(
        any(k.startswith("pod rows") for k in v) for v in files.values()
    )
    for shown, (file, missing) in enumerate(disagreements(files)):
        counts["pastes disagreeing"] += 1
        counts["get pods pastes losing every pod"] += any(
            m.startswith("pod rows 0 ") for m in missing
        )
        for kind in {kind_of(m) for m in missing}:
            counts[f"  missing {kind}"] += 1
        if shown < args.show and not args.held_out:
            print(file, *missing[:6], sep="\n    ")
    print("\n".join(f"{count:6}  {kind}" for kind, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
