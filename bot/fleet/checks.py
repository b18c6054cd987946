"""`kubemedic doctor --hub` and `--agent`: the fleet's lines of the checklist.

On the hub: one line per agent (connected or not, its version, the reads its RBAC lacks).
On an agent: whether the hub takes its token, and under which cluster name; the probe says
hello as `kubemedic doctor`, so the hub neither records it nor sends it requests.
"""

from __future__ import annotations

import aiohttp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from bot.doctor.clusters import READ_FIX
from bot.errors import UserFacingError
from bot.fleet import agent_key, tokens
from bot.fleet.agent_main import agent_key_of, agent_settings
from bot.fleet.timing import FleetTiming
from bot.fleet.tokens import two_places
from bot.fleet.wire import HUB_MESSAGES, PATH, PROBE_HEADER, Challenge, Hello, Proof, Welcome
from bot.runtime.clock import utc_now
from bot.settings import Settings
from bot.storage.base import StoreError
from responses.doctor import Check
from responses.fleet_messages import ago

PROBE_SECONDS = 10.0
COPIED_FIX = (
    "unless that was its own agent restarting, someone else holds a copy: `kubemedic fleet token "
    "revoke {cluster}`, then issue a new one bound to its agent's key (`issue {cluster} --bind`)"
)
KEY_FIX = (
    "the token is bound to the key issued with it (KUBEMEDIC_AGENT_KEY_FILE: the agent Secret's `key`): "
    "use that file, or revoke the token and issue a new one on the hub (fleet token issue --secret)"
)
AGENT_FIX = "look at the agent in that cluster: kubectl -n kubemedic logs deploy/kubemedic-agent (docs/fleet.md)"


async def hub_checks(settings: Settings) -> list[Check]:
    """One line per agent that ever connected."""
    from bot.storage.sql import store_for

    store = store_for(settings)
    try:
        await store.start()
        agents = await store.list_agents()
        copied = two_places(await store.list_tokens(), utc_now())
    except StoreError as exc:
        return [Check("agents", "fail", f"cannot read them: {exc}", "see the database check above")]
    finally:
        await store.close()
    if not agents:
        return [
            Check(
                "agents",
                "info",
                "no agent has connected yet",
                "issue a token (kubemedic fleet token issue CLUSTER) and install the agent (docs/fleet.md)",
            )
        ]
    now, timing = utc_now(), FleetTiming()
    checks = [
        Check(f"agent {cluster}", "fail", said, COPIED_FIX.format(cluster=cluster))
        for cluster, said in sorted(copied.items())
    ]
    for agent in agents:
        name = f"agent {agent.cluster}"
        if not timing.reachable(agent, now):
            checks.append(
                Check(
                    name,
                    "fail",
                    f"not connected (last contact {ago(agent.last_seen, now)})",
                    AGENT_FIX,
                )
            )
        elif agent.cannot_read:
            checks.append(
                Check(
                    name,
                    "fail",
                    f"connected (agent {agent.version}), cannot read "
                    f"{len(agent.cannot_read)}: {', '.join(agent.cannot_read)}",
                    READ_FIX,
                )
            )
        else:
            checks.append(
                Check(name, "ok", f"connected (agent {agent.version}), every read granted")
            )
    return checks


async def agent_checks(settings: Settings, *, version: str) -> list[Check]:
    """Whether the hub takes this agent's token (and its key, for a token bound to one): one line."""
    try:
        url, token = agent_settings(settings)
        key = agent_key_of(settings)
    except UserFacingError as exc:
        return [
            Check(
                "hub",
                "fail",
                exc.reason,
                "set KUBEMEDIC_HUB_URL and KUBEMEDIC_AGENT_TOKEN (docs/fleet.md)",
            )
        ]
    try:
        said = await _probe(url, token, key, version=version)
    except aiohttp.WSServerHandshakeError as exc:
        if exc.status == 401:
            return [
                Check(
                    "hub",
                    "fail",
                    f"{url} refused this agent's token (unknown or revoked)",
                    "issue a new one on the hub: kubemedic fleet token issue CLUSTER",
                )
            ]
        return [
            Check(
                "hub",
                "fail",
                f"{url} answered HTTP {exc.status}",
                "check the hub's URL and its ingress",
            )
        ]
    except (aiohttp.ClientError, OSError, TimeoutError, ValidationError, TypeError) as exc:
        return [
            Check(
                "hub",
                "fail",
                f"cannot reach {url}: {exc or type(exc).__name__}",
                "check KUBEMEDIC_HUB_URL, the network path out of this cluster and TLS",
            )
        ]
    if isinstance(said, str):
        return [Check("hub", "fail", f"{url} refused this agent: {said}", KEY_FIX)]
    return [Check("hub", "ok", f"{url} takes this agent's token, as cluster {said.cluster}")]


async def _probe(
    url: str, token: str, key: Ed25519PrivateKey | None, *, version: str
) -> Welcome | str:
    """The hub's welcome to a probe (proving the agent's key when the hub asks), or why it closed."""
    timeout = aiohttp.ClientTimeout(total=PROBE_SECONDS)
    headers = {"Authorization": f"Bearer {token}", PROBE_HEADER: "1"}
    hello = Hello(version=version, probe=True, key=agent_key.public_text(key) if key else None)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(url.rstrip("/") + PATH, headers=headers) as socket,
    ):
        await socket.send_str(hello.model_dump_json())
        while True:
            message = await socket.receive(timeout=PROBE_SECONDS)
            if message.type != aiohttp.WSMsgType.TEXT:
                return str(
                    message.extra or "it closed the connection (is the URL a kubemedic hub?)"
                )
            said = HUB_MESSAGES.validate_json(message.data)
            if isinstance(said, Welcome):
                return said
            if isinstance(said, Challenge) and key is not None:
                signature = agent_key.sign(
                    key, token_id=tokens.token_id(token) or "", challenge=said.challenge
                )
                await socket.send_str(Proof(signature=signature).model_dump_json())
