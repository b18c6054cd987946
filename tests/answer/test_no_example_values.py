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
Names a product fixes itself are no examples: each is listed in intents.fix_values with what
fixes it. Checks 2 and 3 are the rule `catalog check` holds every entry to (intents.fix_values);
check 1 reads the symptoms as a paste is read, so it stays here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from bot.diagnosis.text_names import stated
from intents import fix_places, fix_values
from intents.checked import validate
from intents.loaded import LoadedCatalog
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
FIXED = fix_places.FIXED
"""Names a product or Kubernetes fixes, the same in every install (intents.fix_places)."""


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


def test_no_name_from_an_entrys_own_symptoms_is_in_its_fixes(
    builtin_catalog: LoadedCatalog,
) -> None:
    found = [
        f"{entry.id} {problem}"
        for entry in builtin_catalog.entries.values()
        for problem in examples_in_fixes(entry)
    ]
    assert found == [], "\n".join(found)


def test_every_value_of_the_readers_in_a_fix_is_a_placeholder(
    builtin_catalog: LoadedCatalog,
) -> None:
    """The rule `catalog check` holds every entry to (intents.fix_values): no quantity, name or
    namespace of another system where the reader's belongs."""
    found = [
        f"{entry_id}: {problem}"
        for entry_id, problem in fix_values.problems(builtin_catalog.entries.values())
    ]
    assert found == [], "\n".join(found)


def test_the_checks_find_the_examples_issue_60_names() -> None:
    """rbac-forbidden's fix as it was (shortened): each check finds its example values."""
    rbac = validate(CatalogEntry, yaml.safe_load(OLD_RBAC))
    found = {problem.split("'")[1] for problem in examples_in_fixes(rbac)}
    assert found == {"metricbeat", "kube-system"}
    found = {
        (literal.field, literal.value, literal.placeholder)
        for literal in fix_values.literals(rbac.fix[0].config, "config")
    }
    assert ("subjects.name", "metricbeat", "<serviceaccount>") in found
    assert ("subjects.namespace", "kube-system", "<serviceaccount-namespace>") in found
    [namespace] = fix_values.literals(rbac.fix[1].command, "command")
    assert (namespace.kind, namespace.value, namespace.placeholder) == (
        "namespace",
        "monitoring",
        "<namespace>",
    )


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
