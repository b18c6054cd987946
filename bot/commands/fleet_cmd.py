"""`kubemedic fleet token issue|revoke|list [CLUSTER]`, `fleet cluster remove CLUSTER`: on a fleet hub.

Run where the hub's database is (KUBEMEDIC_DATABASE_URL), e.g. `kubectl exec` into a hub
replica. `issue` prints the new token once (only its digest is stored) with the command that
installs an agent; `revoke` ends every token of the cluster (its agent is disconnected within
seconds and refused from then on); `list` shows each token and its cluster's agent.
What the hub decides about a cluster is recorded with its token when it is issued, never taken
from the agent: `--remediation` (the cluster opted in to remediation through its agent) and
`--bind` (the token is bound to its agent's own key at first use, so a copy alone is refused).
`cluster remove` forgets a cluster whose tokens are all revoked (its agent, tokens, requests).

`issue --secret` prints the agent's namespace and token Secret as a manifest instead, to pipe
straight into the new cluster (`... | kubectl --context NEW apply --server-side -f -`): the
token never lands on a terminal, in a shell history or in a file, and the chart keeps
rendering no Secret. Server-side apply keeps no last-applied copy (of the token) in an
annotation, and applies again for a rotation.
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
    from bot.storage.fleet_records import TokenRecord
    from bot.storage.sql import SqlStore

T = TypeVar("T")
AGENT_NAMESPACE = "kubemedic"
AGENT_SECRET = ("kubemedic-agent", "token")
"""The Secret and key the chart's agent mode reads its token from (agent.tokenSecret)."""
HELM = (
    "helm install kubemedic-agent deploy/helm/kubemedic -n {namespace} --set mode=agent "
    "--set agent.hubUrl=https://HUB --set image.repository=YOUR/IMAGE"
)

BIND_NOTE = (
    "\n  (--bind: the agent needs KUBEMEDIC_AGENT_KEY_FILE on storage that outlives it; docs/fleet.md, "
    '"A copied token")'
)


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
        "cluster", nargs="?", help="the cluster's name, as people will type it (prod, eu-1)"
    )
    token.add_argument(
        "--secret",
        action="store_true",
        help="issue: print the agent's Namespace and token Secret as a manifest, for "
        "`| kubectl --context CLUSTER apply --server-side -f -` (the token is never shown)",
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
    token.add_argument(
        "--bind",
        action="store_true",
        help="issue: bind the token to its agent's own key at first use (KUBEMEDIC_AGENT_KEY_FILE): "
        "a copy of the token alone is refused",
    )
    cluster = nouns.add_parser("cluster", help="remove a cluster whose tokens are all revoked")
    cluster.add_argument("verb", choices=("remove",))
    cluster.add_argument("cluster", help="the cluster's name")


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

    if args.noun == "token" and args.verb == "list":
        io.stdout.write(asyncio.run(_with_store(settings, _listing)))
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
        namespace = _namespace(args.namespace)
        issued = tokens.issue(cluster, now=utc_now(), remediation=args.remediation, bind=args.bind)
        asyncio.run(_with_store(settings, lambda store: store.add_token(issued.record)))
        helm = HELM.format(namespace=namespace) + (BIND_NOTE if args.bind else "")
        if args.secret:
            io.stdout.write(secret_manifest(issued.text, namespace=namespace))
            io.stderr.write(
                f"token {issued.record.id} for cluster {cluster}: in the Secret {AGENT_SECRET[0]} above "
                f"(docs/fleet.md). Then, in that cluster:\n  {helm}\n"
            )
            return EXIT_OK
        io.stdout.write(f"{issued.text}\n")
        io.stderr.write(
            f"token {issued.record.id} for cluster {cluster}: shown once. In that cluster (docs/fleet.md):\n"
            f"  kubectl -n {namespace} create secret generic {AGENT_SECRET[0]} "
            f"--from-literal={AGENT_SECRET[1]}=TOKEN\n  {helm}\n"
            "(`issue --secret | kubectl apply --server-side -f -` does the first without showing it)\n"
        )
        return EXIT_OK
    revoked = asyncio.run(
        _with_store(settings, lambda store: store.revoke_tokens(cluster, now=utc_now()))
    )
    io.stdout.write(
        f"revoked {revoked} token(s) of cluster {cluster}; its agent is disconnected within seconds\n"
    )
    return EXIT_OK


def _remove(cluster: str, io: CommandIO, settings: Settings) -> int:
    """`fleet cluster remove`: only a cluster whose every token is revoked (its agent is refused)."""
    removed = asyncio.run(_with_store(settings, lambda store: store.remove_cluster(cluster)))
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


def secret_manifest(token: str, *, namespace: str) -> str:
    """The agent's Namespace and token Secret (the token base64-encoded in `data`), as YAML."""
    import base64

    import yaml

    labels = {"app.kubernetes.io/name": "kubemedic", "app.kubernetes.io/part-of": "kubemedic"}
    name, key = AGENT_SECRET
    docs = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}},
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "data": {key: base64.b64encode(token.encode()).decode()},
        },
    ]
    return yaml.safe_dump_all(docs, sort_keys=False)


async def _listing(store: SqlStore) -> str:
    agents = {agent.cluster: agent for agent in await store.list_agents()}
    lines = ["CLUSTER\tTOKEN\tISSUED\tSTATE\tOPTIONS\tAGENT"]
    for token in await store.list_tokens():
        agent = agents.get(token.cluster)
        seen = (
            f"{agent.version}, last contact {agent.last_seen:%Y-%m-%d %H:%M:%S}Z"
            if agent
            else "never connected"
        )
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}Z" if token.revoked_at else "valid"
        lines.append(
            f"{token.cluster}\t{token.id}\t{token.created_at:%Y-%m-%d %H:%M}Z\t{state}\t"
            f"{_decided(token)}\t{seen}"
        )
    return "\n".join(lines) + "\n"


def _decided(token: TokenRecord) -> str:
    """What the hub decided when it issued the token (and whether its key is bound yet)."""
    options = ["remediation" if token.remediation else ""]
    if token.bind:
        options.append("bound to its agent's key" if token.agent_key else "binds at first use")
    return ", ".join(option for option in options if option) or "-"
