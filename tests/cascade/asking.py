"""Ask kubemedic about a fault three ways and score what it names first.

- `namespace`: `kubemedic diagnose namespace NS --symptom TEXT --json`, the users' symptom;
- `service`: `kubemedic diagnose service NS/WEB --symptom TEXT --json`, the Service the
  symptom names;
- `pod`: `kubemedic diagnose pod NS/POD --json`, the pod of the culprit's caller (the first
  victim; in its own namespace when it runs outside the app's).

What is named first: the first of `suspects` (its `object` and `id`). A pod's diagnosis that
lists no suspect names the pod itself (its workload's Service, `service/<tier>`) with its
`answer`, unless its first match says which object explains it (`because: {"object": ...}`).
"Object first" is right when that object is the fault's culprit; "cause first" when the id is
also the fault's entry (the right cause on the wrong object counts for neither).
Live, the commands read the cluster as deploy/'s read-only role does; recorded, they read the
fault's folder with `--from-outputs` (and `--at`, to ask at a later date).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.cascade.app import NAMESPACE
from tests.cascade.family import Fault
from tests.cli.runner import kubemedic_in_process

COMMANDS = ("namespace", "service", "pod")


@dataclass(frozen=True)
class Answer:
    """What one command named first, and its whole ranking (for the report)."""

    command: str
    object: str | None
    entry: str | None
    confidence: str | None
    ranked: tuple[tuple[str, str, str], ...] = ()
    error: str = ""

    def object_right(self, fault: Fault) -> bool:
        return self.object == fault.culprit

    def cause_right(self, fault: Fault) -> bool:
        return self.object_right(fault) and self.entry == fault.entry

    def shown(self) -> str:
        if self.error:
            return f"error: {self.error}"
        if self.object is None:
            return "silent"
        return f"{self.object} {self.entry} ({self.confidence})"


def arguments(
    command: str, fault: Fault, symptom: str, pod: str, namespace: str = NAMESPACE
) -> list[str]:
    """The command line; `pod` is a name in `namespace`, or "namespace/name"."""
    if command == "namespace":
        return ["diagnose", "namespace", namespace, "--symptom", symptom, "--json"]
    if command == "service":
        return [
            "diagnose",
            "service",
            f"{namespace}/{fault.symptom_service}",
            "--symptom",
            symptom,
            "--json",
        ]
    return ["diagnose", "pod", pod if "/" in pod else f"{namespace}/{pod}", "--json"]


def first_named(command: str, body: dict[str, Any], own: str) -> Answer:
    """What the answer names first (`own`: the pod's own object, for `pod`)."""
    suspects = body.get("suspects") or []
    ranked = tuple(
        (str(s.get("object")), str(s.get("id")), str(s.get("confidence"))) for s in suspects
    )
    if suspects:
        top = suspects[0]
        return Answer(command, top.get("object"), top.get("id"), top.get("confidence"), ranked)
    if command != "pod" or not body.get("answer"):
        return Answer(command, None, None, None, ranked)
    match = (body.get("matches") or [{}])[0]
    because = match.get("because")
    named = because.get("object") if isinstance(because, dict) else None
    return Answer(command, named or own, body.get("answer"), match.get("confidence"), ranked)


def ask(
    command: str,
    fault: Fault,
    symptom: str,
    pod: str,
    *,
    source: list[str],
    env: dict[str, str],
    namespace: str = NAMESPACE,
) -> Answer:
    """Run the command (with `source`: [] live, or ["--from-outputs", DIR, ...]) and score it."""
    args = arguments(command, fault, symptom, pod, namespace)
    result = kubemedic_in_process(*args, *source, env=env)
    if result.code != 0:
        return Answer(
            command,
            None,
            None,
            None,
            error=result.stderr.strip().splitlines()[-1:][0]
            if result.stderr.strip()
            else f"exit {result.code}",
        )
    return first_named(command, result.json(), f"service/{fault.caller}")


def ask_live(
    command: str,
    fault: Fault,
    symptom: str,
    pod: str,
    kubeconfig: Path,
    home: Path,
    namespace: str = NAMESPACE,
) -> Answer:
    return ask(
        command,
        fault,
        symptom,
        pod,
        namespace=namespace,
        source=[],
        env={"KUBECONFIG": str(kubeconfig), "HOME": str(home)},
    )


def ask_recorded(
    command: str, fault: Fault, folder: Path, case: dict[str, Any], home: Path, at: str = ""
) -> Answer:
    """Ask of a recorded folder (its case.json: the symptom, the caller's pod, the namespace)."""
    source = ["--from-outputs", str(folder / "outputs"), *(["--at", at] if at else [])]
    return ask(
        command,
        fault,
        case["symptom"],
        case["caller_pod"],
        namespace=case["namespace"],
        source=source,
        env={"HOME": str(home)},
    )


def rendered(folder: Path, describe: bool, into: Path) -> Path:
    """The folder's outputs, without those printed as YAML when `describe`."""
    if not describe:
        return folder
    copy = into / folder.name
    (copy / "outputs").mkdir(parents=True)
    shutil.copy(folder / "case.json", copy / "case.json")
    for path in (folder / "outputs").iterdir():
        if " -o yaml" not in path.read_text().split("\n", 1)[0]:
            shutil.copy(path, copy / "outputs" / path.name)
    return copy
