"""`kubemedic fleet token issue CLUSTER`: a new agent token, bound to its agent's key at issue.

A token bound at first use could be won by whoever copied it before its agent's first start, and
an unbound one by whoever reconnects first after any drop. So `issue` binds the token when it
makes it, one of three ways, and says which:

- `--secret`: makes the agent's key pair here and prints the agent's Namespace and Secret
  (`token` and `key`, the private key the chart mounts as the agent's key file), to pipe straight
  into the new cluster (`... | kubectl --context NEW apply --server-side -f -`): neither lands on a
  terminal, in a shell history or a file; the hub keeps the token's digest and the public key;
- `--key=PUBLIC`: bound to a key the agent made itself (`kubemedic agent --public-key`, for an
  agent run as a plain process); the token is printed once;
- `--unbound`: no key; a copy of the token is as good as the agent (said on stderr).

Server-side apply keeps no last-applied copy (of the token or the key) in an annotation, and
applies again for a rotation.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
from typing import Any

import yaml

from bot.commands.io import CommandIO
from bot.commands.stores import with_store
from bot.errors import EXIT_OK, BadInput
from bot.settings import Settings

AGENT_SECRET = ("kubemedic-agent", "token", "key")
"""The Secret, and its keys, the chart's agent mode reads its token and key from (agent.tokenSecret)."""
HELM = (
    "helm install kubemedic-agent deploy/helm/kubemedic -n {namespace} --set mode=agent "
    "--set agent.hubUrl=https://HUB --set image.repository=YOUR/IMAGE"
)
CHOOSE = (
    "choose how its agent proves itself: --secret (makes the agent's key, in its Secret with the "
    "token), --key=PUBLIC (the key from `kubemedic agent --public-key`), or --unbound (a copy of "
    "the token is as good as the agent)"
)
BIND_GONE = (
    "--bind bound a token at its first use, which a copy of it could win: bind it at issue with "
    "--secret, or with --key=PUBLIC (`kubemedic agent --public-key` prints the agent's)"
)
UNBOUND_NOTE = (
    "  unbound: whoever copies this token can connect as the cluster's agent (docs/fleet.md, "
    '"A copied token")\n'
)


OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "--secret",
        {
            "action": "store_true",
            "help": "issue: make the agent's key and print its Namespace and Secret (token and key) "
            "as a manifest, for `| kubectl --context CLUSTER apply --server-side -f -` (neither "
            "is shown)",
        },
    ),
    (
        "--key",
        {
            "metavar": "PUBLIC",
            "help": "issue: bind the token to this agent key (`kubemedic agent --public-key` prints it)",
        },
    ),
    (
        "--unbound",
        {
            "action": "store_true",
            "help": "issue: bind the token to no key (a copy is as good as the agent)",
        },
    ),
    ("--bind", {"action": "store_true", "help": argparse.SUPPRESS}),
)
"""`issue`'s options on the `fleet token` parser: how the token is bound (`--bind`: refused, said why)."""


def add_options(token: argparse.ArgumentParser) -> None:
    for flag, spec in OPTIONS:
        token.add_argument(flag, **spec)


def _one_binding(args: argparse.Namespace) -> None:
    """BadInput unless exactly one of --secret, --key, --unbound is given (an unbound token's
    Secret, --secret --unbound, is the token alone)."""
    chosen = [name for name in ("secret", "key", "unbound") if getattr(args, name)]
    if args.secret and args.unbound:
        chosen.remove("secret")
    if len(chosen) != 1:
        raise BadInput(CHOOSE if not chosen else f"--{' and --'.join(chosen)}: {CHOOSE}")


def _public_key(args: argparse.Namespace) -> str | None:
    """The public key the token is bound to (None: unbound), or BadInput saying why not."""
    from bot.fleet import agent_key

    if args.bind:
        raise BadInput(BIND_GONE)
    _one_binding(args)
    if args.key is None:
        return None
    try:
        return agent_key.checked_public(args.key)
    except ValueError as exc:
        raise BadInput(f"--key: {exc}") from None


def issue(
    args: argparse.Namespace, io: CommandIO, settings: Settings, cluster: str, namespace: str
) -> int:
    """Issue the token, store its digest (and key), print it as `args` asked."""
    from bot.fleet import agent_key, tokens
    from bot.runtime.clock import utc_now

    public = _public_key(args)
    pem = None
    if args.secret and not args.unbound:
        pem, public = agent_key.new_pair()
    issued = tokens.issue(cluster, now=utc_now(), remediation=args.remediation, key=public)
    asyncio.run(with_store(settings, lambda store: store.add_token(issued.record)))
    helm = HELM.format(namespace=namespace) + (
        " --set agent.key.enabled=false" if not public else ""
    )
    said = f"token {issued.record.id} for cluster {cluster}" + (
        f", bound to agent key {agent_key.fingerprint(public)}..." if public else ""
    )
    if args.secret:
        io.stdout.write(secret_manifest(issued.text, namespace=namespace, key=pem))
        where = "token and key" if pem else "token"
        io.stderr.write(
            f"{said}: its {where} in the Secret {AGENT_SECRET[0]} above (docs/fleet.md). Then, in "
            f"that cluster:\n  {helm}\n" + ("" if public else UNBOUND_NOTE)
        )
        return EXIT_OK
    io.stdout.write(f"{issued.text}\n")
    io.stderr.write(
        f"{said}: shown once. In that cluster (docs/fleet.md):\n"
        f"  kubectl -n {namespace} create secret generic {AGENT_SECRET[0]} "
        f"--from-literal={AGENT_SECRET[1]}=TOKEN\n  {helm}\n"
        + (
            UNBOUND_NOTE
            if not public
            else "  (its agent signs with the key whose public half you gave)\n"
        )
    )
    return EXIT_OK


def secret_manifest(token: str, *, namespace: str, key: str | None = None) -> str:
    """The agent's Namespace and Secret (the token, and its private key when made here), as YAML."""
    labels = {"app.kubernetes.io/name": "kubemedic", "app.kubernetes.io/part-of": "kubemedic"}
    name, token_key, key_key = AGENT_SECRET
    data = {token_key: base64.b64encode(token.encode()).decode()}
    if key is not None:
        data[key_key] = base64.b64encode(key.encode()).decode()
    docs = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}},
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "data": data,
        },
    ]
    return yaml.safe_dump_all(docs, sort_keys=False)
