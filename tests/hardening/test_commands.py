"""Bad `/diagnose` commands (Slack and @mention) and `kubemedic diagnose` arguments.

Already covered: `pod ../x`, an uppercase namespace, `a;rm -rf /`, a
300-char namespace, an extra argument, an unlisted context prefix and a
missing namespace argument over Slack (tests/slack/test_slash_command.py);
uppercase, traversal, shell, 300-char and unicode pod refs, bad namespace
and node names, a missing pod and an unknown context on the CLI
(tests/cli/test_diagnose_cli.py); the name rules themselves
(tests/evidence/test_names.py).  Here: the rest of the list, and that the
Kubernetes stand-in (which records every request) saw none for them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import kubemedic
from tests.slack.harness import running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig

REFUSED_IN_SLACK = {
    "pod": "usage: /diagnose pod",  # the name is missing
    "pod -n shop": "usage: /diagnose pod",
    "pod web-0 -n": "-n needs a value",
    "pod web-0 -n Shop": "must be lowercase",
    "pod shop/Web-0": "must be lowercase",
    "pod shop/caf\u00e9": "plain ASCII",
    "pod \u0161op/web-0": "plain ASCII",
    "pod shop/web\u200b-0": "plain ASCII",  # a zero-width space inside the name
    "pod shop/" + "a" * 300: "at most 253 characters",
    "pod shop/web-0 shop/web-1": "usage: /diagnose pod",
    "pod shop/web-0 --context a;b": "invalid context name",
    "pod shop/web-0 --context=": "invalid context name",
    "pod ctx:shop/web-0 --context other": "give the context once",
    "pod shop/web-0 --namespace=shop": "expected NAMESPACE/NAME",  # both forms at once
    "namespace Shop": "invalid namespace",
    "node worker-1 extra": "usage: /diagnose node",
    "namespace shop -n shop": "usage: /diagnose namespace",
    "namespace ../kube-system": "invalid namespace",
    "node": "usage: /diagnose node",
    "node worker_1": "invalid node name",
    "node " + "w" * 300: "invalid node name",
    "node worker-1 --context": "--context needs a value",
}


def test_bad_commands_get_one_line_and_never_reach_the_cluster(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            for text, reason in REFUSED_IN_SLACK.items():
                status, body = await bot.send(bot.requests.slash_command(text))
                assert status == 200, text
                answer = json.loads(body)
                assert answer["response_type"] == "ephemeral"
                assert len(answer["text"].splitlines()) == 1 and reason in answer["text"], (
                    text,
                    answer["text"],
                )
            await bot.settle()
            assert bot.kube.requests == []
            assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())


def test_bad_mentions_get_one_line_in_the_thread_and_never_reach_the_cluster(
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(tmp_path) as bot:
            texts = [
                "pod",
                "pod shop/caf\u00e9",
                "pod shop/" + "a" * 300,
                "node worker_1",
                "pod a;rm -rf /x",
            ]
            for number, text in enumerate(texts):
                mention = f"<@{bot.slack.bot_user_id}> {text}"
                await bot.send(
                    bot.requests.app_mention(
                        "C0MENTION01", mention, ts=f"17000020{number:02d}.000100"
                    )
                )
            replies = await bot.slack.wait_for("chat.postMessage", count=len(texts))
            for reply in replies:
                assert reply.params["thread_ts"].startswith("17000020")
                assert len(str(reply.params["text"]).splitlines()) == 1, reply.params["text"]
            await bot.settle()
            assert bot.kube.requests == []

    asyncio.run(scenario())


def test_unknown_namespace_pod_and_context_are_one_private_line(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube) as bot:
            asks = {
                "pod nosuch/web-0": "pod nosuch/web-0 not found",
                f"pod {case.namespace}/nosuch": f"pod {case.namespace}/nosuch not found",
                f"pod staging:{case.namespace}/{case.pod}": "staging",
                f"pod {case.namespace}/{case.pod} --context staging": "staging",
                "node nosuch-node": "node nosuch-node not found",
            }
            for text in asks:
                status, _ = await bot.send(bot.requests.slash_command(text))
                assert status == 200
            private = await bot.slack.wait_for("response_url", count=len(asks))
            texts = sorted(str(r.params["text"]) for r in private)
            for expected in asks.values():
                assert any(expected in text for text in texts), (expected, texts)
            assert all(len(text.splitlines()) == 1 for text in texts), texts
            assert all(r.params["response_type"] == "ephemeral" for r in private)
            assert bot.slack.calls_to("chat.postMessage") == []

    asyncio.run(scenario())


@pytest.fixture(scope="module")
def kube(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KubeStandIn, Path]]:
    standin = KubeStandIn(latency=0.0)
    scenarios.oom_killed_deployment(standin)
    with start_in_thread(standin) as server:
        path = write_kubeconfig(tmp_path_factory.mktemp("kube") / "config", {"lab": server.url})
        yield standin, path


CLI_REFUSED = {
    "no name": (["diagnose", "pod"], "the following arguments are required: NAMESPACE/NAME"),
    "no verb": (["diagnose"], "the following arguments are required"),
    "unknown verb": (["diagnose", "deployment", "shop/web"], "invalid choice"),
    "extra argument": (["diagnose", "pod", "shop/web-0", "extra"], "unrecognized arguments: extra"),
    "uppercase -n": (["diagnose", "pod", "web-0", "-n", "Shop"], "must be lowercase"),
    "name and -n disagree": (
        ["diagnose", "pod", "shop/web-0", "-n", "other"],
        "expected NAMESPACE/NAME",
    ),
    "zero-width name": (["diagnose", "pod", "shop/web\u200b-0"], "plain ASCII"),
    "bidi name": (["diagnose", "pod", "shop/web-0\u202e"], "plain ASCII"),
    "shell in namespace": (["diagnose", "namespace", "a;rm -rf /"], "invalid namespace"),
    "300-char node": (["diagnose", "node", "w" * 300], "invalid node name"),
    "shell in context": (["diagnose", "pod", "shop/web-0", "--context", "a;b"], "unknown context"),
    "empty --top": (["diagnose", "pod", "shop/web-0", "--top", ""], "--top"),
}


@pytest.mark.parametrize(("args", "reason"), CLI_REFUSED.values(), ids=CLI_REFUSED.keys())
def test_cli_bad_arguments_exit_2_with_one_line(
    kube: tuple[KubeStandIn, Path], args: list[str], reason: str
) -> None:
    standin, path = kube
    before = len(standin.requests)
    result = kubemedic(*args, env={"KUBECONFIG": str(path), "HOME": str(path.parent)})
    assert result.code == 2, result
    assert reason in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("kubemedic: ") and "Traceback" not in result.stderr
    assert len(standin.requests) == before


def test_cli_unknown_namespace_exits_1_with_one_line(kube: tuple[KubeStandIn, Path]) -> None:
    _, path = kube
    result = kubemedic(
        "diagnose",
        "pod",
        "nosuch/web-0",
        env={"KUBECONFIG": str(path), "HOME": str(path.parent)},
    )
    assert result.code == 1
    assert result.stderr == "kubemedic: pod nosuch/web-0 not found in cluster lab\n"
