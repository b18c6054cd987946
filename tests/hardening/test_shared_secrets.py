"""Issue 83's LOW: every shared secret the operator chooses comes from `kubemedic keygen`, or is
refused at start and by `doctor` (the contract's fourth round).

The Opsgenie secret had no rule at all (`x`, `opsgenie` and `changeme` were accepted), and the
MCP token a rule list that the next typed token slips past; as for the signing key, only a key
whose checksum proves it was generated is taken. What a vendor generates (PagerDuty's signing
secret, Slack's, Mattermost's command token) is copied, not chosen, and stays accepted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.doctor import shared_secrets_check
from bot.runtime.signing_key import generate
from bot.settings import Settings
from responses.doctor import check_line

TYPED = ("x", "opsgenie", "changeme", "9c2f71e04ab85d3691c7e2a4f0d8b65e3a17c9d2")
"""What people type or paste from `openssl rand -hex 20`."""
EDITED = generate()[:-1] + "A"
"""A keygen key with its last character changed: its checksum fails."""
CHOSEN = (
    "KUBEMEDIC_ALERTMANAGER_TOKEN",
    "KUBEMEDIC_OPSGENIE_WEBHOOK_SECRET",
    "KUBEMEDIC_MCP_TOKEN",
)


def kubemedic(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "KUBECONFIG": "/none"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "kubemedic"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", CHOSEN)
def test_doctor_fails_a_typed_shared_secret_and_passes_a_generated_one(name: str) -> None:
    for typed in (*TYPED, EDITED):
        line = check_line(shared_secrets_check(Settings(**{name: typed})))  # type: ignore[arg-type]
        assert line.startswith(f"FAIL  Shared secrets: {name} ")
        assert len(typed) < 5 or typed not in line  # the value is never shown
        assert "kubemedic keygen" in line
    line = check_line(shared_secrets_check(Settings(**{name: generate()})))  # type: ignore[arg-type]
    assert line == f"ok    Shared secrets: {name} made by `kubemedic keygen`"


def test_serve_and_mcp_refuse_to_start_with_a_typed_secret(tmp_path: Path) -> None:
    slack = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s" * 32}
    for name in CHOSEN[:2]:
        ran = kubemedic(tmp_path, "serve", "--http", **slack, **{name: "changeme"})
        assert ran.returncode == 2 and ran.stderr.count("\n") == 1, ran.stderr
        assert name in ran.stderr and "changeme" not in ran.stderr
    ran = kubemedic(tmp_path, "mcp", "--http", KUBEMEDIC_MCP_TOKEN="x")
    assert ran.returncode == 2 and "KUBEMEDIC_MCP_TOKEN" in ran.stderr and "keygen" in ran.stderr


def test_what_a_vendor_generates_is_not_refused() -> None:
    vendor = {"KUBEMEDIC_PAGERDUTY_WEBHOOK_SECRET": "pd-made-it", "SLACK_SIGNING_SECRET": "x"}
    assert shared_secrets_check(Settings(**vendor)) is None  # type: ignore[arg-type]
