"""`kubemedic fleet token issue|revoke|list [CLUSTER]`, `fleet cluster remove CLUSTER`: on a fleet hub.

Run where the hub's database is (KUBEMEDIC_DATABASE_URL), e.g. `kubectl exec` into a hub
replica. `issue` prints the new token once (only its digest is stored) with the command that
installs an agent; `revoke` ends every token of the cluster, or exactly the one token whose id it
is given (its agent is disconnected within seconds and refused from then on; a name that is
neither is refused); `list` shows each token and its cluster's agent.
What the hub decides about a cluster is recorded with its token when it is issued, never taken
from the agent: `--remediation` (the cluster opted in to remediation through its agent) and the
agent key the token is bound to (bot/commands/fleet_issue.py: `--secret`, `--key`, `--unbound`).
`cluster remove` forgets a cluster whose tokens are all revoked (its agent, tokens, requests).
"""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from bot.commands.fleet_issue import add_options, issue
from bot.commands.io import CommandIO
from bot.commands.stores import with_store
from bot.errors import EXIT_OK, BadInput
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.storage.fleet_records import TokenRecord
    from bot.storage.sql import SqlStore

AGENT_NAMESPACE = "kubemedic"


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fleet",
        help="on a fleet hub: issue, revoke or list the agents' tokens; remove a revoked cluster",
        description="Manage the tokens agents dial the hub with (stored as digests in "
        "KUBEMEDIC_DATABASE_URL), and the clusters they were issued for.",
    )
    nouns = parser.add_subparsers(dest="noun", required=True, metavar="token|cluster")
    token = nouns.add_parser("token", help="issue, revoke or list agent tokens")
    token.add_argument("verb", choices=("issue", "revoke", "list"))
    token.add_argument(
        "cluster",
        nargs="?",
        help="the cluster's name, as people will type it (prod, eu-1); revoke: or one token's id "
        "(fleet token list), to revoke that token only",
    )
    token.add_argument(
        "--namespace",
        default=AGENT_NAMESPACE,
        metavar="NS",
        help=f"issue --secret: the agent's namespace (default {AGENT_NAMESPACE})",
    )
    token.add_argument(
        "--remediation",
        action="store_true",
        help="issue: the cluster opts in to remediation through its agent (the hub's record; the "
        "agent needs its write Role and KUBEMEDIC_AGENT_REMEDIATION too)",
    )
    add_options(token)
    cluster = nouns.add_parser("cluster", help="remove a cluster whose tokens are all revoked")
    cluster.add_argument("verb", choices=("remove",))
    cluster.add_argument("cluster", help="the cluster's name")


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    from bot.fleet import tokens

    if args.noun == "token" and args.verb == "list":
        io.stdout.write(asyncio.run(with_store(settings, _listing)))
        return EXIT_OK
    if not args.cluster:
        raise BadInput(f"usage: kubemedic fleet {args.noun} {args.verb} CLUSTER")
    try:
        cluster = tokens.check_cluster_name(args.cluster)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if args.noun == "cluster":
        return _remove(cluster, io, settings)
    if args.verb == "issue":
        return issue(args, io, settings, cluster, _namespace(args.namespace))
    return _revoke(cluster, io, settings)


def _revoke(name: str, io: CommandIO, settings: Settings) -> int:
    """`fleet token revoke NAME`: exactly the token NAME when it is a token's id, else every token of
    the cluster NAME; a name that is neither is refused (exit 2), never "revoked 0"."""
    from bot.runtime.clock import utc_now

    async def revoke(store: SqlStore) -> str:
        known = await store.list_tokens()
        token = next((t for t in known if t.id == name), None)
        if token is not None and any(t.cluster == name for t in known):
            raise BadInput(
                f"{name} is both a cluster and a token id: revoke the token from `fleet token list`"
            )
        if token is not None:
            if token.revoked_at is not None:
                return f"token {name} of cluster {token.cluster} was already revoked\n"
            await store.revoke_tokens(token.cluster, now=utc_now(), id=name)
            others = sum(
                1 for t in known if t.cluster == token.cluster and t.id != name and not t.revoked_at
            )
            return (
                f"revoked token {name} of cluster {token.cluster}; its agent is disconnected within "
                f"seconds ({others} other valid token(s) of the cluster stay)\n"
            )
        if not any(t.cluster == name for t in known):
            raise BadInput(
                f"no cluster or token {name!r} on this hub (kubemedic fleet token list names them)"
            )
        revoked = await store.revoke_tokens(name, now=utc_now())
        if not revoked:
            return f"cluster {name} has no valid token left (all were revoked before)\n"
        return f"revoked {revoked} token(s) of cluster {name}; its agent is disconnected within seconds\n"

    io.stdout.write(asyncio.run(with_store(settings, revoke)))
    return EXIT_OK


def _remove(cluster: str, io: CommandIO, settings: Settings) -> int:
    """`fleet cluster remove`: only a cluster whose every token is revoked (its agent is refused)."""
    removed = asyncio.run(with_store(settings, lambda store: store.remove_cluster(cluster)))
    if removed is None:
        raise BadInput(
            f"cluster {cluster} still has a valid token: revoke it first "
            f"(kubemedic fleet token revoke {cluster})"
        )
    if not any(removed.values()):
        raise BadInput(f"no cluster {cluster} on this hub (kubemedic fleet token list names them)")
    io.stdout.write(
        f"removed cluster {cluster}: {removed['fleet_tokens']} revoked token(s), its agent's record "
        f"and {removed['fleet_requests']} request(s); /diagnose clusters no longer lists it\n"
    )
    return EXIT_OK


def _namespace(name: str) -> str:
    from bot.fleet.tokens import CLUSTER_NAME

    if not CLUSTER_NAME.match(name):  # an RFC 1123 label, as a namespace's name is
        raise BadInput(
            f"invalid namespace {name[:64]!r}: lower-case letters, digits and '-', at most 63"
        )
    return name


async def _listing(store: SqlStore) -> str:
    from bot.runtime.clock import utc_now

    agents = {agent.cluster: agent for agent in await store.list_agents()}
    lines = ["CLUSTER\tTOKEN\tISSUED\tSTATE\tOPTIONS\tAGENT"]
    now = utc_now()
    for token in await store.list_tokens():
        agent = agents.get(token.cluster)
        seen = (
            f"{agent.version}, last contact {agent.last_seen:%Y-%m-%d %H:%M:%S}Z"
            if agent
            else "never connected"
        )
        if token.live_holder(now):  # the connection using this token now
            seen += f", connected with it from {token.held_from}"
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}Z" if token.revoked_at else "valid"
        lines.append(
            f"{token.cluster}\t{token.id}\t{token.created_at:%Y-%m-%d %H:%M}Z\t{state}\t"
            f"{_decided(token)}\t{seen}"
        )
    return "\n".join(lines) + "\n"


def _decided(token: TokenRecord) -> str:
    """What the hub decided when it issued the token: remediation, the agent key it is bound to."""
    options = ["remediation" if token.remediation else ""]
    if token.agent_key:
        options.append(f"bound to agent key {token.agent_key[:8]}...")
    elif token.bind:
        options.append("binds at first use: refused, issue a new one")
    else:
        options.append("unbound")
    return ", ".join(option for option in options if option)
