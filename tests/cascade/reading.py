"""Reading the cascade app on the node: its pods, its logs, what its users get, and when it is healthy.

Every check reads a `View` (the admin `Api`, the namespace, and the moment from which logged
lines count: the fault's own, not the previous one's), so a fault's `shows` and the sequence's
`healthy` read the same things a person would look at: pod states, Endpoints, the users'
answers (the load tier's log) and the callers' logs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tests.cascade.app import SERVICES, TIERS
from tests.realnode.scenarios import pods, statuses
from tests.realnode.shop import ready
from tests.realserver.api import Api, Obj


@dataclass(frozen=True)
class View:
    """What a check reads: the namespace through `api`, its logs from `since` on."""

    api: Api
    namespace: str
    since: datetime | None = None


Check = Callable[[View], bool]
ANSWER = re.compile(
    r"GET (?P<url>\S+): (?P<status>\d{3} [^\n]*?) in (?P<took>[\d.]+)(?P<unit>ms|s)$"
)
ERROR = re.compile(r"GET \S+: (?P<error>.*) \(after (?P<took>[\d.]+)(?P<unit>ms|s)\)$")
FAST = 0.3
"""Seconds under which an answer is fast (the healthy app answers in milliseconds)."""


def tier_pods(api: Api, namespace: str, tier: str) -> list[Obj]:
    """The tier's pods that are not being deleted."""
    return [
        p
        for p in pods(api, namespace)
        if p["metadata"].get("labels", {}).get("app") == tier
        and "deletionTimestamp" not in p["metadata"]
    ]


def container_log(view: View, pod: str, container: str, tail: int, previous: bool = False) -> str:
    """The container's last log lines since `view.since` ("" when none, or no previous run)."""
    query = [("container", container), ("tailLines", str(tail))]
    if previous:
        query.append(("previous", "true"))
    if view.since is not None:
        query.append(("sinceTime", view.since.strftime("%Y-%m-%dT%H:%M:%SZ")))
    verb, url, headers, _, _ = view.api.client.param_serialize(
        method="GET",
        resource_path=f"/api/v1/namespaces/{view.namespace}/pods/{pod}/log",
        query_params=query,
        header_params={"Accept": "*/*"},
        auth_settings=["BearerToken"],
    )
    response = view.api.client.call_api(verb, url, header_params=headers, _request_timeout=10)
    return response.read().decode("utf-8", "replace") if response.status == 200 else ""


def tier_log(view: View, tier: str, tail: int = 40) -> str:
    """The last lines the tier's containers logged (a restarted one's previous run first)."""
    found = []
    for pod in tier_pods(view.api, view.namespace, tier):
        name = pod["metadata"]["name"]
        for status in statuses(pod):
            if status.get("restartCount", 0) > 0:
                found.append(container_log(view, name, status["name"], tail, previous=True))
            found.append(container_log(view, name, status["name"], tail))
    return "".join(found)


def answers(view: View, path: str = "/api/orders") -> list[tuple[str, float]]:
    """What the users got from web for `path`, oldest first: (status or error, seconds)."""
    found: list[tuple[str, float]] = []
    for line in tier_log(view, "load", tail=60).splitlines():
        if f"http://web{path}" not in line:
            continue
        match = ANSWER.search(line)
        if match is None:  # Go's error, and how long it took to come
            error = ERROR.search(line)
            if error is not None:
                took = float(error["took"]) / (1000.0 if error["unit"] == "ms" else 1.0)
                found.append((error["error"], took))
            continue
        took = float(match["took"]) / (1000.0 if match["unit"] == "ms" else 1.0)
        found.append((match["status"], took))
    return found


def symptom(view: View, path: str = "/api/orders") -> str:
    """What the users get, in the load tier's words: the commonest of the last five failing
    answers (the latest among equals), e.g. "GET http://web/api/orders: 502 Bad Gateway"."""
    failing = [status for status, _ in answers(view, path) if not status.startswith("200 ")][-5:]
    if not failing:
        return ""
    said = max(reversed(failing), key=failing.count)
    return f"GET http://web{path}: {said}"


def users_fail(path: str = "/api/orders") -> Check:
    """The users' last two answers for `path` were not 200 OK."""

    def check(view: View) -> bool:
        last = answers(view, path)[-2:]
        return len(last) == 2 and all(not status.startswith("200 ") for status, _ in last)

    return check


def users_wait(seconds: float) -> Check:
    """The users' last three answers took `seconds` or more each."""

    def check(view: View) -> bool:
        last = answers(view)[-3:]
        return len(last) == 3 and all(took >= seconds for _, took in last)

    return check


def logged(tier: str, text: str) -> Check:
    """The tier's recent log says `text`."""
    return lambda view: text in tier_log(view, tier)


def container_state(tier: str, test: Callable[[Obj], bool]) -> Check:
    """A container status of the tier's pods passes `test`."""
    return lambda view: any(
        test(s) for p in tier_pods(view.api, view.namespace, tier) for s in statuses(p)
    )


def waiting(tier: str, reason: str) -> Check:
    return container_state(
        tier, lambda s: (s.get("state", {}).get("waiting") or {}).get("reason") == reason
    )


def terminated(tier: str, reason: str) -> Check:
    return container_state(
        tier, lambda s: (s.get("lastState", {}).get("terminated") or {}).get("reason") == reason
    )


def not_ready(tier: str) -> Check:
    return lambda view: (
        bool(found := tier_pods(view.api, view.namespace, tier))
        and not any(ready(p) for p in found)
    )


def no_endpoints(service: str) -> Check:
    def check(view: View) -> bool:
        endpoints = view.api.find("Endpoints", service, view.namespace) or {}
        return not any(s.get("addresses") for s in endpoints.get("subsets") or [])

    return check


def every(*checks: Check) -> Check:
    return lambda view: all(check(view) for check in checks)


def rolled_out(api: Api, namespace: str, tier: str) -> bool:
    """The tier's Deployment has its one updated pod available, and no other pod."""
    deployment = api.get("Deployment", tier, namespace)
    status, want = deployment.get("status", {}), deployment["spec"]["replicas"]
    counts = [status.get(key) for key in ("updatedReplicas", "availableReplicas", "replicas")]
    return (
        status.get("observedGeneration") == deployment["metadata"]["generation"]
        and counts == [want] * 3
        and len(tier_pods(api, namespace, tier)) == want
    )


def healthy(view: View) -> bool:
    """Every tier rolled out and ready, no pod left over, every Service with ready endpoints,
    and the users' last three answers for both paths (since `view.since`) fast and 200 OK."""
    api, namespace = view.api, view.namespace
    if len(pods(api, namespace)) != len(TIERS):  # (terminating ones included)
        return False
    if not all(rolled_out(api, namespace, tier) for tier in TIERS):
        return False
    if not all(ready(p) for p in pods(api, namespace)):
        return False
    if any(no_endpoints(service)(view) for service in SERVICES):
        return False
    for path in ("/api/orders", "/catalog/items"):
        last = answers(view, path)[-3:]
        if len(last) < 3 or not all(s.startswith("200 ") and t < FAST for s, t in last):
            return False
    return True
