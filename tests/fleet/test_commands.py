"""The fleet's commands as a user runs them: `fleet token`, `agent`, `serve --hub` refusing cluster settings.

Each bad input gets exit status 2 and one line; a token is printed once and only its digest is
stored; the agent's liveness probe reads the status file the running agent touches.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from bot.fleet import agent_key
from bot.storage.sql import SqlStore
from tests.cli.runner import kubemedic_in_process


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}",
        "HOME": str(tmp_path),
        "KUBECONFIG": "",
        **extra,
    }


def test_tokens_are_issued_once_listed_and_revoked(tmp_path: Path) -> None:
    unsaid = kubemedic_in_process("fleet", "token", "issue", "prod", env=_env(tmp_path))
    assert unsaid.code == 2 and "choose how its agent proves itself" in unsaid.stderr
    issued = kubemedic_in_process(
        "fleet", "token", "issue", "prod", "--unbound", env=_env(tmp_path)
    )
    assert issued.code == 0, issued.stderr
    token = issued.stdout.strip()
    assert token.startswith("kmf_") and len(issued.stdout.splitlines()) == 1
    assert "helm install" in issued.stderr and "shown once" in issued.stderr
    assert "unbound: whoever copies this token" in issued.stderr

    async def stored() -> list[str]:
        store = SqlStore(_env(tmp_path)["KUBEMEDIC_DATABASE_URL"])
        await store.start()
        try:
            return [record.digest for record in await store.list_tokens()]
        finally:
            await store.close()

    [digest] = asyncio.run(stored())
    assert token.split("_", 2)[2] not in digest and token not in (
        tmp_path / "hub.db"
    ).read_bytes().decode("latin-1")
    listed = kubemedic_in_process("fleet", "token", "list", env=_env(tmp_path))
    assert listed.code == 0 and "prod" in listed.stdout and "valid" in listed.stdout
    assert "never connected" in listed.stdout and "unbound" in listed.stdout
    revoked = kubemedic_in_process("fleet", "token", "revoke", "prod", env=_env(tmp_path))
    assert revoked.code == 0 and "revoked 1 token(s) of cluster prod" in revoked.stdout
    assert "revoked" in kubemedic_in_process("fleet", "token", "list", env=_env(tmp_path)).stdout


@pytest.mark.parametrize(
    "args",
    [
        ("fleet", "token", "issue"),
        ("fleet", "token", "issue", "Prod_1"),
        ("fleet", "token", "issue", "a" * 64),
        ("fleet", "token", "revoke", "-x"),
        ("fleet", "token", "issue", "prod"),  # bound how?
        ("fleet", "token", "issue", "prod", "--bind"),  # at first use: a race a copy can win
        ("fleet", "token", "issue", "prod", "--key", "not-a-key"),
        ("fleet", "token", "issue", "prod", "--unbound", "--key", "x" * 43),
    ],
)
def test_bad_fleet_arguments_get_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = kubemedic_in_process(*args, env=_env(tmp_path))
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"KUBECONFIG": "/etc/kube/config"}, "KUBECONFIG"),
        ({"KUBEMEDIC_CONTEXTS": "prod,staging"}, "KUBEMEDIC_CONTEXTS"),
        ({"KUBEMEDIC_WATCH": "true"}, "KUBEMEDIC_WATCH"),
    ],
)
def test_a_hub_refuses_cluster_settings(tmp_path: Path, extra: dict[str, str], named: str) -> None:
    result = kubemedic_in_process(
        "serve",
        "--hub",
        env=_env(tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", **extra),
    )
    assert result.code == 2
    assert named in result.stderr and "reads no cluster" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        ({}, "KUBEMEDIC_HUB_URL and KUBEMEDIC_AGENT_TOKEN are not set"),
        (
            {"KUBEMEDIC_HUB_URL": "http://hub.example.com", "KUBEMEDIC_AGENT_TOKEN": "kmf_x"},
            "must be https://",
        ),
        (
            {"KUBEMEDIC_HUB_URL": "ftp://hub.example.com", "KUBEMEDIC_AGENT_TOKEN": "kmf_x"},
            "KUBEMEDIC_HUB_URL",
        ),
    ],
)
def test_an_agent_without_a_safe_hub_url_and_token_does_not_start(
    tmp_path: Path, extra: dict[str, str], said: str
) -> None:
    result = kubemedic_in_process("agent", env=_env(tmp_path, **extra))
    assert result.code == 2 and said in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_liveness_probe_reads_the_status_file(tmp_path: Path) -> None:
    status = tmp_path / "agent.status"
    env = _env(tmp_path, KUBEMEDIC_AGENT_STATUS_FILE=str(status))
    assert kubemedic_in_process("agent", "--alive", env=env).code == 1  # never started
    status.write_text("connected prod\n")
    assert kubemedic_in_process("agent", "--alive", env=env).code == 0
    old = time.time() - 120
    os.utime(status, (old, old))
    stale = kubemedic_in_process("agent", "--alive", env=env)
    assert stale.code == 1 and "not touched" in stale.stderr


def test_issue_secret_prints_a_manifest_the_chart_s_agent_reads_its_token_from(
    tmp_path: Path,
) -> None:
    import base64

    import yaml

    from tests.deploy.helm import render_chart
    from tests.deploy.kustomize import bot_container
    from tests.deploy.test_workload import env

    issued = kubemedic_in_process("fleet", "token", "issue", "prod", "--secret", env=_env(tmp_path))
    assert issued.code == 0, issued.stderr
    assert "kmf_" not in issued.stdout + issued.stderr  # the token is never shown, only piped
    namespace, secret = yaml.safe_load_all(issued.stdout)
    assert namespace == {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kubemedic"}}
    agent_docs = render_chart({"mode": "agent", "agent": {"hubUrl": "https://hub.example.com"}})
    agent = env(bot_container(agent_docs))
    wanted = agent["KUBEMEDIC_AGENT_TOKEN"]["valueFrom"]["secretKeyRef"]
    assert secret["metadata"] == {
        **secret["metadata"],
        "name": wanted["name"],
        "namespace": "kubemedic",
    }
    token = base64.b64decode(secret["data"][wanted["key"]]).decode()
    assert token.startswith("kmf_") and "helm install kubemedic-agent" in issued.stderr
    mounted = _mounted_key(agent_docs)
    assert agent["KUBEMEDIC_AGENT_KEY_FILE"]["value"] == mounted["path"]
    assert mounted["secret"] == wanted["name"]  # the agent's key: from the same Secret
    pem = base64.b64decode(secret["data"][mounted["key"]])
    public = agent_key.public_text(load_pem_private_key(pem, password=None))  # type: ignore[arg-type]
    listed = kubemedic_in_process("fleet", "token", "list", env=_env(tmp_path)).stdout
    assert "valid" in listed and f"bound to agent key {public[:8]}..." in listed
    assert f"bound to agent key {public[:8]}..." in issued.stderr
    other = kubemedic_in_process(
        "fleet", "token", "issue", "prod", "--secret", "--namespace", "Bad_NS", env=_env(tmp_path)
    )
    assert other.code == 2 and "invalid namespace" in other.stderr


def _mounted_key(docs: list[dict[str, Any]]) -> dict[str, str]:
    """Where the chart's agent reads its key from: the file, the Secret and the Secret's key."""
    [deployment] = [doc for doc in docs if doc["kind"] == "Deployment"]
    pod = deployment["spec"]["template"]["spec"]
    [volume] = [v for v in pod["volumes"] if v["name"] == "agent-key"]
    [mount] = [m for m in pod["containers"][0]["volumeMounts"] if m["name"] == "agent-key"]
    [item] = volume["secret"]["items"]
    return {
        "path": f"{mount['mountPath']}/{item['path']}",
        "secret": volume["secret"]["secretName"],
        "key": item["key"],
    }


def test_the_docs_install_an_agent_with_two_commands_that_work() -> None:
    """docs/fleet.md's install: two commands (no `&&`), the hub's printing the Secret the chart's
    agent reads, the chart's rendering in agent mode with exactly the values given."""
    import re
    import shlex

    from bot.cli import build_parser
    from tests.deploy.helm import render_chart
    from tests.deploy.kustomize import bot_container
    from tests.deploy.test_workload import config_map

    page = (Path(__file__).resolve().parents[2] / "docs" / "fleet.md").read_text()
    section = page.split("## Install an agent in a new cluster: two commands", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2 and not any("&&" in line or line.endswith("\\") for line in commands)
    issue, apply = commands[0].split(" | ")
    words = shlex.split(issue)
    assert words[words.index("--") + 1] == "kubemedic"
    args = build_parser().parse_args(words[words.index("--") + 2 :])
    assert (args.verb, args.cluster, args.secret) == ("issue", "prod", True)
    assert "apply --server-side -f -" in apply
    helm = shlex.split(commands[1])
    values: dict[str, object] = {}
    for setting in (helm[i + 1] for i, word in enumerate(helm) if word == "--set"):
        key, _, value = setting.partition("=")
        *parents, leaf = key.split(".")
        node = values
        for parent in parents:
            node = node.setdefault(parent, {})  # type: ignore[assignment]
        node[leaf] = value
    docs = render_chart(values)
    assert (
        config_map(docs, bot_container(docs))["KUBEMEDIC_HUB_URL"]
        == "https://kubemedic.example.com"
    )
    assert bot_container(docs)["args"] == ["agent"]


def test_a_revoked_cluster_is_removed_only_once_every_token_is_revoked(tmp_path: Path) -> None:
    env = _env(tmp_path)
    issued = kubemedic_in_process(
        "fleet", "token", "issue", "prod", "--remediation", "--unbound", env=env
    )
    assert issued.code == 0, issued.stderr
    listed = kubemedic_in_process("fleet", "token", "list", env=env)
    assert "remediation" in listed.stdout  # the hub's record of its opt-in
    refused = kubemedic_in_process("fleet", "cluster", "remove", "prod", env=env)
    assert refused.code == 2 and "still has a valid token" in refused.stderr
    assert kubemedic_in_process("fleet", "token", "revoke", "prod", env=env).code == 0
    removed = kubemedic_in_process("fleet", "cluster", "remove", "prod", env=env)
    assert removed.code == 0 and "removed cluster prod: 1 revoked token(s)" in removed.stdout
    assert "prod" not in kubemedic_in_process("fleet", "token", "list", env=env).stdout
    unknown = kubemedic_in_process("fleet", "cluster", "remove", "prod", env=env)
    assert unknown.code == 2 and len(unknown.stderr.strip().splitlines()) == 1


def test_a_public_key_that_starts_with_a_dash_binds_a_token_as_the_docs_write_it(
    tmp_path: Path,
) -> None:
    """base64url keys start with '-' one time in 64: the docs' `--key=PUBLIC` still binds them."""
    while not (public := agent_key.new_pair()[1]).startswith("-"):
        pass
    issued = kubemedic_in_process(
        "fleet", "token", "issue", "prod", f"--key={public}", env=_env(tmp_path)
    )
    assert issued.code == 0, issued.stderr
    assert issued.stdout.strip().startswith("kmf_")
