"""Transformations of a folder of recorded outputs that must not change the walk's answer, or may
only weaken it (issue 66): renaming, reordering, aliases, prompts, concatenation, an output
removed, a healthy object's outputs added. Each takes the files (name, content) and gives new
ones; `answer` runs `diagnose namespace --from-outputs --json` through the command's functions."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

Files = list[tuple[str, str]]

ALIASES = {
    "pods": "po",
    "services": "svc",
    "deployments": "deploy",
    "replicasets": "rs",
    "endpoints": "ep",
    "serviceaccounts": "sa",
    "persistentvolumeclaims": "pvc",
    "persistentvolumes": "pv",
    "nodes": "no",
    "configmaps": "cm",
    "statefulsets": "sts",
    "daemonsets": "ds",
    "storageclasses": "sc",
    "namespaces": "ns",
    "events": "ev",
}
_KIND_WORD = re.compile(r"^(\$ kubectl (?:get|describe) )(\w+)", re.MULTILINE)


def renamed_namespace(files: Files, old: str, new: str) -> Files:
    """Every mention of the namespace `old` (a word of its own) as `new`."""
    word = re.compile(rf"(?<![\w.-]){re.escape(old)}(?![\w-])")
    return [(name, word.sub(new, text)) for name, text in files]


def reordered(files: Files, seed: str) -> Files:
    """The same files under names that sort in another (seeded) order."""
    shuffled = list(files)
    random.Random(seed).shuffle(shuffled)
    return [(f"{number:04d}-{name}", text) for number, (name, text) in enumerate(shuffled)]


def aliased(files: Files) -> Files:
    """`kubectl get pods` as `kubectl get po`, and every kind by its short name."""
    return [
        (name, _KIND_WORD.sub(lambda m: m[1] + ALIASES.get(m[2], m[2]), text))
        for name, text in files
    ]


def prompted(files: Files) -> Files:
    """Each `$ ` command line behind a user@host prompt, as a terminal shows it."""
    return [(name, re.sub(r"^\$ ", "oncall@bastion:~$ ", text, flags=re.M)) for name, text in files]


def concatenated(files: Files) -> Files:
    """Every output in one file, one after another."""
    return [("ticket.txt", "\n".join(text.rstrip("\n") + "\n" for _, text in files))]


def without(files: Files, number: int) -> Files:
    """The files with one left out."""
    return [f for i, f in enumerate(files) if i != number]


HEALTHY_APP = """\
$ kubectl get deployment zzhealthy -n {ns}
NAME        READY   UP-TO-DATE   AVAILABLE   AGE
zzhealthy   1/1     1            1           3d

$ kubectl get pods -l app=zzhealthy -n {ns} --show-labels
NAME                          READY   STATUS    RESTARTS   AGE   LABELS
zzhealthy-6f9d8c7b5d-k2x9q    1/1     Running   0          3d    app=zzhealthy,pod-template-hash=6f9d8c7b5d

$ kubectl describe service zzhealthy -n {ns}
Name:              zzhealthy
Namespace:         {ns}
Labels:            app=zzhealthy
Selector:          app=zzhealthy
Type:              ClusterIP
IP:                10.96.200.200
Port:              http  8080/TCP
TargetPort:        8080/TCP
Endpoints:         10.244.9.9:8080
Events:            <none>
"""


def with_healthy_app(files: Files, namespace: str) -> Files:
    """A healthy Deployment, its pod and its Service added to the outputs."""
    return [*files, ("zz-healthy.txt", HEALTHY_APP.format(ns=namespace))]


def answer(
    files: Files, namespace: str, symptom: str, folder: Path, run: Callable[..., Any]
) -> list[tuple[str, str, str]]:
    """(object, id, confidence) of each suspect the walk names for the files."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, text in files:
        (folder / name).write_text(text, encoding="utf-8")
    suspects = run(namespace, folder, symptom)
    return [(s["object"], s["id"], s["confidence"]) for s in suspects]


def stated(suspects: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """The (object, id) of the suspects said with medium or high confidence."""
    return {(obj, entry) for obj, entry, confidence in suspects if confidence != "low"}
