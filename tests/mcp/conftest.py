"""`kubemedic mcp` as an MCP client meets it: the installed command, driven by the official SDK's
client over stdio (a subprocess per session) and over Streamable HTTP on loopback, reading the
Kubernetes API stand-in through a kubeconfig."""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.cli.runner import INDEX_CACHE, SCRIPT
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig
from tests.waiting import PATIENCE

TOKEN = "kmsk_4lh4q7UEVt4V8pBa0LtqTJDW2GzkfTdPACgVXSzAwgImaGux"
ALLOWED = "shop,store,broken,partial"
"""KUBEMEDIC_NAMESPACES of the server under test: `payments` is outside it."""
START_TIMEOUT = PATIENCE


@dataclass
class Cluster:
    standin: KubeStandIn
    kubeconfig: Path
    oom_pod: str

    def env(self) -> dict[str, str]:
        """The server's environment: the stand-in's kubeconfig ("lab"; "down" answers nothing),
        the allowlists, the test run's shared catalog index."""
        return {
            "KUBECONFIG": str(self.kubeconfig),
            "HOME": str(self.kubeconfig.parent),
            "KUBEMEDIC_CACHE_DIR": str(INDEX_CACHE),
            "KUBEMEDIC_CONTEXTS": "lab,down",
            "KUBEMEDIC_NAMESPACES": ALLOWED,
            "KUBEMEDIC_KUBE_REQUEST_TIMEOUT": "2",
            "PATH": os.environ.get("PATH", ""),
        }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The OOMKilled checkout pod in `shop`, a healthy `store`, a `payments` namespace outside the
    allowlist, a `broken` namespace whose pod list the API server answers with 500, and a pod
    that cannot pull its image in `partial`, whose events RBAC refuses (403)."""
    standin = KubeStandIn(latency=0.0)
    oom = scenarios.oom_killed_deployment(standin)
    scenarios.healthy(standin, namespace="store")
    scenarios.oom_killed_deployment(standin, namespace="payments", name="ledger")
    standin.fail("GET", r"/namespaces/broken/pods", 500)
    scenarios.image_pull_backoff(standin, namespace="partial")
    standin.fail("GET", r"/namespaces/partial/events", 403)
    with start_in_thread(standin) as server:
        path = write_kubeconfig(
            tmp_path_factory.mktemp("kube") / "config",
            {"lab": server.url, "down": "http://127.0.0.1:9"},
            current="lab",
        )
        yield Cluster(standin, path, str(oom.pod))


@asynccontextmanager
async def stdio_client(cluster: Cluster) -> AsyncIterator[Client]:
    """A session with a fresh `kubemedic mcp` subprocess (stdio)."""
    params = StdioServerParameters(command=str(SCRIPT), args=["mcp"], env=cluster.env())
    async with Client(params, read_timeout_seconds=60) as client:
        yield client


@dataclass
class HttpServer:
    url: str
    process: subprocess.Popen[bytes]

    @asynccontextmanager
    async def client(self, token: str | None = TOKEN) -> AsyncIterator[Client]:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else None
        async with (
            create_mcp_http_client(headers=headers) as http,
            Client(
                streamable_http_client(self.url, http_client=http), read_timeout_seconds=60
            ) as client,
        ):
            yield client


def start_http(
    env: dict[str, str], *args: str, host: str | None = "127.0.0.1"
) -> tuple[subprocess.Popen[bytes], str]:
    """`kubemedic mcp --http` on a free port of `host` (None: its default); (process, the URL it
    names on stderr)."""
    where = ["--host", host] if host is not None else []
    process = subprocess.Popen(
        [str(SCRIPT), "mcp", "--http", *where, "--port", "0", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stderr is not None
    said = b""
    deadline = time.monotonic() + START_TIMEOUT
    while b"serving " not in said and process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.2)
        if ready:
            said += os.read(process.stderr.fileno(), 4096)
    line = next((part for part in said.decode().splitlines() if "serving " in part), None)
    if line is None:
        process.kill()
        raise AssertionError(f"kubemedic mcp --http did not start: {said.decode()!r}")
    return process, line.rsplit(" ", 1)[-1]


OTHER_HOST = "127.0.0.2"
"""Where the HTTP server under test listens: an address the SDK alone would not check Host on."""
CLIENT_NAME = "kubemedic-mcp.tools.svc"
"""The name its clients are said to use (KUBEMEDIC_MCP_ALLOWED_HOSTS)."""


@pytest.fixture(scope="module")
def http_server(cluster: Cluster) -> Iterator[HttpServer]:
    """`kubemedic mcp --http` on OTHER_HOST, its token as a Secret made from a file gives it."""
    env = {
        **cluster.env(),
        "KUBEMEDIC_MCP_TOKEN": TOKEN + "\n",
        "KUBEMEDIC_MCP_ALLOWED_HOSTS": CLIENT_NAME,
    }
    process, url = start_http(env, host=OTHER_HOST)
    try:
        yield HttpServer(url, process)
    finally:
        process.terminate()
        process.wait(timeout=20)
