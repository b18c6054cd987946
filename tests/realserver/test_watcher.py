"""The cluster watcher over real watch streams, including an API-server restart mid-watch.

The bot (real process parts, `running_bot`) watches a real kube-apiserver
as its own ServiceAccount, bound to deploy/'s read role plus the watch
component (deploy/components/watch), so RBAC decides every list and watch.
A workload that starts crash-looping is posted once; the API server is then
restarted while the watch is open (the stream ends or breaks; the watcher
backs off, then resumes from its resourceVersion or lists again after 410);
a failure that starts after the restart is still posted, and the first
workload's recovery still resolves its message.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from tests.realserver.api import Api, Obj
from tests.realserver.identities import Identity, install, rendered
from tests.realserver.lab import Lab
from tests.realserver.server import RealServer
from tests.slack.harness import Bot, block_text, running_bot
from tests.standins import kube_objects as ko
from tests.waiting import PATIENCE

WATCH = Path(__file__).resolve().parents[2] / "deploy" / "components" / "watch"
CHANNEL = "C0REALWATCH"


@pytest.fixture(scope="module")
def watcher(
    realserver: RealServer, admin: Api, tmp_path_factory: pytest.TempPathFactory
) -> Identity:
    """The bot's ServiceAccount with the read role and the watch component, as deployed."""
    component = [
        yaml.safe_load((WATCH / name).read_text())
        for name in ("clusterrole-watch.yaml", "clusterrolebinding-watch.yaml")
    ]
    return install(
        realserver,
        admin,
        rendered("base") + component,
        "kubemedic-watcher",
        tmp_path_factory.mktemp("watcher"),
    )


def failing(lab: Lab, name: str, node: str) -> Obj:
    _, rs = lab.owned_chain(name, replicas=1, ready_replicas=0)
    return lab.pod(
        ko.pod(
            name=f"{rs['metadata']['name']}-x7k2p",
            namespace=lab.namespace,
            owner=rs,
            labels=rs["metadata"]["labels"],
            node_name=node,
            containers=[ko.container(name=name, memory_limit="256Mi")],
            container_statuses=[
                ko.crashloop_status(name=name, last_reason="OOMKilled", restarts=9)
            ],
        )
    )


async def posted_about(bot: Bot, what: str, timeout: float) -> str:
    found = await bot.slack.wait_for(
        "chat.postMessage",
        timeout=timeout,
        predicate=lambda c: c.params.get("channel") == CHANNEL and what in block_text(c.blocks),
    )
    return str(found[0].ts)


async def test_the_watcher_keeps_watching_across_an_api_server_restart(
    tmp_path: Path, lab: Lab, admin: Api, realserver: RealServer, watcher: Identity
) -> None:
    node = lab.node()
    settings = {
        "KUBEMEDIC_WATCH": "true",
        "KUBEMEDIC_ALERT_CHANNEL": CHANNEL,
        "KUBEMEDIC_NAMESPACES": lab.namespace,
        "KUBEMEDIC_ALERT_EDIT_INTERVAL_SECONDS": "0",
        "KUBEMEDIC_ALERT_POST_INTERVAL_SECONDS": "0.1",
    }
    async with running_bot(tmp_path, kubeconfig=watcher.kubeconfig, **settings) as bot:
        assert bot.alerts is not None
        await asyncio.wait_for(bot.alerts.leadership.leading.wait(), PATIENCE)
        before = failing(lab, "checkout", node)
        first = await posted_about(bot, f"deployment {lab.namespace}/checkout", 30)
        [message] = [c for c in bot.slack.calls_to("chat.postMessage", ok=True) if c.ts == first]
        assert "`oom-killed`" in block_text(message.blocks)  # (other labs' nodes may be posted too)

        await asyncio.to_thread(realserver.restart)  # the open streams end or break
        (watching,) = bot.alerts.watching
        pods = next(r for r in watching.reflectors if r.target.kind == "pods")

        failing(lab, "billing", node)  # a failure that starts after the restart
        await posted_about(bot, f"deployment {lab.namespace}/billing", 90)
        recovered = {
            **before["status"],
            "containerStatuses": [ko.running_status(name="checkout")],
            "phase": "Running",
        }
        admin.write_status(before, recovered)
        resolved = await bot.slack.wait_for(
            "chat.update",
            predicate=lambda c: c.params.get("ts") == first and "Resolved" in block_text(c.blocks),
        )
        assert "resolved after" in block_text(resolved[-1].blocks)
        tops = [
            c
            for c in bot.slack.calls_to("chat.postMessage", ok=True)
            if c.params.get("channel") == CHANNEL and lab.namespace in block_text(c.blocks)
        ]
        assert len(tops) == 2  # one per workload: nothing posted twice across the restart
        assert pods.stats.streams >= 2  # the watch was opened again after the restart ...
        assert pods.stats.lists == 1 + pods.stats.expired  # ... listing again only after a 410
