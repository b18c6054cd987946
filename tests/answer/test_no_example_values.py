"""No example value from the catalog reaches an answer: every entry's fixes, checked whole.

An entry's symptoms are pastes from other people's systems; its fix steps are shown filled
with the reader's own names (bot.diagnosis.naming), and a place the reader's paste does not
fill keeps its placeholder, which asks for the value by name. So a name from another system
(`metricbeat`, `local-storage`, `kube-system` used as an example) must not be written in a fix:
1. no name an entry's own symptoms state, read as a paste's names are read, is in its fixes;
2. in a fix's config, a field that names the reader's objects (a namespace, a binding's
   subject, a claim, a storage or ingress class, a container, a ConfigMap or Secret it
   reads, an issuer) holds a placeholder;
3. a command's `-n`/`--namespace` holds a placeholder.
Names a product fixes itself are no examples: each is listed below with what fixes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from bot.diagnosis.text_names import stated
from intents.checked import validate
from intents.loader import LoadedCatalog
from intents.schema import CatalogEntry

STATED_KINDS = (
    "pod",
    "claim",
    "node",
    "namespace",
    "quota",
    "image",
    "container",
    "storageclass",
    "release",
    "serviceaccount",
    "serviceaccount-namespace",
    "subject",
    "registry",
    "repository",
    "taint",
)
"""The kinds of name a paste fills (bot.diagnosis.text_names) that name one system's own objects."""
READER_FIELDS = frozenset(
    {
        "namespace",
        "storageClassName",
        "claimName",
        "serviceAccountName",
        "ingressClassName",
        "secretName",
    }
)
"""Config keys whose value names one of the reader's objects wherever they appear."""
READER_NAMES = frozenset(
    {
        "subjects",
        "serviceAccount",
        "configMapKeyRef",
        "secretKeyRef",
        "configMapRef",
        "secretRef",
        "configMap",
        "issuerRef",
        "scaleTargetRef",
        "containers",
        "initContainers",
    }
)
"""Config keys whose items' `name` names one of the reader's objects."""
FIXED: dict[str, str] = {
    "registry-1.docker.io": "Docker Hub's registry host",
    "argocd": "the namespace Argo CD's install manifests create",
    "argocd-cm": "the one ConfigMap Argo CD reads its settings from",
    "istio-system": "Istio's root namespace, where mesh-wide settings apply",
    "metallb-system": "the namespace MetalLB's manifests install into and read its pools from",
    "ingress-nginx": "the namespace ingress-nginx's manifests and chart install into",
    "cert-manager": "cert-manager's cluster resource namespace (its install's default)",
    "falco": "the namespace Falco's chart installs into",
    "system-node-critical": "a PriorityClass every cluster has",
    "regcred": "the pull Secret the step before creates",
    "k8s.io": "containerd's namespace for Kubernetes' images",
}
"""Names a product or Kubernetes fixes, the same in every install: no example value."""
SYSTEM_NAMESPACES: dict[str, str] = {
    "kube-system": "where Kubernetes runs its own parts (CoreDNS, kube-proxy, the control plane)",
    "kube-public": "where kubeadm publishes the cluster-info ConfigMap",
}
"""Namespaces a command may name to reach Kubernetes' own components (a config never writes
them: the reader's objects are not there)."""
_NAMESPACE_FLAG = re.compile(r"\s(?:-n\s*|--namespace[= ])(?P<value>[^\s|;&)'\"]+)")
_TOOL = re.compile(r"^\s*(?:sudo\s+)?(?:kubectl|helm)\s")


def _word(value: str, text: str) -> bool:
    return re.search(rf"(?<![\w.</-]){re.escape(value)}(?![\w>-])", text) is not None


def _code(entry: CatalogEntry) -> Iterator[tuple[int, str]]:
    for number, step in enumerate(entry.fix, start=1):
        yield from ((number, text) for text in (step.command, step.config) if text)


def examples_in_fixes(entry: CatalogEntry) -> Iterator[str]:
    """Names the entry's symptoms state that its fix commands or configs repeat."""
    names: dict[str, str] = {}
    for symptom in entry.symptoms:
        for kind, values in stated(symptom).items():
            if kind in STATED_KINDS:
                names.update({value.partition("=")[0].rstrip(":"): kind for value in values})
    for number, text in _code(entry):
        yield from (
            f"step {number}: {kind} {name!r}, from its own symptoms"
            for name, kind in names.items()
            if name not in FIXED and _word(name, text)
        )


def _named(node: Any, parent: str = "") -> Iterator[tuple[str, str]]:
    """(key, value) of every field of a config that names one of the reader's objects."""
    if isinstance(node, list):
        for item in node:
            yield from _named(item, parent)
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                yield from _named(value, str(key))
            elif isinstance(value, str) and (
                key in READER_FIELDS or key == "name" and parent in READER_NAMES
            ):
                yield f"{parent}.{key}" if key == "name" else str(key), value


def literal_names_in_configs(entry: CatalogEntry) -> Iterator[str]:
    for number, step in enumerate(entry.fix, start=1):
        try:
            documents = list(yaml.safe_load_all(step.config or ""))
        except yaml.YAMLError:  # an excerpt (a TOML or INI file, a JSON fragment): nothing to read
            continue
        yield from (
            f"step {number}: {key}: {value}"
            for document in documents
            for key, value in _named(document)
            if "<" not in value and value not in FIXED
        )


def literal_namespaces_in_commands(entry: CatalogEntry) -> Iterator[str]:
    """`-n NAME` of kubectl and helm (not `sort -n`, `head -n 20`)."""
    for number, step in enumerate(entry.fix, start=1):
        parts = re.split(r"&&|\|\||;|\||\$\(|\n", step.command or "")
        # a kubectl or helm command, up to the command it runs in a container
        commands = [part.partition(" -- ")[0] for part in parts if _TOOL.match(part)]
        for match in (found for command in commands for found in _NAMESPACE_FLAG.finditer(command)):
            value = match.group("value")
            if "<" not in value and value not in FIXED and value not in SYSTEM_NAMESPACES:
                yield f"step {number}: -n {value}"


def test_no_name_from_an_entrys_own_symptoms_is_in_its_fixes(
    builtin_catalog: LoadedCatalog,
) -> None:
    found = [
        f"{entry.id} {problem}"
        for entry in builtin_catalog.entries.values()
        for problem in examples_in_fixes(entry)
    ]
    assert found == [], "\n".join(found)


def test_every_config_names_the_readers_objects_by_placeholder(
    builtin_catalog: LoadedCatalog,
) -> None:
    found = [
        f"{entry.id} {problem}"
        for entry in builtin_catalog.entries.values()
        for problem in literal_names_in_configs(entry)
    ]
    assert found == [], "\n".join(found)


def test_every_command_names_the_readers_namespace_by_placeholder(
    builtin_catalog: LoadedCatalog,
) -> None:
    found = [
        f"{entry.id} {problem}"
        for entry in builtin_catalog.entries.values()
        for problem in literal_namespaces_in_commands(entry)
    ]
    assert found == [], "\n".join(found)


def test_the_checks_find_the_examples_issue_60_names() -> None:
    """rbac-forbidden's fix as it was (shortened): each check finds its example values."""
    rbac = validate(CatalogEntry, yaml.safe_load(OLD_RBAC))
    found = {problem.split("'")[1] for problem in examples_in_fixes(rbac)}
    assert found == {"metricbeat", "kube-system"}
    assert "step 1: subjects.name: metricbeat" in set(literal_names_in_configs(rbac))
    assert list(literal_namespaces_in_commands(rbac)) == ["step 2: -n monitoring"]


OLD_RBAC = """
id: rbac-forbidden
title: RBAC forbidden
summary: refused
symptoms:
  - >-
    leases.coordination.k8s.io "metricbeat-cluster-leader" is forbidden:
    User "system:serviceaccount:kube-system:metricbeat" cannot get resource "leases"
    in API group "coordination.k8s.io" in the namespace "kube-system"
root_cause: no binding grants it
fix:
  - text: Grant the missing permission.
    config: |
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: lease-manager
        namespace: kube-system
      subjects:
        - kind: ServiceAccount
          name: metricbeat
          namespace: kube-system
  - text: See the operator's pods.
    command: kubectl get pods -n monitoring
links:
  - url: https://kubernetes.io/docs/reference/access-authn-authz/rbac/
    title: RBAC
sources: [k8s]
tags: [rbac]
"""
