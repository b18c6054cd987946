"""How often a cluster's word changes a pasted answer (issue 82 item 5): each recorded fault's pod
logs pasted as a person pastes them (`$ kubectl logs POD -n NS` and the last lines), answered
from the text alone, then with the recording as the connected cluster.

    python -m bench.paste_confirm [--lines 15]

Reads the recorded folders of both app families (tests/cascade/recorded, tests/market/recorded);
prints one row a paste whose answer changed, then the totals. Tunes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from pathlib import Path

from bot.answering.diagnosing import Diagnoser, OneReader
from bot.cluster.recording import Recording
from responses.diagnosis import Diagnosis
from responses.redaction import redact_paste
from tests.answering.test_answers import NoClusters
from tests.catalogs import builtin_matcher

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "tests" / "cascade" / "recorded", ROOT / "tests" / "market" / "recorded")


def pastes(case: Path, lines: int) -> list[tuple[str, str]]:
    """(pod, paste) for each pod whose logs were recorded (its previous container's first)."""
    namespace = json.loads((case / "case.json").read_text())["namespace"]
    outputs = case / "outputs"
    found = []
    for log in sorted(outputs.glob("logs-*.txt")):
        if log.stem.endswith("-previous"):
            continue
        previous = log.with_name(f"{log.stem}-previous.txt")
        text = (previous if previous.exists() else log).read_text(errors="replace")
        tail = [line for line in text.splitlines() if line.strip()][-lines:]
        pod = log.stem.removeprefix("logs-").rsplit("-", 1)[0]
        if tail:
            found.append((pod, f"$ kubectl logs {pod} -n {namespace}\n" + "\n".join(tail)))
    return found


def _kind(note: str) -> str:
    """What a note with the details says, in a word or two (for the totals)."""
    if "answered from the pasted text alone" in note:
        return "not found or not read"
    return "ready now" if "every container ready now" in note else "other"


def said(diagnosis: Diagnosis) -> str:
    answer = diagnosis.answer
    return f"{answer.match.id} ({answer.match.confidence})" if answer else "quiet"


async def measure(lines: int) -> Counter[str]:
    matcher = builtin_matcher()
    alone = Diagnoser(matcher=matcher, readers=NoClusters())
    totals: Counter[str] = Counter()
    for case in sorted(case for folder in FOLDERS for case in folder.iterdir() if case.is_dir()):
        door = Diagnoser(
            matcher=matcher, readers=OneReader(Recording("outputs", str(case / "outputs")).open())
        )
        for pod, text in pastes(case, lines):
            before = (await alone.paste(redact_paste(text))).diagnosis
            after = (await door.paste(redact_paste(text))).diagnosis
            totals["pastes"] += 1
            for word in ("confirms", "contradicts", "history:"):
                totals[f"the cluster's line: {word.rstrip(':')}"] += word in after.preface
            totals["the cluster's line before the answer"] += bool(after.preface)
            with_details = [note for note in after.notes if note not in before.notes]
            totals["the cluster's line with the details"] += bool(with_details)
            for note in with_details:
                totals[f"the cluster's line with the details: {_kind(note)}"] += 1
            if said(before) != said(after):
                totals["answer changed"] += 1
                kind = "raised" if before.answer is None or after.answer is not None else "dropped"
                totals[f"answer changed: {kind}"] += 1
                print(f"{case.name:28} {pod:40} {said(before):40} -> {said(after)}")
                print(f"{'':28} {after.preface.partition(': ')[2]}")
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=15)
    args = parser.parse_args()
    for name, count in sorted(asyncio.run(measure(args.lines)).items()):
        print(f"{name}: {count}")


if __name__ == "__main__":
    main()
