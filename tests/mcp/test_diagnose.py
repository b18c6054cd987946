"""`diagnose` through the SDK's client: read-only, held to the bot's context and namespace
allowlists, each candidate with its evidence verdict, and one line when the cluster cannot be read."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp.types import CallToolResult

from tests.mcp.conftest import Cluster, HttpServer, stdio_client
from tests.mcp.test_match_error import text_of


async def diagnosed(http_server: HttpServer, **arguments: Any) -> CallToolResult:
    async with http_server.client() as client:
        return await client.call_tool("diagnose", arguments)


def test_a_crashlooping_pod_is_confirmed_oomkilled_with_each_candidates_verdict(
    cluster: Cluster, http_server: HttpServer
) -> None:
    result = anyio.run(
        lambda: diagnosed(http_server, kind="pod", name=cluster.oom_pod, namespace="shop")
    )
    assert not result.is_error, text_of(result)
    body = result.structured_content or {}
    assert body["outcome"] == "answer" and body["cluster"] == "lab"
    assert body["answer"]["id"] == "oom-killed" and body["answer"]["verdict"] == "confirmed"
    assert any("OOMKilled (exit code 137)" in fact for fact in body["answer"]["evidence"])
    verdicts = {c["id"]: c["verdict"] for c in body["runner_ups"]}
    assert set(verdicts.values()) <= {"confirmed", "refuted", "unknown"}
    assert verdicts.get("crashloop-backoff") == "confirmed"  # the symptom the answer explains
    assert "refuted" in verdicts.values()  # everything was read: a rule that did not hold is false
    assert all(
        c["standing"].startswith("refuted: ")
        for c in body["runner_ups"]
        if c["verdict"] == "refuted"
    )
    assert body["unread"] == []
    assert not [r for r in cluster.standin.requests if r.method != "GET"]  # read-only


def test_a_pod_whose_events_cannot_be_read_abstains_naming_what_was_not_read(
    cluster: Cluster, http_server: HttpServer
) -> None:
    pod = cluster.standin.objects("Pod", "partial")[0]["metadata"]["name"]
    body = anyio.run(
        lambda: diagnosed(http_server, kind="pod", name=pod, namespace="partial")
    ).structured_content
    assert (
        body is not None and body["outcome"] == "abstain"
    )  # the pull error is in the events it could not read
    assert any("events" in gap and "forbidden" in gap for gap in body["unread"]), body["unread"]
    candidates = body["runner_ups"]
    assert candidates and "refuted" not in {
        c["verdict"] for c in candidates
    }  # a rule's facts may be in what was not read
    assert {c["verdict"] for c in candidates} <= {"confirmed", "unknown"}


def test_a_pod_given_as_namespace_slash_name_reads_the_same(
    cluster: Cluster, http_server: HttpServer
) -> None:
    result = anyio.run(lambda: diagnosed(http_server, kind="pod", name=f"shop/{cluster.oom_pod}"))
    assert (result.structured_content or {})["answer"]["id"] == "oom-killed"


def test_a_healthy_pod_is_healthy_not_an_abstain(cluster: Cluster, http_server: HttpServer) -> None:
    pod = cluster.standin.objects("Pod", "store")[0]["metadata"]["name"]
    body = anyio.run(
        lambda: diagnosed(http_server, kind="pod", name=pod, namespace="store")
    ).structured_content
    assert body is not None and body["outcome"] == "healthy" and body["abstain"] is None
    assert body["summary"].startswith("healthy: no problem found")


def test_a_namespace_outside_the_allowlist_is_refused_before_any_request(
    cluster: Cluster, http_server: HttpServer
) -> None:
    before = len(cluster.standin.requests)
    pod = cluster.standin.objects("Pod", "payments")[0]["metadata"]["name"]
    for arguments in (
        {"kind": "namespace", "namespace": "payments"},
        {"kind": "pod", "name": pod, "namespace": "payments"},
    ):
        result = anyio.run(lambda given=arguments: diagnosed(http_server, **given))
        assert result.is_error
        assert "namespace 'payments' is outside KUBEMEDIC_NAMESPACES" in text_of(result)
    assert [r.path for r in cluster.standin.requests[before:] if "payments" in r.path] == []


def test_a_node_shows_only_the_pods_of_allowed_namespaces(
    cluster: Cluster, http_server: HttpServer
) -> None:
    body = anyio.run(
        lambda: diagnosed(http_server, kind="node", name="worker-2")
    ).structured_content
    assert body is not None
    pods = [row["pod"] for row in body["pods"]]
    assert any(pod.startswith("shop/") for pod in pods)
    assert not any(pod.startswith("payments/") for pod in pods)
    assert any("outside KUBEMEDIC_NAMESPACES are not shown" in note for note in body["notes"])


def test_a_namespace_whose_pods_the_api_server_cannot_list_is_one_line(
    cluster: Cluster, http_server: HttpServer
) -> None:
    result = anyio.run(lambda: diagnosed(http_server, kind="namespace", namespace="broken"))
    assert result.is_error
    message = text_of(result)
    assert "cannot list pods in namespace broken in cluster lab" in message
    assert "\n" not in message and "Traceback" not in message


def test_an_unreachable_cluster_is_one_line_over_stdio(cluster: Cluster) -> None:
    async def scenario() -> CallToolResult:
        async with stdio_client(cluster) as client:
            return await client.call_tool(
                "diagnose", {"kind": "pod", "name": "shop/checkout-0", "context": "down"}
            )

    result = anyio.run(scenario)
    assert result.is_error
    message = text_of(result)
    assert "cannot read pod shop/checkout-0 in cluster down" in message and "\n" not in message


def test_a_context_outside_kubemedic_contexts_is_refused(
    cluster: Cluster, http_server: HttpServer
) -> None:
    result = anyio.run(
        lambda: diagnosed(http_server, kind="namespace", namespace="shop", context="prod")
    )
    assert (
        result.is_error
        and "context 'prod' is not allowed; allowed contexts: lab, down" in text_of(result)
    )


BAD = {
    "unknown kind": (
        {"kind": "deployment", "name": "web"},
        "kind must be one of pod, namespace, service, node",
    ),
    "pod without name": ({"kind": "pod", "namespace": "shop"}, "a pod needs its name"),
    "path traversal": (
        {"kind": "pod", "name": "../x", "namespace": "shop"},
        "expected NAMESPACE/NAME",
    ),
    "dots in a namespace": (
        {"kind": "namespace", "namespace": ".."},
        "must not contain '/' or '..'",
    ),
    "uppercase namespace": ({"kind": "namespace", "namespace": "Shop"}, "must be lowercase"),
    "node without name": ({"kind": "node"}, "needs the node's name"),
}


@pytest.mark.parametrize(("arguments", "why"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_one_line_and_reaches_no_cluster(
    arguments: dict[str, Any], why: str, cluster: Cluster, http_server: HttpServer
) -> None:
    before = len(cluster.standin.requests)
    result = anyio.run(lambda: diagnosed(http_server, **arguments))
    assert result.is_error and why in text_of(result) and "\n" not in text_of(result)
    assert len(cluster.standin.requests) == before
