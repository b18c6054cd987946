"""Cluster checks: each allowed context answers, and grants every permission the code uses.

The permissions come from bot/cluster/permissions.py, the table the RBAC
tests hold equal to both the code's calls and deploy/'s ClusterRoles, and
each is asked with a SelfSubjectAccessReview as the identity kubemedic uses
in that cluster. Reads are cluster-wide (a diagnosis may be asked about any
namespace); remediation writes are reported on their own line, in each of
KUBEMEDIC_NAMESPACES when it is set, and count as a failure only when
someone may press the buttons (KUBEMEDIC_ADMINS is set).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.cluster.errors import ClusterError, Unauthorized
from bot.cluster.gateway import KubeGateway
from bot.cluster.kubeconfig import connect
from bot.cluster.permissions import READ, REMEDIATION, WATCH, Permission
from bot.errors import UserFacingError
from bot.settings import Settings
from responses.doctor import Check

MAX_NAMESPACES = 10
WATCH_FIX = (
    "add the watch component (deploy/components/watch, or the chart's watcher.enabled=true): "
    "the watcher (KUBEMEDIC_WATCH=true) needs get/list/watch on pods, nodes and events"
)
READ_FIX = (
    "apply the read-only ClusterRole (deploy/base/rbac/clusterrole-read.yaml, or the Helm chart) and "
    "bind it to the account kubemedic uses in this cluster"
)
REMEDIATION_FIX = (
    "add deploy/components/remediation (Helm: --set remediation.enabled=true) for the missing "
    "verbs, or leave KUBEMEDIC_ADMINS empty for a read-only bot"
)


def contexts(settings: Settings) -> list[str | None]:
    """The default context, then every other allowed one (KUBEMEDIC_CONTEXTS)."""
    return [None, *dict.fromkeys(settings.contexts)]


async def cluster_checks(settings: Settings) -> list[Check]:
    """Three lines per allowed context: reachable, reads granted, remediation granted."""
    checks: list[Check] = []
    seen: set[str] = set()
    for context in contexts(settings):
        try:
            gateway = connect(settings, context=context)
        except UserFacingError as exc:
            label = context or "default context"
            checks.append(
                Check(
                    f"cluster {label}",
                    "fail",
                    exc.reason,
                    "set KUBECONFIG to a kubeconfig with this context (or run in the cluster)",
                )
            )
            continue
        try:
            if gateway.cluster_name not in seen:
                seen.add(gateway.cluster_name)
                checks += await _one_cluster(settings, gateway)
        finally:
            gateway.close()
    return checks


async def _one_cluster(settings: Settings, gateway: KubeGateway) -> list[Check]:
    where = f"(cluster {gateway.cluster_name})"
    try:
        version = await gateway.version()
    except Unauthorized as exc:
        return [
            Check(
                f"API server {where}",
                "fail",
                f"credentials rejected ({exc.reason})",
                "renew the token or certificate of this context (in-cluster: the ServiceAccount token)",
            )
        ]
    except ClusterError as exc:
        return [
            Check(
                f"API server {where}",
                "fail",
                exc.reason,
                "check the server address of this context, the network path and TLS",
            )
        ]
    reachable = Check(
        f"API server {where}", "ok", f"reachable, Kubernetes {version.get('gitVersion', '?')}"
    )
    try:
        missing_reads = await _missing(gateway, READ, [None])
        scopes = [None] if not settings.namespaces else settings.namespaces[:MAX_NAMESPACES]
        missing_writes = await _missing(gateway, REMEDIATION, scopes)
        missing_watch = await _missing(gateway, WATCH, scopes) if settings.watch else []
    except ClusterError as exc:
        failed = Check(
            f"permissions {where}",
            "fail",
            f"cannot ask SelfSubjectAccessReview: {exc.reason}",
            "let authenticated users create selfsubjectaccessreviews (the default system:basic-user role)",
        )
        return [reachable, failed]
    checks = [reachable, _reads(where, missing_reads), _writes(where, settings, missing_writes)]
    if settings.watch:  # KUBEMEDIC_WATCH=true: the watcher's streams
        checks.append(_watches(where, missing_watch))
    return checks


def _watches(where: str, missing: list[str]) -> Check:
    if missing:
        return Check(
            f"watch permissions {where}", "fail", f"missing {', '.join(missing)}", WATCH_FIX
        )
    return Check(f"watch permissions {where}", "ok", f"all {len(WATCH)} granted")


async def _missing(
    gateway: KubeGateway, table: Sequence[Permission], namespaces: Sequence[str | None]
) -> list[str]:
    """ "get pods/log", "patch nodes", or "delete pods in namespace shop": what is not granted."""
    asks = [
        (permission, namespace)
        for permission in table
        for namespace in (namespaces if _namespaced(permission) else [None])
    ]
    answers = await asyncio.gather(*(gateway.may(p, namespace) for p, namespace in asks))
    return list(
        dict.fromkeys(
            f"{p}" + (f" in namespace {ns}" if ns else "")
            for (p, ns), granted in zip(asks, answers, strict=True)
            if not granted
        )
    )


def _namespaced(permission: Permission) -> bool:
    return permission.plural not in ("nodes", "persistentvolumes", "storageclasses", "apiservices")


def _reads(where: str, missing: list[str]) -> Check:
    if missing:
        return Check(
            f"read permissions {where}",
            "fail",
            f"missing {len(missing)} of {len(READ)}: {', '.join(missing)}",
            READ_FIX,
        )
    return Check(f"read permissions {where}", "ok", f"all {len(READ)} granted")


def _writes(where: str, settings: Settings, missing: list[str]) -> Check:
    label = f"remediation permissions {where}"
    if not missing:
        return Check(label, "ok", f"all {len(REMEDIATION)} granted")
    everything = len(missing) >= len(REMEDIATION) and not settings.namespaces
    if everything and not settings.admins:
        return Check(
            label,
            "info",
            "none granted: a read-only install (KUBEMEDIC_ADMINS is empty, so no "
            "one may press remediation buttons)",
        )
    return Check(label, "fail", f"missing {', '.join(missing)}", REMEDIATION_FIX)


async def missing_reads(gateway: KubeGateway) -> list[str]:
    """The reads a diagnosis uses that this identity is not granted, kubectl-spelled (a fleet agent
    says them in its hello; the hub's `doctor` lists them)."""
    try:
        return await _missing(gateway, READ, [None])
    except ClusterError as exc:
        return [f"(cannot ask SelfSubjectAccessReview: {exc.reason})"]
