"""Reading an app family on the node: its pods, its logs, what its users get, and when it is healthy.

Every check reads a `View` (the admin `Api`, the family and its namespace, and the moment from
which logged lines count: the fault's own, not the previous one's), so a fault's `shows` and
the sequence's `healthy` read the same things a person would look at: pod states, Endpoints,
the users' answers (the load tier's log) and the callers' logs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tests.cascade.family import Family
from tests.realnode.scenarios import pods, statuses
from tests.realnode.shop import ready
from tests.realserver.api import Api, Obj


@dataclass(frozen=True)
class View:
    """What a check reads: the family's namespace through `api`, its logs from `since` on."""

    api: Api
    family: Family
    since: datetime | None = None

    @property
    def namespace(self) -> str:
        return self.family.namespace

    def pods(self, tier: str) -> list[Obj]:
        """The tier's pods that are not being deleted (wherever the tier runs)."""
        return tier_pods(self.api, self.family.namespace_of(tier), tier, self.family.label)


Check = Callable[[View], bool]
ANSWER = re.compile(
    r"(?P<method>GET|POST) (?P<url>\S+): (?P<status>\d{3} [^\n]*?) in (?P<took>[\d.]+)(?P<unit>ms|s)$"
)
ERROR = re.compile(
    r"(?P<method>GET|POST) (?P<url>\S+): (?P<error>.*) \(after (?P<took>[\d.]+)(?P<unit>ms|s)\)$"
)
FAST = 0.3
"""Seconds under which an answer is fast (the healthy app answers in milliseconds)."""


def tier_pods(api: Api, namespace: str, tier: str, label: str = "app") -> list[Obj]:
    """The tier's pods that are not being deleted."""
    return [
        p
        for p in pods(api, namespace)
        if p["metadata"].get("labels", {}).get(label) == tier
        and "deletionTimestamp" not in p["metadata"]
    ]


def container_log(view: View, pod: Obj, container: str, tail: int, previous: bool = False) -> str:
    """The container's last log lines since `view.since` ("" when none, or no previous run)."""
    query = [("container", container), ("tailLines", str(tail))]
    if previous:
        query.append(("previous", "true"))
    if view.since is not None:
        query.append(("sinceTime", view.since.strftime("%Y-%m-%dT%H:%M:%SZ")))
    verb, url, headers, _, _ = view.api.client.param_serialize(
        method="GET",
        resource_path=f"/api/v1/namespaces/{pod['metadata']['namespace']}/pods/"
        f"{pod['metadata']['name']}/log",
        query_params=query,
        header_params={"Accept": "*/*"},
        auth_settings=["BearerToken"],
    )
    response = view.api.client.call_api(verb, url, header_params=headers, _request_timeout=60)
    return response.read().decode("utf-8", "replace") if response.status == 200 else ""


def tier_log(view: View, tier: str, tail: int = 40) -> str:
    """The last lines the tier's containers logged (a restarted one's previous run first)."""
    found = []
    for pod in view.pods(tier):
        for status in statuses(pod):
            if status.get("restartCount", 0) > 0:
                found.append(container_log(view, pod, status["name"], tail, previous=True))
            found.append(container_log(view, pod, status["name"], tail))
    return "".join(found)


def said(view: View, path: str = "") -> list[tuple[str, str, float]]:
    """What the users asked of `path` (the family's first by default) and got, oldest first:
    (method, status or error, seconds)."""
    url = f"{view.family.users}{path or view.family.paths[0]}"
    found: list[tuple[str, str, float]] = []
    for line in tier_log(view, "load", tail=60).splitlines():
        match = ANSWER.search(line) or ERROR.search(line)  # an answer, or Go's error
        if match is None or match["url"].partition("?")[0] != url:
            continue
        took = float(match["took"]) / (1000.0 if match["unit"] == "ms" else 1.0)
        said = match["status"] if "status" in match.groupdict() else match["error"]
        found.append((match["method"], said, took))
    return found


def answers(view: View, path: str = "") -> list[tuple[str, float]]:
    """What the users got for `path`, oldest first: (status or error, seconds)."""
    return [(status, took) for _, status, took in said(view, path)]


def symptom(view: View, path: str = "") -> str:
    """What the users get, in the load tier's words: the commonest of the last five failing
    answers (the latest among equals), e.g. "GET http://web/api/orders: 502 Bad Gateway"."""
    asked = said(view, path)
    failing = [status for _, status, _ in asked if not status.startswith(("200 ", "201 "))][-5:]
    if not failing:
        return ""
    common = max(reversed(failing), key=failing.count)
    return f"{asked[-1][0]} {view.family.users}{path or view.family.paths[0]}: {common}"


def users_fail(path: str = "") -> Check:
    """The users' last two answers for `path` were not 200 (or 201) OK."""

    def check(view: View) -> bool:
        last = answers(view, path)[-2:]
        return len(last) == 2 and all(not s.startswith(("200 ", "201 ")) for s, _ in last)

    return check


def users_wait(seconds: float, path: str = "") -> Check:
    """The users' last three answers took `seconds` or more each."""

    def check(view: View) -> bool:
        last = answers(view, path)[-3:]
        return len(last) == 3 and all(took >= seconds for _, took in last)

    return check


def logged(tier: str, text: str) -> Check:
    """The tier's recent log says `text`."""
    return lambda view: text in tier_log(view, tier)


def container_state(tier: str, test: Callable[[Obj], bool]) -> Check:
    """A container status of the tier's pods passes `test`."""
    return lambda view: any(test(s) for p in view.pods(tier) for s in statuses(p))


def waiting(tier: str, reason: str) -> Check:
    return container_state(
        tier, lambda s: (s.get("state", {}).get("waiting") or {}).get("reason") == reason
    )


def terminated(tier: str, reason: str) -> Check:
    return container_state(
        tier, lambda s: (s.get("lastState", {}).get("terminated") or {}).get("reason") == reason
    )


def not_ready(tier: str) -> Check:
    return lambda view: bool(found := view.pods(tier)) and not any(ready(p) for p in found)


def no_endpoints(service: str) -> Check:
    def check(view: View) -> bool:
        endpoints = view.api.find("Endpoints", service, view.namespace) or {}
        return not any(s.get("addresses") for s in endpoints.get("subsets") or [])

    return check


def every(*checks: Check) -> Check:
    return lambda view: all(check(view) for check in checks)


def rolled_out(view: View, tier: str) -> bool:
    """The tier's Deployment has its one updated pod available, and no other pod."""
    namespace = view.family.namespace_of(tier)
    deployment = view.api.get("Deployment", tier, namespace)
    status, want = deployment.get("status", {}), deployment["spec"]["replicas"]
    counts = [status.get(key) for key in ("updatedReplicas", "availableReplicas", "replicas")]
    everyone = [  # (those being deleted too)
        p
        for p in pods(view.api, namespace)
        if p["metadata"].get("labels", {}).get(view.family.label) == tier
    ]
    return (
        status.get("observedGeneration") == deployment["metadata"]["generation"]
        and counts == [want] * 3
        and len(everyone) == want
        and all(ready(p) for p in everyone)
    )


def healthy(view: View) -> bool:
    """Every tier rolled out and ready with no pod left over, every Service with ready
    endpoints, and the users' last three answers for each path (since `view.since`) fast and
    200 (or 201) OK."""
    if not all(rolled_out(view, tier) for tier in view.family.tiers):
        return False
    if any(no_endpoints(service)(view) for service in view.family.services):
        return False
    for path in view.family.paths:
        last = answers(view, path)[-3:]
        if len(last) < 3 or not all(s.startswith(("200 ", "201 ")) and t < FAST for s, t in last):
            return False
    return True
