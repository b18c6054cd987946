"""Streamable HTTP behind KUBEMEDIC_MCP_TOKEN (refused without it, at start and per request), the
Host and Origin checks on an address other than 127.0.0.1, and the two catalog tools."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import anyio
import pytest
from mcp import MCPError

from tests.cli.runner import kubemedic
from tests.mcp.conftest import CLIENT_NAME, OTHER_HOST, TOKEN, Cluster, HttpServer
from tests.mcp.test_match_error import text_of

INITIALIZE = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}).encode()


def post(
    url: str,
    *,
    authorization: str | None,
    body: bytes = INITIALIZE,
    extra: dict[str, str] | None = None,
) -> tuple[int, str]:
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        **(extra or {}),
    }
    if authorization is not None:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer "],
    ids=["none", "wrong", "not bearer", "empty"],
)
def test_a_request_without_the_right_bearer_token_gets_401(
    authorization: str | None, http_server: HttpServer
) -> None:
    status, body = post(http_server.url, authorization=authorization)
    assert status == 401 and "KUBEMEDIC_MCP_TOKEN" in body


def test_a_request_body_over_512_kib_is_refused_by_the_transport(http_server: HttpServer) -> None:
    call = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "match_error", "arguments": {"text": "x" * 600_000}},
    }
    try:
        status, _ = post(
            http_server.url, authorization=f"Bearer {TOKEN}", body=json.dumps(call).encode()
        )
    except (urllib.error.URLError, ConnectionError) as error:
        # the server answered 413 and closed before taking the rest of the body: on a busy machine
        # the client sees its send cut off instead of the status (a refusal either way)
        reason = getattr(error, "reason", error)
        assert isinstance(reason, ConnectionError), error
        status = 413
    assert status == 413
    test_health_is_open_for_probes(http_server)  # and the server took no harm


def test_the_sdk_client_with_a_wrong_token_cannot_connect_and_the_right_one_can(
    http_server: HttpServer,
) -> None:
    async def connect(token: str) -> list[str]:
        async with http_server.client(token) as client:
            return [tool.name for tool in (await client.list_tools()).tools]

    with pytest.raises(
        BaseExceptionGroup
    ) as refused:  # the SDK raises its transport's errors in a group
        anyio.run(connect, "wrong-token")
    assert refused.group_contains(MCPError, depth=None)
    assert "match_error" in anyio.run(connect, TOKEN)


def test_health_is_open_for_probes(http_server: HttpServer) -> None:
    url = http_server.url.removesuffix("/mcp") + "/healthz"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200 and json.loads(response.read()) == {"status": "ok"}


def test_http_mode_refuses_to_start_without_a_token(cluster: Cluster) -> None:
    result = kubemedic("mcp", "--http", "--port", "0", env=cluster.env())
    assert result.code == 2
    assert result.stderr.strip() == (
        "kubemedic: KUBEMEDIC_MCP_TOKEN is not set: `kubemedic mcp --http` answers "
        "only clients that send it as a bearer token (stdio needs none)"
    )


def test_catalog_entry_gives_one_entry_in_full_and_names_close_ids(http_server: HttpServer) -> None:
    async def scenario() -> tuple[dict[str, object], str]:
        async with http_server.client() as client:
            entry = await client.call_tool("catalog_entry", {"id": "node-disk-pressure"})
            missing = await client.call_tool("catalog_entry", {"id": "oom-kiled"})
        assert missing.is_error
        return entry.structured_content or {}, text_of(missing)

    entry, missing = anyio.run(scenario)
    assert (
        entry["id"] == "node-disk-pressure"
        and entry["symptoms"]
        and entry["fix"]
        and entry["cluster_checks"]
    )
    assert "no catalog entry 'oom-kiled'; closest: oom-killed" in missing


def test_catalog_search_finds_entries_by_the_words_people_use(http_server: HttpServer) -> None:
    async def scenario() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        async with http_server.client() as client:
            for query in ("oom killed", "leader election", "pvc pending", "node not ready"):
                result = await client.call_tool("catalog_search", {"query": query, "top": 3})
                found[query] = [hit["id"] for hit in (result.structured_content or {})["hits"]]
            empty = await client.call_tool("catalog_search", {"query": " "})
        assert empty.is_error and "query is empty" in text_of(empty)
        return found

    found = anyio.run(scenario)
    assert found["oom killed"][0] == "oom-killed"
    assert found["leader election"][0] == "leader-election-lost"
    assert found["pvc pending"][0] == "pvc-pending"
    assert found["node not ready"][0] == "node-not-ready"


def _status(url: str, token: str, **headers: str) -> int:
    """The status of a tools/list POST with this bearer token and these headers (Host, Origin)."""
    status, _ = post(url, authorization=f"Bearer {token}", extra=headers)
    return status


def test_the_token_from_a_file_is_stripped_and_host_and_origin_are_checked_off_loopback(
    http_server: HttpServer,
) -> None:
    url, port = http_server.url, urlsplit(http_server.url).port
    assert urlsplit(url).hostname == OTHER_HOST
    assert _status(url, TOKEN) == 200  # the server's token ended in a newline
    assert _status(url, "") == 401
    assert _status(url, TOKEN, Host=f"attacker.example:{port}") == 421
    assert _status(url, TOKEN, Origin="http://attacker.example") == 403
    assert _status(url, TOKEN, Host=CLIENT_NAME) == 200
    assert _status(url, TOKEN, Host=f"{CLIENT_NAME}:{port}", Origin=f"https://{CLIENT_NAME}") == 200
    assert _status(url, "", Host=CLIENT_NAME) == 401


def test_a_host_or_origin_that_only_starts_with_an_allowed_name_is_refused(
    http_server: HttpServer,
) -> None:
    """`localhost:PORT.evil.example` is a domain of its own (a DNS-rebinding page's), not
    localhost on a port: the SDK's `localhost:*` check read it as a prefix and let it in."""
    url, port = http_server.url, urlsplit(http_server.url).port
    evil = f"localhost:{port}.evil.example"
    assert _status(url, TOKEN, Host=evil) == 421
    assert _status(url, TOKEN, Host=f"{CLIENT_NAME}:{port}.evil.example") == 421
    assert _status(url, TOKEN, Host=f"{CLIENT_NAME}:{port}@evil.example") == 421
    assert _status(url, TOKEN, Origin=f"http://{evil}") == 403
    assert _status(url, TOKEN, Origin=f"http://{CLIENT_NAME}:{port}/x") == 403
    assert _status(url, TOKEN, Origin=f"ftp://{CLIENT_NAME}") == 403
    # a browser client on another local port (an inspector) names localhost and a port: allowed
    assert _status(url, TOKEN, Host=f"localhost:{port}", Origin="http://localhost:6274") == 200
    assert _status(url, TOKEN, Host=f"[::1]:{port}", Origin=f"http://[::1]:{port}") == 200
