"""The bot's own identity on the real server: the rendered RBAC applied, a TokenRequest token.

`kubectl kustomize deploy/...` renders the Namespace, ServiceAccount,
ClusterRoles and ClusterRoleBindings a user applies; they are applied here
unchanged except for the namespace, so several identities can live side by
side: one per deploy target, plus a trimmed one with a rule taken out.
The bot then authenticates with a token issued for that ServiceAccount
(TokenRequest, what the pod's projected token volume holds), so RBAC
decides every request exactly as in a real install.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.deploy.kustomize import TARGETS, Doc, render
from tests.realserver.api import Api
from tests.realserver.server import RealServer

SERVICE_ACCOUNT = "kubemedic"
RBAC_KINDS = ("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding")
RuleFilter = Callable[[Doc], Doc | None]


@dataclass(frozen=True)
class Identity:
    """A ServiceAccount bound to rendered roles, and a kubeconfig carrying its token."""

    namespace: str
    kubeconfig: Path
    roles: tuple[str, ...]

    @property
    def user(self) -> str:
        """The user name the API server (and its audit log) knows it by."""
        return f"system:serviceaccount:{self.namespace}:{SERVICE_ACCOUNT}"


def rendered(target: str) -> list[Doc]:
    """The RBAC objects of a deploy target, as `kubectl kustomize` renders them."""
    return [d for d in render(TARGETS[target]) if d["kind"] in RBAC_KINDS]


def _moved(doc: Doc, namespace: str, rename: dict[str, str]) -> Doc:
    """`doc` in `namespace` instead of the rendered one; roles renamed per `rename`."""
    doc = copy.deepcopy(doc)
    meta = doc["metadata"]
    if doc["kind"] == "Namespace":
        meta["name"] = namespace
    elif doc["kind"] == "ServiceAccount":
        meta["namespace"] = namespace
    elif doc["kind"] == "ClusterRole":
        meta["name"] = rename.get(meta["name"], meta["name"])
    elif doc["kind"] == "ClusterRoleBinding":
        meta["name"] = f"{meta['name']}-{namespace}"
        doc["roleRef"]["name"] = rename.get(doc["roleRef"]["name"], doc["roleRef"]["name"])
        for subject in doc["subjects"]:
            subject["namespace"] = namespace
    return doc


def install(
    server: RealServer,
    api: Api,
    docs: list[Doc],
    namespace: str,
    folder: Path,
    *,
    trim: dict[str, RuleFilter] | None = None,
) -> Identity:
    """Apply `docs` for a ServiceAccount in `namespace`; `trim` maps a role name to a
    function editing its rules (the edited role is applied under a new name)."""
    rename = {name: f"{name}-{namespace}" for name in (trim or {})}
    roles: list[str] = []
    for doc in docs:
        moved = _moved(doc, namespace, rename)
        original = doc["metadata"]["name"]
        if doc["kind"] == "ClusterRole":
            if trim and original in trim:
                moved["rules"] = [r for r in (trim[original](rule) for rule in moved["rules"]) if r]
            roles.append(moved["metadata"]["name"])
        api.apply(moved)
    token = api.token(namespace, SERVICE_ACCOUNT)
    path = server.token_kubeconfig(folder / f"{namespace}.kubeconfig", token)
    return Identity(namespace, path, tuple(roles))


def without_resource(resource: str) -> RuleFilter:
    """A rule filter dropping `resource` (e.g. "pods/log") from every rule."""

    def trim(rule: Doc) -> Doc | None:
        kept = [r for r in rule.get("resources", []) if r != resource]
        return {**rule, "resources": kept} if kept else None

    return trim
