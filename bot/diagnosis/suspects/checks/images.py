"""Image checks: why a workload's image cannot be pulled, read from the kubelet's own words.

The kubelet's Failed event carries the registry's answer: a registry host that does not resolve
or answer, a reference the registry does not have, a registry that refuses without credentials,
a name that is not a valid reference. Each needs another fix (the registry address, the tag, a
pull secret), so the message decides the entry, not the waiting reason.
"""

from __future__ import annotations

import re

from bot.diagnosis.suspects.checks.common import affected, names, workload_chain
from bot.diagnosis.suspects.clues import CONFIRMED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.walk_findings import WalkFinding

PULLING = frozenset({"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"})
CAUSES: tuple[tuple[WalkFinding, re.Pattern[str], str], ...] = (
    # (the walk's finding, what the kubelet says, what it means)
    (
        "registry_unreachable",
        re.compile(
            r"dial tcp: lookup (?P<host>[\w.-]+)|lookup (?P<host2>[\w.-]+)(?: on \S+)?: "
            r"(?:no such host|Temporary failure|server misbehaving)|dial tcp \S+: "
            r"(?:i/o timeout|connect: connection refused|connect: no route to host)",
            re.IGNORECASE,
        ),
        "the registry cannot be reached",
    ),
    (
        "image_name_invalid",
        re.compile(
            r"InvalidImageName|couldn't parse image reference|"
            r"invalid reference format",
            re.IGNORECASE,
        ),
        "the image name is invalid",
    ),
    (
        "image_missing",
        re.compile(
            r"\bnot found\b|manifest unknown|repository does not exist|"
            r"NotFound",
            re.IGNORECASE,
        ),
        "the registry does not have the image",
    ),
    (
        "pull_unauthorized",
        re.compile(
            r"unauthorized|authentication required|failed to authorize|\b40[13] Forbidden\b|"
            r"access denied|denied: |insufficient_scope",
            re.IGNORECASE,
        ),
        "the registry refuses the pull without credentials",
    ),
)


def _waiting(workload: Workload) -> list[tuple[str, str, str]]:
    """(pod, container, image) of containers waiting on their image."""
    found = []
    for pod in workload.pods:
        images = {
            c.get("name"): c.get("image") for c in (pod.get("spec") or {}).get("containers") or []
        }
        for status in (pod.get("status") or {}).get("containerStatuses") or []:
            reason = ((status.get("state") or {}).get("waiting") or {}).get("reason")
            if reason in PULLING:
                found.append(
                    (
                        name_of(pod),
                        str(status.get("name")),
                        str(images.get(status.get("name")) or status.get("image") or ""),
                    )
                )
    return found


def check(graph: Graph) -> list[Clue]:
    clues = []
    for workload in graph.workloads.values():
        waiting = _waiting(workload)
        if not waiting:
            continue
        pods = {pod for pod, _, _ in waiting}
        failed = [
            e
            for e in graph.events_of("Pod", pods)
            if e.reason in ("Failed", "InspectFailed")
            and e.message not in ("Error: ErrImagePull", "Error: ImagePullBackOff")
        ]
        pod, container, image = waiting[0]
        for finding, pattern, meaning in CAUSES:
            said = next((e.message for e in failed if pattern.search(e.message)), None)
            if said is None:
                continue
            clues.append(
                Clue(
                    finding,
                    graph.known_as(workload),
                    workload.ref,
                    (
                        f"container {container} of pod {pod} waits on image {image}: {meaning}",
                        f"kubelet: {said[:400]}",
                    ),
                    workload_chain(graph, workload, f"pod {pod}: image pull fails", meaning),
                    CONFIRMED,
                    affects=affected(graph, [workload]),
                    names=names(graph, workload),
                    why=("the kubelet's pull error says why",),
                    fix_names={"workload": workload.ref, "image": image},
                )
            )
            break
    return clues
