"""Issue 7 "Faults", the cluster side: through the real bot over HTTP, a Kubernetes API
that is down, slow, refusing or throttling gets the user a one-line answer naming what
failed, within a bounded time and without a traceback, and the bot answers the next
request as usual."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.slack.harness import Bot, block_text, running_bot
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, write_kubeconfig

POD_READ = r"^/api/v1/namespaces/shop/pods/[^/]+$"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text, text
    assert "Sorry, something went wrong" not in text, text  # an expected failure, not a bug


async def _diagnose(bot: Bot, text: str, *, replies_before: int = 0) -> str:
    """Send `/diagnose text`; the private reply's text."""
    status, body = await bot.send(bot.requests.slash_command(text))
    assert status == 200 and "Diagnosing" in json.loads(body)["text"]
    replies = await bot.slack.wait_for("response_url", count=replies_before + 1)
    return str(replies[replies_before].params.get("text", ""))


async def _still_answers(bot: Bot, pod: str) -> None:
    """The next request, with the fault gone, gets a normal diagnosis."""
    bot.kube.clear_faults()
    posted_before = len(bot.slack.calls_to("chat.postMessage"))
    await bot.send(bot.requests.slash_command(f"pod shop/{pod}"))
    posted = await bot.slack.wait_for("chat.postMessage", count=posted_before + 1)
    assert "oom-killed" in block_text(posted[-1].blocks)


# fault on the pod read -> words the user must see
FAULTS: dict[str, tuple[Callable[[KubeStandIn], object], tuple[str, ...]]] = {
    "slow": (lambda k: k.delay(POD_READ, 3.0), ("cannot read pod shop/", "timed out after 1s")),
    "401": (
        lambda k: k.fail("GET", POD_READ, 401),
        ("cannot read pod shop/", "unauthorized", "credentials"),
    ),
    "403": (
        lambda k: k.fail("GET", POD_READ, 403),
        ("cannot read pod shop/", "missing RBAC permission: get pods in namespace shop"),
    ),
    "429": (
        lambda k: k.fail("GET", POD_READ, 429, retry_after=1),
        ("cannot read pod shop/", "throttling", "429"),
    ),
    "500": (
        lambda k: k.fail("GET", POD_READ, 500, message="etcdserver: leader changed"),
        ("cannot read pod shop/", "500", "etcdserver: leader changed"),
    ),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_failing_pod_read_is_named_and_the_bot_keeps_answering(
    tmp_path: Path, fault: tuple
) -> None:
    inject, expected = fault

    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_KUBE_REQUEST_TIMEOUT="1") as bot:
            inject(kube)
            text = await _diagnose(bot, f"pod shop/{case.pod}")
            for words in expected:
                assert words in text, text
            _no_traceback(text)
            assert bot.slack.calls_to("chat.postMessage") == []  # nothing public about a failure
            await _still_answers(bot, str(case.pod))

    asyncio.run(scenario())


def test_throttled_pod_read_is_retried_once_after_retry_after(tmp_path: Path) -> None:
    # one 429 with Retry-After: 1 -> the gateway waits and retries; the user gets the diagnosis
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_KUBE_REQUEST_TIMEOUT="2") as bot:
            kube.fail("GET", POD_READ, 429, times=1, retry_after=1)
            await bot.send(bot.requests.slash_command(f"pod shop/{case.pod}"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            assert "oom-killed" in block_text(posted.blocks)
            reads = kube.requests_to("GET", POD_READ)
            assert [r.status for r in reads[:2]] == [429, 200]
            assert reads[1].at - reads[0].at >= 0.9  # Retry-After honoured

    asyncio.run(scenario())


def test_cluster_down_is_named_and_other_clusters_still_answer(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        case = scenarios.oom_killed_deployment(kube)
        kubeconfig = tmp_path / "faults-kubeconfig"
        async with running_bot(
            tmp_path,
            kube=kube,
            KUBECONFIG=str(kubeconfig),
            KUBEMEDIC_CONTEXTS="down",
            KUBEMEDIC_KUBE_REQUEST_TIMEOUT="1",
        ) as bot:
            # read lazily, at the first request: "down" is a closed port
            assert kube.url is not None
            write_kubeconfig(
                kubeconfig,
                {"lab": kube.url, "down": f"http://127.0.0.1:{closed_port()}"},
                current="lab",
            )
            text = await _diagnose(bot, f"pod down:shop/{case.pod}")
            assert f"cannot read pod shop/{case.pod} in cluster down" in text, text
            assert "cannot reach the API server" in text and "refused" in text.lower(), text
            _no_traceback(text)
            again = await _diagnose(bot, f"pod down:shop/{case.pod}", replies_before=1)
            assert "cannot reach the API server" in again
            await _still_answers(bot, str(case.pod))

    asyncio.run(scenario())


def test_a_huge_namespace_answers_with_a_capped_list(tmp_path: Path) -> None:
    async def scenario() -> None:
        kube = KubeStandIn(latency=0.0)
        bad = scenarios.bulk_namespace(kube, "bulk", n_pods=5000, unhealthy_ratio=0.1)
        async with running_bot(tmp_path, kube=kube, KUBEMEDIC_KUBE_REQUEST_TIMEOUT="5") as bot:
            await bot.send(bot.requests.slash_command("namespace bulk"))
            [posted] = await bot.slack.wait_for("chat.postMessage")
            text = block_text(posted.blocks)
            assert f"{len(bad)} of 5000 pods in namespace bulk are unhealthy" in text, text[:2000]
            assert "more" in text  # the list of pods is capped, the rest counted
            assert len(json.dumps(posted.blocks)) < 50_000 and len(posted.blocks) <= 50
            listed = sum(1 for name in bad if name in text)
            assert 0 < listed < len(bad)

    asyncio.run(scenario())
