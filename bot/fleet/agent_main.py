"""Starting `kubemedic agent`: its settings checked, its cluster and catalog loaded, then the loop.

The agent reads its own cluster as `kubemedic diagnose` does (in-cluster service account, or
KUBECONFIG's current context) with the read-only ClusterRole of deploy/base; it needs no
database, no chat token and no port. Its watcher and Alertmanager receiver, when its cluster
turns them on, are wired by bot/wiring/agent.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import signal
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bot.cluster.directory import ClusterDirectory
from bot.cluster.gateway import KubeGateway
from bot.doctor.clusters import missing_reads
from bot.errors import BadInput
from bot.fleet.agent import Agent
from bot.fleet.agent_key import KeyFileError, load_or_create
from bot.fleet.agent_work import AgentWork
from bot.fleet.forwarding import Forwarder
from bot.knowledge import Knowledge
from bot.settings import Settings

COLLECTOR_TIMEOUT_FACTOR = 3
"""A pod's evidence gets this many Kubernetes request timeouts, as for `kubemedic diagnose`."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def agent_settings(settings: Settings) -> tuple[str, str]:
    """(hub URL, token), or BadInput naming what is missing or unsafe."""
    if settings.hub_url is None or settings.agent_token is None:
        missing = [
            name
            for name, value in (
                ("KUBEMEDIC_HUB_URL", settings.hub_url),
                ("KUBEMEDIC_AGENT_TOKEN", settings.agent_token),
            )
            if value is None
        ]
        raise BadInput(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: the agent "
            "dials the hub with a token from `kubemedic fleet token issue CLUSTER` (docs/fleet.md)"
        )
    parts = urlsplit(settings.hub_url)
    if parts.scheme != "https" and not is_loopback(parts.hostname or ""):
        raise BadInput(
            f"KUBEMEDIC_HUB_URL must be https:// (the token crosses it), not {settings.hub_url!r}; "
            "plain http is allowed on loopback only"
        )
    return settings.hub_url, settings.agent_token.get_secret_value().strip()


def agent_key_of(settings: Settings) -> Ed25519PrivateKey | None:
    """The agent's own key (KUBEMEDIC_AGENT_KEY_FILE, made at first start), or BadInput saying why not."""
    if settings.agent_key_file is None:
        return None
    try:
        return load_or_create(settings.agent_key_file)
    except KeyFileError as exc:
        raise BadInput(str(exc)) from exc


def build_agent(
    settings: Settings,
    knowledge: Knowledge,
    *,
    version: str,
    clusters: ClusterDirectory | None = None,
    forwarder: Forwarder | None = None,
) -> Agent:
    """The agent's loop; `forwarder`: its watcher's and receiver's reports (bot/wiring/agent.py)."""
    hub_url, token = agent_settings(settings)
    clusters = clusters or ClusterDirectory(settings)
    named: list[Agent] = []
    work = AgentWork(
        matcher=knowledge.matcher,
        reader=lambda: clusters.reader(None),
        settings=settings,
        timeout=settings.kube_request_timeout * COLLECTOR_TIMEOUT_FACTOR,
        fleet_name=lambda: named[0].state.cluster if named else None,
    )

    async def cannot_read() -> tuple[str, ...]:
        reader = clusters.reader(None)
        return tuple(await missing_reads(reader)) if isinstance(reader, KubeGateway) else ()

    agent = Agent(
        key=agent_key_of(settings),
        hub_url=hub_url,
        token=token,
        work=work,
        version=version,
        cannot_read=cannot_read,
        status_file=settings.agent_status_file,
        ca_file=settings.hub_ca_file,
        forwarder=forwarder,
    )
    named.append(agent)
    return agent


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    return stop
