"""The small things a new user met in their first hour (issue 60), each as they met it.

"why" quotes the part of the line that matched; a chain never says its symptom twice; the
no-answer "closest" list holds no 0.00 reading; `catalog check` says when a copied entry
overrides a built-in one; `install-manifests clusters` without a kubeconfig says so in one
line; catalog pages show patterns in words and no internal seed names.
"""

from __future__ import annotations

import re
from pathlib import Path

from intents.loaded import LoadedCatalog
from intents.loader import BUILTIN_CATALOG_DIR
from responses.catalog_site import entry_page
from responses.readable_patterns import readable
from tests.cli.runner import kubemedic_in_process

RBAC = (
    "E0312 10:22:01.123456       1 reflector.go:138] failed to list *v1.Pod: pods is "
    'forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API '
    'group "" in the namespace "billing"\n'
)
CNI = (
    "Ready  False  KubeletNotReady  container runtime network not ready: NetworkReady=false "
    "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not "
    "initialized\n"
)
UNSURE = (BUILTIN_CATALOG_DIR.parents[1] / "examples" / "pastes" / "pending-unsure.txt").read_text()
"""A Pending pod and a node's taint: readings that score, and others at 0.00."""


def test_why_this_answer_quotes_the_part_of_the_line_that_matched() -> None:
    body = kubemedic_in_process("match", "--json", stdin=RBAC.encode()).json()
    why = body["short"]["problems"][0]["why"]
    # not the log line's timestamp and source file
    assert "“…pods is forbidden: User" in why, why
    assert "E0312" not in why


def test_a_chain_does_not_say_its_symptom_twice() -> None:
    body = kubemedic_in_process("match", "--json", stdin=CNI.encode()).json()
    chains = [problem["chain"] for problem in body["short"]["problems"] if problem["chain"]]
    assert chains, body["short"]
    for chain in chains:
        symptom, _, cause = chain.partition(" because: ")
        assert not cause.lower().startswith(symptom.lower()), chain


def test_the_closest_readings_of_an_unanswered_paste_score_above_zero() -> None:
    body = kubemedic_in_process("match", "--json", stdin=UNSURE.encode()).json()
    assert body["answer"] is None
    scores = [f"{rival['score']:.2f}" for rival in body["short"]["closest"]]
    assert scores and "0.00" not in scores, body["short"]
    assert [m for m in body["matches"] if f"{m['score']:.2f}" == "0.00"]  # there were some


def test_catalog_check_says_which_copied_entry_overrides_a_built_in_one(tmp_path: Path) -> None:
    (tmp_path / "oom-killed.yaml").write_text((BUILTIN_CATALOG_DIR / "oom-killed.yaml").read_text())
    checked = kubemedic_in_process(
        "catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)}
    )
    assert checked.code == 0, checked.stderr
    assert checked.stdout.splitlines()[0] == (
        f"{tmp_path / 'oom-killed.yaml'}: overrides the built-in entry oom-killed "
        "(same id: the built-in one is not used)"
    )


def test_install_manifests_clusters_without_a_kubeconfig_says_so_in_one_line(
    tmp_path: Path,
) -> None:
    result = kubemedic_in_process(
        "install-manifests",
        "clusters",
        "--context",
        "prod",
        env={"HOME": str(tmp_path), "KUBECONFIG": ""},
    )
    assert (result.code, result.stdout) == (2, "")
    where = tmp_path / ".kube" / "config"
    assert result.stderr == (
        f"kubemedic: no kubeconfig at {where}: give the one with your "
        "clusters' contexts with --kubeconfig FILE or KUBECONFIG\n"
    )


def test_catalog_pages_show_patterns_in_words_and_no_seed_names(
    builtin_catalog: LoadedCatalog,
) -> None:
    assert (
        readable(r'(?i)storageclass\.storage\.k8s\.io\s+"[^"]{1,253}"\s+not found')
        == 'storageclass.storage.k8s.io "…" not found'
    )
    assert (
        readable(r"(?i)\b(?:run|runs) out of (?:pod |free )?(?:ip|ips)\b")
        == "(run | runs) out of [pod | free] (ip | ips)"
    )
    syntax = re.compile(r"\(\?|\\[bsdwSDW]|\[\^|\{\d|\\\.")
    for entry in builtin_catalog.entries.values():
        page = entry_page(entry)
        shown = re.findall(r'<code title="[^"]*">([^<]*)</code>', page)
        assert len(shown) == len(entry.patterns), entry.id
        assert not [text for text in shown if syntax.search(text)], (entry.id, shown)
        assert not re.search(r"Sources: (?:[^<]*, )?\d{3}[,.]", page), entry.id


def test_no_answer_or_page_names_an_internal_seed(builtin_catalog: LoadedCatalog) -> None:
    said = [
        (entry.id, text)
        for entry in builtin_catalog.entries.values()
        for text in (
            entry.summary,
            entry.root_cause,
            *(link.title for link in entry.links),
            *(step.text for step in entry.fix),
        )
        if re.search(r"\bseed(?:'s|s)?\b", text, re.IGNORECASE)
    ]
    assert said == []
