"""Cloud-OpsBench cases in each rendering a ticket may bring, for `opsbench localise`.

A case's state is recorded twice: `tool_cache.json` (what the benchmark's agent tools answered)
and `raw_data/` (`k8s_states.json`: each kubectl command and its output; `logs.json`: each
service's log lines). People attach either, and often less:

- `cache`: one file per tool call under the command line a person would have typed;
- `raw`: one file per recorded command of `k8s_states.json` under its command line, and each
  service's log under `kubectl logs deploy/NAME`;
- `describe`: the raw rendering's `kubectl describe` outputs only;
- `bare`: the raw rendering without its command lines (outputs pasted one after another);
- `half`: a seeded half of the raw rendering's files (the seed is the case's name).

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

RENDERINGS = ("cache", "raw", "describe", "bare", "half")
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


def rendered(case: Any, rendering: str, root: Path) -> Files:
    """The files of `case` in `rendering` (`root`: the benchmark checkout)."""
    if rendering == "cache":
        return case_files(case.cache)
    files = raw_files(root / "benchmark" / case.name, case.namespace)
    return files if rendering == "raw" else _PARTS[rendering](files, case.name)


def write(files: Files, to: Path) -> None:
    to.mkdir(parents=True, exist_ok=True)
    for name, content in files:
        (to / name).write_text(content, encoding="utf-8")
