"""`kubemedic install-manifests alertmanager|clusters`: what an install needs beside the chart
or the Kustomize base, printed for `kubectl apply -f -` or alertmanager.yml (bot/manifests.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bot.commands.io import CommandIO
from bot.errors import EXIT_OK, BadInput
from bot.manifests import (
    NAMESPACE,
    SECRET,
    SERVICE,
    SERVICE_PORT,
    alertmanager_receiver,
    clusters_secret,
)
from bot.settings import Settings


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "install-manifests",
        help="print the Alertmanager receiver or the extra clusters' kubeconfig Secret",
        description="Print what an install needs beside the chart or the Kustomize base.",
    )
    kinds = parser.add_subparsers(dest="manifest", required=True, metavar="alertmanager|clusters")
    alerts = kinds.add_parser(
        "alertmanager", help="alertmanager.yml's route and receiver for the bot's Service"
    )
    alerts.add_argument(
        "--service", default=SERVICE, help=f"the Service's name (default {SERVICE})"
    )
    alerts.add_argument(
        "--namespace", default=NAMESPACE, help=f"its namespace (default {NAMESPACE})"
    )
    alerts.add_argument(
        "--port",
        type=int,
        default=SERVICE_PORT,
        help=f"its port (the chart's service.port, default {SERVICE_PORT})",
    )
    clusters = kinds.add_parser(
        "clusters",
        help="a Secret with a kubeconfig: home (the cluster kubemedic runs "
        "in) and contexts of your kubeconfig",
    )
    clusters.add_argument(
        "--context",
        action="append",
        required=True,
        metavar="CTX",
        help="a context of your kubeconfig kubemedic may read (repeat for several)",
    )
    clusters.add_argument(
        "--kubeconfig",
        metavar="FILE",
        help="the kubeconfig to copy from (default: the first of KUBECONFIG, or ~/.kube/config)",
    )
    clusters.add_argument(
        "--namespace", default=NAMESPACE, help=f"the Secret's namespace (default {NAMESPACE})"
    )
    clusters.add_argument("--name", default=SECRET, help=f"the Secret's name (default {SECRET})")


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    if args.manifest == "alertmanager":
        if not 0 < args.port < 65536:
            raise BadInput(f"--port must be 1-65535, not {args.port}")
        io.stdout.write(
            alertmanager_receiver(service=args.service, namespace=args.namespace, port=args.port)
        )
        return EXIT_OK
    kubeconfig = Path(args.kubeconfig) if args.kubeconfig else _first_kubeconfig(settings)
    io.stdout.write(
        clusters_secret(kubeconfig, args.context, namespace=args.namespace, name=args.name)
    )
    contexts = ",".join(["home", *dict.fromkeys(args.context)])
    print(
        f"# apply it: kubectl apply -f -; then Helm: --set clusters.kubeconfigSecret={args.name} "
        f"--set 'clusters.contexts={{{contexts}}}' (Kustomize: docs/clusters.md)",
        file=io.stderr,
    )
    return EXIT_OK


def _first_kubeconfig(settings: Settings) -> Path:
    if settings.kubeconfig:
        return Path(settings.kubeconfig.split(os.pathsep)[0]).expanduser()
    return settings.default_kubeconfig()
