"""`kubemedic fleet token issue|revoke|list [CLUSTER]`: the agents' tokens, on a fleet hub.

Run where the hub's database is (KUBEMEDIC_DATABASE_URL), e.g. `kubectl exec` into a hub
replica. `issue` prints the new token once (only its digest is stored) with the command that
installs an agent; `revoke` ends every token of the cluster (its agent is disconnected within
seconds and refused from then on); `list` shows each token and its cluster's agent.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput, ServiceUnavailable
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.storage.sql import SqlStore

T = TypeVar("T")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fleet", help="on a fleet hub: issue, revoke or list the agents' tokens",
        description="Manage the tokens agents dial the hub with (stored as digests in KUBEMEDIC_DATABASE_URL).")
    verbs = parser.add_subparsers(dest="noun", required=True, metavar="token")
    token = verbs.add_parser("token", help="issue, revoke or list agent tokens")
    token.add_argument("verb", choices=("issue", "revoke", "list"))
    token.add_argument("cluster", nargs="?", help="the cluster's name, as people will type it (prod, eu-1)")


async def _with_store(settings: Settings, work: Callable[[SqlStore], Awaitable[T]]) -> T:
    from bot.storage.base import StoreError
    from bot.storage.sql import store_for

    store = store_for(settings)
    try:
        await store.start()
        return await work(store)
    except StoreError as exc:
        raise ServiceUnavailable(f"cannot use the database: {exc}") from exc
    finally:
        await store.close()


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    from bot.fleet import tokens
    from bot.runtime.clock import utc_now

    if args.verb == "list":
        io.stdout.write(asyncio.run(_with_store(settings, _listing)))
        return EXIT_OK
    if not args.cluster:
        raise BadInput(f"usage: kubemedic fleet token {args.verb} CLUSTER")
    try:
        cluster = tokens.check_cluster_name(args.cluster)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if args.verb == "issue":
        issued = tokens.issue(cluster, now=utc_now())
        asyncio.run(_with_store(settings, lambda store: store.add_token(issued.record)))
        io.stdout.write(f"{issued.text}\n")
        io.stderr.write(f"token {issued.record.id} for cluster {cluster}: shown once. In that cluster "
                        "(docs/fleet.md):\n  helm install kubemedic-agent deploy/helm/kubemedic -n kubemedic "
                        "--create-namespace --set mode=agent --set agent.hubUrl=https://HUB "
                        f"--set agent.token={issued.text}\n")
        return EXIT_OK
    revoked = asyncio.run(_with_store(settings, lambda store: store.revoke_tokens(cluster, now=utc_now())))
    io.stdout.write(f"revoked {revoked} token(s) of cluster {cluster}; its agent is disconnected within seconds\n")
    return EXIT_OK


async def _listing(store: SqlStore) -> str:
    agents = {agent.cluster: agent for agent in await store.list_agents()}
    lines = ["CLUSTER\tTOKEN\tISSUED\tSTATE\tAGENT"]
    for token in await store.list_tokens():
        agent = agents.get(token.cluster)
        seen = f"{agent.version}, last contact {agent.last_seen:%Y-%m-%d %H:%M:%S}Z" if agent else "never connected"
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}Z" if token.revoked_at else "valid"
        lines.append(f"{token.cluster}\t{token.id}\t{token.created_at:%Y-%m-%d %H:%M}Z\t{state}\t{seen}")
    return "\n".join(lines) + "\n"
