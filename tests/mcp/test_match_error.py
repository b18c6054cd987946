"""`match_error` through the SDK's own client: an answer with everything an agent needs, an
explicit abstain with its reason, and input bounded like a paste; over stdio and HTTP."""

from __future__ import annotations

import json
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult

from tests.cli.runner import SCRIPT
from tests.hardening.planted_secrets import PLANTED, SECRETS
from tests.mcp.conftest import Cluster, HttpServer, stdio_client

ROOT = Path(__file__).resolve().parents[2]
OOM_DESCRIBE = (ROOT / "examples" / "pastes" / "oom-killed-describe.txt").read_text()
CLOSE_CALL = "the init container was killed, exit code 137, no idea why"
"""OOMKilled and a plain SIGKILL read almost alike from these words (the close-call rule, intents/decision/rules.py)."""


def session(
    transport: str, cluster: Cluster, http_server: HttpServer
) -> AbstractAsyncContextManager[Client]:
    return stdio_client(cluster) if transport == "stdio" else http_server.client()


async def call(client: Client, tool: str, **arguments: Any) -> CallToolResult:
    return await client.call_tool(tool, arguments)


def text_of(result: CallToolResult) -> str:
    return "\n".join(getattr(part, "text", "") for part in result.content)


@pytest.mark.parametrize("transport", ["stdio", "http"])
def test_a_pasted_oomkilled_describe_is_answered_with_cause_fix_links_and_why(
    transport: str, cluster: Cluster, http_server: HttpServer
) -> None:
    async def scenario() -> None:
        async with session(transport, cluster, http_server) as client:
            result = await call(client, "match_error", text=OOM_DESCRIBE)
        assert not result.is_error, text_of(result)
        body = result.structured_content or {}
        answer = body["answer"]
        assert body["outcome"] == "answer" and body["abstain"] is None
        assert answer["id"] == "oom-killed" and answer["confidence"] == "high"
        assert "OOM killer" in answer["root_cause"]
        assert any("kubectl" in (step.get("command") or "") for step in answer["fix"])
        assert all(link["url"].startswith("https://") and link["title"] for link in answer["links"])
        assert answer["why"] and all(step["rule"] and step["effect"] for step in answer["why"])
        assert answer["verdict"] == "confirmed"  # the pasted describe shows the OOMKilled exit
        assert any("exit code 137" in fact for fact in answer["evidence"])
        assert body["runner_ups"] and all(other["standing"] for other in body["runner_ups"])
        assert (
            json.loads(text_of(result))["answer"]["id"] == "oom-killed"
        )  # the text content says the same

    anyio.run(scenario)


def test_chat_is_an_explicit_abstain_saying_no_entry_matched(
    cluster: Cluster, http_server: HttpServer
) -> None:
    async def scenario() -> None:
        async with http_server.client() as client:
            result = await call(
                client, "match_error", text="we should grab lunch after the standup"
            )
        body = result.structured_content or {}
        assert not result.is_error
        assert body["outcome"] == "abstain" and body["answer"] is None
        assert body["abstain"]["reason"] == "no entry matched"
        assert "abstain" in text_of(result) and body["summary"].startswith(
            "abstain: no entry matched"
        )

    anyio.run(scenario)


def test_a_close_call_abstains_naming_both_candidates(
    cluster: Cluster, http_server: HttpServer
) -> None:
    async def scenario() -> None:
        async with http_server.client() as client:
            result = await call(client, "match_error", text=CLOSE_CALL)
        body = result.structured_content or {}
        assert body["outcome"] == "abstain"
        assert body["abstain"]["reason"] == "candidates too close"
        assert (
            "oom-killed" in body["abstain"]["detail"]
            and "exit-code-137-sigkill" in body["abstain"]["detail"]
        )
        assert {"oom-killed", "exit-code-137-sigkill"} <= {c["id"] for c in body["runner_ups"]}

    anyio.run(scenario)


@pytest.mark.parametrize("transport", ["stdio", "http"])
def test_text_over_40_kb_is_refused_with_one_line(
    transport: str, cluster: Cluster, http_server: HttpServer
) -> None:
    async def scenario() -> None:
        async with session(transport, cluster, http_server) as client:
            too_big = await call(client, "match_error", text=OOM_DESCRIBE + "x" * 41_000)
            at_limit = await call(client, "match_error", text=OOM_DESCRIBE[:40_000])
        assert too_big.is_error
        message = text_of(too_big)
        assert (
            "reads at most 40,960 bytes" in message
            and "\n" not in message
            and "Traceback" not in message
        )
        assert not at_limit.is_error

    anyio.run(scenario)


def test_empty_text_and_a_top_out_of_range_get_one_line_each(
    cluster: Cluster, http_server: HttpServer
) -> None:
    async def scenario() -> None:
        async with http_server.client() as client:
            empty = await call(client, "match_error", text="  \n ")
            many = await call(client, "match_error", text=OOM_DESCRIBE, top=50)
            few = await call(client, "match_error", text=OOM_DESCRIBE, top=1)
        assert empty.is_error and "text is empty" in text_of(empty)
        assert many.is_error and "top must be between 1 and 10 (got 50)" in text_of(many)
        assert not few.is_error and len((few.structured_content or {})["runner_ups"]) <= 1

    anyio.run(scenario)


def test_secrets_in_the_paste_never_come_back(cluster: Cluster, http_server: HttpServer) -> None:
    token = "ghp_" + "Q7xLm2Vb9Rt4Kp8Zw3Nc6Hd1Fy5Js0Ga2Ue7"
    paste = (
        f"$ curl -H 'Authorization: Bearer {token}' https://registry.example.com/v2/\n"
        f'Failed to pull image "registry.example.com/shop/app:1.4": pull access denied, '
        f"repository does not exist or may require 'docker login'\n"
    )

    async def scenario() -> None:
        async with http_server.client() as client:
            result = await call(client, "match_error", text=paste)
        assert token not in text_of(result) and token not in json.dumps(result.structured_content)
        assert (result.structured_content or {})["outcome"] == "answer"

    anyio.run(scenario)


def test_the_four_tools_are_listed_read_only_with_input_and_output_schemas(
    cluster: Cluster, http_server: HttpServer
) -> None:
    async def scenario() -> None:
        async with http_server.client() as client:
            listed = await client.list_tools()
        tools = {tool.name: tool for tool in listed.tools}
        assert set(tools) == {"match_error", "diagnose", "catalog_entry", "catalog_search"}
        for tool in tools.values():
            assert tool.annotations is not None and tool.annotations.read_only_hint is True
            assert tool.output_schema is not None and tool.input_schema["type"] == "object"
        assert tools["match_error"].input_schema["required"] == ["text"]
        outcome = tools["match_error"].output_schema["properties"]["outcome"]  # type: ignore[index]
        assert outcome["enum"] == ["answer", "abstain", "healthy"]

    anyio.run(scenario)


def test_no_planted_secret_comes_back_from_match_error(
    cluster: Cluster, http_server: HttpServer
) -> None:
    """The 408 planted secrets (tests/hardening/planted_secrets.py), each in its line, sent in
    pastes under the tool's 40 KB: the answer still names the error, and no secret is in it."""
    kinds = sorted(PLANTED)
    half = len(kinds) // 2
    pastes = [
        OOM_DESCRIBE + "\n" + "\n".join(PLANTED[kind] for kind in part)
        for part in (kinds[:half], kinds[half:])
    ]

    async def scenario() -> list[str]:
        async with http_server.client() as client:
            results = [await call(client, "match_error", text=paste) for paste in pastes]
        for result in results:
            assert not result.is_error and (result.structured_content or {})["outcome"] == "answer"
        return [text_of(result) + json.dumps(result.structured_content) for result in results]

    returned = "\n".join(anyio.run(scenario))
    assert [kind for kind, secret in SECRETS.items() if secret in returned] == []


def test_a_run_of_backslashes_before_the_error_is_answered(http_server: HttpServer) -> None:
    """Issue 76: 30,000 backslashes (cubic to unescape before) held the server: now the error after
    them is read, and the next call is answered as usual."""

    async def scenario() -> tuple[CallToolResult, CallToolResult]:
        async with http_server.client() as client:
            costly = await call(client, "match_error", text="\\" * 30_000 + "\n" + OOM_DESCRIBE)
            after = await call(client, "match_error", text=OOM_DESCRIBE)
        return costly, after

    costly, after = anyio.run(scenario)
    for result in (costly, after):
        assert not result.is_error, text_of(result)
        assert (result.structured_content or {})["answer"]["id"] == "oom-killed"


def test_a_text_past_its_cpu_budget_is_a_one_line_tool_error(cluster: Cluster) -> None:
    """KUBEMEDIC_TEXT_CPU_SECONDS bounds what reading one text may cost; past it, the tool's error
    says "too costly to read" in one line (no answer, no traceback)."""
    text = "".join(f"E0514 08:27:51 kubelet error syncing pod web-{n}\n" for n in range(800))
    params = StdioServerParameters(
        command=str(SCRIPT),
        args=["mcp"],
        env={**cluster.env(), "KUBEMEDIC_TEXT_CPU_SECONDS": "0.001"},
    )

    async def scenario() -> CallToolResult:
        async with Client(params, read_timeout_seconds=60) as client:
            return await call(client, "match_error", text=text)

    result = anyio.run(scenario)
    assert result.is_error
    assert "too costly to read: " in text_of(result) and "\n" not in text_of(result)
