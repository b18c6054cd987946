"""Cloud-OpsBench cases in each rendering a ticket may bring, for `opsbench localise`.

A case's state is recorded twice: `tool_cache.json` (what the benchmark's agent tools answered)
and `raw_data/` (`k8s_states.json`: each kubectl command and its output; `logs.json`: each
service's log lines). People attach either, and often less:

- `cache`: one file per tool call under the command line a person would have typed;
- `raw`: one file per recorded command of `k8s_states.json` under its command line, and each
  service's log under `kubectl logs deploy/NAME`;
- `describe`: the raw rendering's `kubectl describe` outputs only;
- `bare`: the raw rendering without its command lines (outputs pasted one after another);
- `half`: a seeded half of the raw rendering's files (the seed is the case's name);
- `chronic`: the cache rendering with an old failure that has since recovered beside the fault
  (a workload refused for a missing ServiceAccount 3 days ago, then created, its pod restarted
  then and Ready since, old startup-probe failures): the metamorphic check that history never
  displaces the new fault (tests/suspects/test_history_leaves_the_new_fault_first.py).

`metadata.json` (the label) is never read here.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.opsbench_outputs import case_files

RENDERINGS = ("cache", "raw", "describe", "bare", "half", "chronic")
PARTIAL = ("describe", "bare", "half")
Files = list[tuple[str, str]]


def raw_files(folder: Path, namespace: str) -> Files:
    """(file name, content) of the raw rendering, states first, then the logs."""
    states, logs = (
        _json(folder / "raw_data" / "k8s_states.json"),
        _json(folder / "raw_data" / "logs.json"),
    )
    files = [
        (f"{number:04d}-state.txt", f"$ {command}\n{_text(output)}\n")
        for number, (command, output) in enumerate(states.items())
        if _text(output).strip()
    ]
    for service, lines in logs.items():
        text = "\n".join(map(str, lines)) if isinstance(lines, list) else _text(lines)
        if text.strip():
            command = f"$ kubectl logs deploy/{service} -n {namespace}"
            files.append((f"log-{service}.txt", f"{command}\n{text}\n"))
    return files


def _json(path: Path) -> dict[str, Any]:
    """A raw_data file's object ({} when the case has none: a few have no logs.json)."""
    found = json.loads(path.read_text()) if path.is_file() else {}
    return found if isinstance(found, dict) else {}


def _text(output: Any) -> str:
    return output if isinstance(output, str) else json.dumps(output, indent=2)


def _describe_only(files: Files, _: str) -> Files:
    return [(name, text) for name, text in files if text.startswith("$ kubectl describe ")]


def _bare(files: Files, _: str) -> Files:
    return [(name, text.split("\n", 1)[1]) for name, text in files]


def _half(files: Files, seed: str) -> Files:
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    kept = sorted(rng.sample(range(len(files)), len(files) // 2))
    return [files[number] for number in kept]


_PARTS: dict[str, Callable[[Files, str], Files]] = {
    "describe": _describe_only,
    "bare": _bare,
    "half": _half,
}


OLD_POD = "ledger-6d5f7c9b8-q2w7x"
_OLD_CELLS = {
    "NAME": OLD_POD,
    "READY": "1/1",
    "STATUS": "Running",
    "RESTARTS": "5 (3d ago)",
    "AGE": "5d",
    "IP": "172.20.1.250",
    "NODE": "worker-01",
    "NOMINATED NODE": "<none>",
    "READINESS GATES": "<none>",
    "LABELS": "app=ledger,pod-template-hash=6d5f7c9b8",
}
_OLD_EVENTS = (
    (
        "Warning",
        "FailedCreate",
        "replicaset/ledger-6d5f7c9b8",
        (
            'Error creating: pods "ledger-6d5f7c9b8-" is forbidden: error looking up service '
            'account {ns}/ledger: serviceaccount "ledger" not found'
        ),
    ),
    ("Normal", "SuccessfulCreate", "replicaset/ledger-6d5f7c9b8", f"Created pod: {OLD_POD}"),
    (
        "Warning",
        "Unhealthy",
        f"pod/{OLD_POD}",
        "Startup probe failed: HTTP probe failed with statuscode: 503",
    ),
    (
        "Warning",
        "BackOff",
        f"pod/{OLD_POD}",
        (
            f"Back-off restarting failed container ledger in pod {OLD_POD}_{{ns}}"
            "(5c1f0a7e-8d2b-4c3a-9e6f-1a2b3c4d5e6f)"
        ),
    ),
)
"""Its events, all three days old: the refusal the SuccessfulCreate after it superseded."""


def _old_events(namespace: str) -> str:
    rows = [f"{'LAST SEEN':<11} {'TYPE':<9} {'REASON':<18} {'OBJECT':<32} MESSAGE"]
    for kind, reason, obj, message in _OLD_EVENTS:
        rows.append(f"{'3d':<11} {kind:<9} {reason:<18} {obj:<32} {message.format(ns=namespace)}")
    return "\n".join(rows) + "\n"


def _old_row(header: str) -> str:
    """The recovered pod as a row under this `get pods` header, in its columns."""
    names = [
        n
        for n in header.replace("NOMINATED NODE", "NOMINATED_NODE")
        .replace("READINESS GATES", "READINESS_GATES")
        .split()
    ]
    cells = [_OLD_CELLS.get(n.replace("_", " "), "<none>") for n in names]
    return "   ".join(cells)


def _with_history(files: Files, namespace: str) -> Files:
    """The files with an old, recovered failure of another workload added."""
    out = []
    for name, text in files:
        command, _, body = text.partition("\n")
        words = command.split()[4:]  # after "$ kubectl get pods"
        listing = command.startswith("$ kubectl get pods ") and not (
            (words and not words[0].startswith("-")) or "-l" in words
        )
        if listing and body.startswith("NAME "):
            lines = body.rstrip("\n").split("\n")
            body = "\n".join([*lines, _old_row(lines[0])]) + "\n"
        out.append((name, f"{command}\n{body}"))
    events = _old_events(namespace)
    return [*out, ("9999-old-events.txt", f"$ kubectl get events -n {namespace}\n{events}")]


def rendered(case: Any, rendering: str, root: Path) -> Files:
    """The files of `case` in `rendering` (`root`: the benchmark checkout)."""
    if rendering == "cache":
        return case_files(case.cache)
    if rendering == "chronic":
        return _with_history(case_files(case.cache), case.namespace)
    files = raw_files(root / "benchmark" / case.name, case.namespace)
    return files if rendering == "raw" else _PARTS[rendering](files, case.name)


def write(files: Files, to: Path) -> None:
    to.mkdir(parents=True, exist_ok=True)
    for name, content in files:
        (to / name).write_text(content, encoding="utf-8")
