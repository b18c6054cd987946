"""`kubemedic mcp --http` opens no more than it was told to: a blank token is no token, the default
address is loopback. (A token from a file losing its newline, and the Host and Origin checks off
loopback, are tested on the shared HTTP server in test_http_and_catalog.)"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import Result, kubemedic_in_process
from tests.mcp.conftest import TOKEN


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port already listened on at 127.0.0.1: a server that tries it there says so and stops."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        yield int(taken.getsockname()[1])


def _mcp_http(port: int, token: str, tmp_path: Path) -> Result:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "KUBEMEDIC_MCP_TOKEN": token}
    return kubemedic_in_process("mcp", "--http", "--port", str(port), env=env)


@pytest.mark.parametrize("blank", ["", "  \n"], ids=["empty", "whitespace"])
def test_a_blank_token_is_no_token_and_http_mode_refuses_to_start(
    blank: str, taken_port: int, tmp_path: Path
) -> None:
    result = _mcp_http(taken_port, blank, tmp_path)
    assert result.code == 2
    assert result.stderr.strip() == (
        "kubemedic: KUBEMEDIC_MCP_TOKEN is blank, which counts as unset: `kubemedic mcp --http` "
        "answers only clients that send it as a bearer token (stdio needs none)"
    )


def test_without_host_it_listens_on_127_0_0_1(taken_port: int, tmp_path: Path) -> None:
    result = _mcp_http(taken_port, TOKEN, tmp_path)
    assert result.code == 2
    assert result.stderr.startswith(f"kubemedic: cannot listen on 127.0.0.1:{taken_port}: ")


def test_a_typed_token_is_refused_on_every_address(taken_port: int, tmp_path: Path) -> None:
    """Anyone who reaches the port can guess at its token: `mcp --http` with
    `KUBEMEDIC_MCP_TOKEN=x` says why in one line and stops before it listens, on loopback too
    (issue 83: every shared secret the operator chooses comes from `kubemedic keygen`)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "KUBEMEDIC_MCP_TOKEN": "x"}
    for host in ("0.0.0.0", "127.0.0.1"):
        said = kubemedic_in_process(
            "mcp", "--http", "--host", host, "--port", str(taken_port), env=env
        )
        assert said.code == 2 and "\n" not in said.stderr.strip()
        assert said.stderr.startswith(
            "kubemedic: KUBEMEDIC_MCP_TOKEN is not a key from `kubemedic keygen`"
        )
