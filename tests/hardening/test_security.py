"""Security (issue 7): signatures, remediation authorization, redaction, no shell-out.

Already covered: a bad signature and a stale timestamp get 401
(tests/slack/test_slash_command.py; unsigned garbage in
test_slack_payloads.py); a non-admin click is refused privately and changes
nothing, and a used button acts once (tests/slack/test_remediation_clicks.py);
the namespace allowlist at click time, at the service level
(tests/remediation/test_clicks.py); the redaction patterns themselves
(tests/responses/test_redact.py).  Here: a replayed request, a body changed
after signing, the allowlist end to end, redaction of everything the bot
posts to Slack, and a source scan for shell-outs.  RBAC against the code is
in test_rbac_usage.py.
"""

from __future__ import annotations

import ast
import asyncio
import json
import time
from pathlib import Path

from bot.storage.sql import SqlStore
from tests.slack.harness import ADMIN, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn
from tests.standins.slack_requests import SignedRequest, block_actions_from_message

ROOT = Path(__file__).resolve().parents[2]
CHANNEL = "C0GENERAL1"
OOM = "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"


def test_a_replayed_request_is_refused_once_its_timestamp_is_old(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            signed_at = int(time.time()) - 298  # two seconds left in Slack's five-minute window
            request = bot.requests.slash_command("help", timestamp=signed_at)
            assert (await bot.send(request))[0] == 200
            bot.clock.advance(3.5)
            assert (await bot.send(request))[0] == 401  # the same bytes and headers, replayed later
            future = bot.requests.slash_command("help", timestamp=int(time.time()) + 600)
            assert (await bot.send(future))[
                0
            ] == 401  # and one signed for later does not work early

    asyncio.run(scenario())


def test_a_body_changed_after_signing_is_refused(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.out_of_pods(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            request = bot.requests.slash_command("help")
            for changed in (
                bot.requests.tampered(request, b"text=help", b"text=pod+default%2Fx"),
                bot.requests.tampered(request),
                SignedRequest(
                    request.body,
                    {
                        **request.headers,
                        "X-Slack-Signature": request.headers["X-Slack-Signature"].upper(),
                    },
                ),
            ):
                assert (await bot.send(changed))[0] == 401
            await bot.send(bot.requests.slash_command(f"pod {case.namespace}/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            click = bot.requests.click(posted, "remediate", user_id=ADMIN)
            swapped = click.body.replace(ADMIN.encode(), b"U0MALLORY1")
            assert swapped != click.body
            assert (await bot.send(SignedRequest(swapped, click.headers)))[0] == 401
            await bot.settle()
            assert bot.kube.writes() == []

    asyncio.run(scenario())


def test_namespace_allowlist_end_to_end(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.out_of_pods(kube)  # in namespace "default"
        subject = f"pod {case.namespace}/{case.pod}"
        # outside KUBEMEDIC_NAMESPACES no button is offered at all
        async with running_bot(tmp_path / "narrow", kube=kube, KUBEMEDIC_NAMESPACES="shop") as bot:
            await bot.send(bot.requests.slash_command(subject))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "too-many-pods" in block_text(posted.blocks)
            assert not any(
                e.get("action_id", "").startswith("remediate")
                for b in posted.blocks
                for e in b.get("elements", [])
            )
        # a button posted while the namespace was allowed is refused once it no longer is
        async with running_bot(tmp_path, kube=kube) as bot:
            await bot.send(bot.requests.slash_command(subject))
            [posted] = await bot.slack.wait_for("chat.postMessage")
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_NAMESPACES="shop,tidb") as bot:
            click = block_actions_from_message(
                posted,
                "remediate",
                user_id=ADMIN,
                response_url=bot.slack.response_url(CHANNEL, posted.ts),
            )
            assert (await bot.send(bot.requests.interaction(click)))[0] == 200
            [refusal] = await bot.slack.wait_for("response_url")
            assert refusal.params["response_type"] == "ephemeral"
            assert "KUBEMEDIC_NAMESPACES" in refusal.params["text"], refusal.params["text"]
            assert kube.writes() == []
            store = bot.kubemedic.store
            assert isinstance(store, SqlStore)
            assert [row.outcome for row in await store.list_audit(limit=5)] == ["refused"]
            assert bot.slack.calls_to("chat.postMessage") == []  # nothing public either

    asyncio.run(scenario())


SECRETS = {
    "slack bot token": "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "password": "Hunter2Hunter2",
    "bearer token": "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJib3QifQ.c2lnbmF0dXJlc2ln",
    "aws access key id": "AKIAQYLPMN5HHHFPZAM2",
    "aws secret key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}
LEAKY_OOM = (
    f"Reason: OOMKilled Exit Code: 137 SLACK_BOT_TOKEN={SECRETS['slack bot token']}\n"
    f"Reason: OOMKilled Exit Code: 137 password={SECRETS['password']}\n"
    f"Reason: OOMKilled Exit Code: 137 Authorization: Bearer {SECRETS['bearer token']}\n"
    f"Reason: OOMKilled Exit Code: 137 key {SECRETS['aws access key id']} "
    f"aws_secret_access_key = {SECRETS['aws secret key']}\n"
)
LEAKY_CHAT = (
    f"can someone rotate these? password={SECRETS['password']} token {SECRETS['slack bot token']} "
    f"{SECRETS['aws access key id']} Authorization: Bearer {SECRETS['bearer token']}"
)


def test_no_secret_from_a_paste_is_ever_posted_back(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            await bot.send(bot.requests.message("C0PASTE0001", LEAKY_OOM, ts="1700003000.000100"))
            await bot.send(
                bot.requests.message("C0PASTE0001", "again\n" + LEAKY_OOM, ts="1700003001.000100")
            )
            await bot.send(bot.requests.message("C0PASTE0002", LEAKY_CHAT))
            await bot.send(bot.requests.slash_command(LEAKY_OOM, channel_id="C0PASTE0003"))
            await bot.send(bot.requests.slash_command(LEAKY_CHAT, channel_id="C0PASTE0004"))
            mention = f"<@{bot.slack.bot_user_id}> {LEAKY_OOM}"
            await bot.send(bot.requests.app_mention("C0PASTE0005", mention, ts="1700003002.000100"))
            await bot.send(
                bot.requests.app_mention(
                    "C0PASTE0006",
                    f"<@{bot.slack.bot_user_id}> pod x {LEAKY_CHAT}",
                    ts="1700003003.000100",
                )
            )
            posted = await bot.slack.wait_for("chat.postMessage", count=4)
            await bot.slack.wait_for("chat.update")
            await bot.slack.wait_for("response_url")
            await bot.settle()
            assert any("oom-killed" in block_text(call.blocks) for call in posted)
            assert any(
                "[REDACTED]" in json.dumps(call.params) for call in posted
            )  # the lines were quoted
            for call in bot.slack.calls:
                sent = json.dumps(call.params, ensure_ascii=False)
                for name, secret in SECRETS.items():
                    assert secret not in sent, (name, call.method)

    asyncio.run(scenario())


# ---------------------------------------------------------------- no shell-out

SCANNED = ("bot", "intents", "responses")
FORBIDDEN_MODULES = {"subprocess", "pty", "pexpect", "sh", "plumbum", "commands", "popen2"}
FORBIDDEN_CALLS = {
    ("os", "system"),
    ("os", "popen"),
    ("os", "spawnl"),
    ("os", "spawnlp"),
    ("os", "spawnv"),
    ("os", "spawnvp"),
    ("os", "execv"),
    ("os", "execvp"),
    ("os", "execve"),
    ("os", "execl"),
    ("os", "execlp"),
    ("os", "posix_spawn"),
    ("os", "posix_spawnp"),
    ("os", "fork"),
    ("asyncio", "create_subprocess_exec"),
    ("asyncio", "create_subprocess_shell"),
}
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__"}
ALLOWED: dict[tuple[str, str], str] = {
    # (file relative to the root, what) -> why it is needed; nothing needs a shell.
    (
        "bot/commands/workers.py",
        "call os.fork",
    ): "KUBEMEDIC_WORKER_PROCESSES: the workers are copies of the "
    "serving process, made before any request is read; no program is run and nothing a user sent is involved",
    (
        "bot/cluster/kubeconfig.py",
        "import subprocess",
    ): "runs the kubeconfig's exec credential plugin (an argv list from the operator's kubeconfig, "
    "never pasted text) as the kubernetes client does, with its stderr kept out of every message",
}


def _findings(path: Path) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [
                ("import", a.name) for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES
            ]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FORBIDDEN_MODULES:
                found.append(("import", node.module))
            found += [
                ("call", f"{node.module}.{a.name}")
                for a in node.names
                if (node.module, a.name) in FORBIDDEN_CALLS
            ]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in FORBIDDEN_CALLS:
                found.append(("call", f"{node.value.id}.{node.attr}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FORBIDDEN_BUILTINS
        ):
            found.append(("builtin", node.func.id))
        elif isinstance(node, ast.keyword) and node.arg == "shell":
            found.append(("keyword", "shell="))
    return found


def test_the_product_never_shells_out_or_evaluates_code() -> None:
    files = [path for package in SCANNED for path in sorted((ROOT / package).rglob("*.py"))]
    assert len(files) > 50  # the scan really ran over the sources
    found = {
        (str(path.relative_to(ROOT)), f"{kind} {what}")
        for path in files
        for kind, what in _findings(path)
    }
    unexplained = {item for item in found if (item[0], item[1]) not in ALLOWED}
    assert unexplained == set(), sorted(unexplained)


def test_the_scan_recognises_what_it_forbids(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text(
        "import subprocess\nimport os\nfrom os import system\nfrom asyncio import create_subprocess_shell\n"
        "os.popen('ls')\neval('1')\nexec('x=1')\nsubprocess.run('ls', shell=True)\nimport pty\n"
    )
    kinds = sorted(_findings(sample))
    assert kinds == sorted(
        [
            ("import", "subprocess"),
            ("call", "os.system"),
            ("call", "asyncio.create_subprocess_shell"),
            ("call", "os.popen"),
            ("builtin", "eval"),
            ("builtin", "exec"),
            ("keyword", "shell="),
            ("import", "pty"),
        ]
    )
