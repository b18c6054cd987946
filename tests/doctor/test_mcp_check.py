"""Doctor reports the MCP server's two ways to open more than meant: a blank token and an address
beyond this machine; each a FAIL line with its fix. Nothing is said when MCP is not configured
(test_checklist's healthy install lists every check it expects)."""

from __future__ import annotations

from typing import Any

from bot.doctor.mcp_check import mcp_check
from bot.settings import Settings
from responses.doctor import check_line
from tests.doctor.install import Install, lines

NAME = "MCP server (kubemedic mcp --http)"
STRONG = "kmsk_4lh4q7UEVt4V8pBa0LtqTJDW2GzkfTdPACgVXSzAwgImaGux"
"""A token as `kubemedic keygen` prints one."""


def test_a_blank_mcp_token_fails_with_how_to_set_one(install: Install) -> None:
    result = install.doctor(KUBEMEDIC_MCP_TOKEN=" ")
    assert result.code == 1
    line = lines(result)[NAME]
    assert line.startswith(f"FAIL  {NAME}: KUBEMEDIC_MCP_TOKEN is blank, which counts as unset")
    assert "fix: set it to the output of `kubemedic keygen`" in line


def test_an_address_beyond_this_machine_fails_with_its_fix(install: Install) -> None:
    result = install.doctor(KUBEMEDIC_MCP_TOKEN=STRONG, KUBEMEDIC_MCP_HOST="0.0.0.0")
    assert result.code == 1
    line = lines(result)[NAME]
    assert line.startswith(f"FAIL  {NAME}: KUBEMEDIC_MCP_HOST=0.0.0.0: it listens beyond this")
    assert "fix: unset KUBEMEDIC_MCP_HOST (127.0.0.1)" in line


def _line(**env: Any) -> str:
    check = mcp_check(Settings(**env))
    return check_line(check) if check is not None else ""


def test_a_named_address_passes_as_information_and_loopback_as_ok() -> None:
    named = _line(
        KUBEMEDIC_MCP_TOKEN=STRONG,
        KUBEMEDIC_MCP_HOST="0.0.0.0",
        KUBEMEDIC_MCP_ALLOWED_HOSTS="kubemedic-mcp.tools.svc",
    )
    assert named.startswith(f"info  {NAME}: listens on 0.0.0.0, beyond this machine")
    assert "kubemedic-mcp.tools.svc" in named
    loopback = _line(KUBEMEDIC_MCP_TOKEN=STRONG)
    assert loopback == f"ok    {NAME}: token set; listens on 127.0.0.1, this machine only"
    assert _line(KUBEMEDIC_MCP_HOST="::1").startswith(f"FAIL  {NAME}: KUBEMEDIC_MCP_TOKEN is not")
    assert _line() == ""
