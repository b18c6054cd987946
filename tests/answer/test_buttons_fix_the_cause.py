"""A button only where it fixes the cause: every entry with an action says what the action does to
the cause, `catalog check` refuses one that does not, and an answer whose actions only mitigate
says what to change instead."""

from __future__ import annotations

from pathlib import Path

from bot.remediation.planning import fixing
from intents.advice import is_check, primary_step
from intents.loaded import LoadedCatalog
from tests.cli.runner import kubemedic, kubemedic_in_process

ROOT = Path(__file__).resolve().parents[2]
ONLY_MITIGATE = {
    # a restart does not fix a memory limit, a crash or a crash's cause
    ("oom-killed", "rollout-restart"),
    ("crashloop-backoff", "rollout-restart"),
    ("crashloop-backoff", "annotate-debug"),  # a diagnostic mode, to read what failed
    ("pod-evicted", "delete-pod"),  # its controller already replaced it; the node's pressure stays
    ("node-not-ready", "cordon-node"),
    ("node-not-ready", "uncordon-node"),
    ("node-disk-pressure", "cordon-node"),
}
ENTRY = """id: frob-stuck
title: Frob stuck
summary: A frob is stuck.
symptoms: ["frob stuck in reconcile"]
root_cause: The frob controller lost its lease.
fix: [{text: Restart the frob controller., command: kubectl rollout restart deploy/frob -n <namespace>, fixed_names: [frob]}]
links: [{url: "https://example.com/frob", title: Frob docs}]
sources: [example]
remediation:
  - kind: delete-pod
    label: Delete the stuck frob pod
    target: pod
"""


def test_every_entry_with_an_action_says_whether_it_fixes_the_cause(
    builtin_catalog: LoadedCatalog,
) -> None:
    declared = {
        (entry.id, action.kind): action.effect
        for entry in builtin_catalog.entries.values()
        for action in entry.remediation
    }
    assert declared, "no entry offers an action"
    assert {key for key, effect in declared.items() if effect == "mitigates"} == ONLY_MITIGATE
    for entry in builtin_catalog.entries.values():
        assert [a.kind for a in fixing(entry)] == [
            a.kind for a in entry.remediation if a.effect == "fixes"
        ]


def test_an_action_that_fixes_the_cause_is_labelled_with_its_effect(
    builtin_catalog: LoadedCatalog,
) -> None:
    for entry in builtin_catalog.entries.values():
        for action in fixing(entry):
            # what the click does to the problem, not the API verb: "Recreate the pod the kubelet rejected..."
            assert action.label.split()[0] in ("Recreate", "Restart", "Delete"), (
                entry.id,
                action.label,
            )
            assert len(action.label.split()) >= 5, (entry.id, action.label)


def test_where_every_action_only_mitigates_the_answer_says_what_to_change(
    builtin_catalog: LoadedCatalog,
) -> None:
    for entry in builtin_catalog.entries.values():
        if not entry.remediation or fixing(entry) or entry.symptom is not None:
            continue  # a symptom entry (a crash loop, a NotReady node) first says where to look
        chosen = primary_step(entry.fix, "")
        assert chosen is not None and not is_check(entry.fix[chosen]), entry.id


def test_catalog_check_refuses_an_action_that_does_not_say_what_it_does(tmp_path: Path) -> None:
    (tmp_path / "frob-stuck.yaml").write_text(ENTRY)
    result = kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 2
    assert "frob-stuck.yaml:10: remediation.0.effect" in result.stderr
    (tmp_path / "frob-stuck.yaml").write_text(
        ENTRY.replace("    target: pod\n", "    target: pod\n    effect: fixes\n")
    )
    assert kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)}).code == 0


def test_the_oomkilled_answer_names_the_memory_limit_and_offers_no_restart() -> None:
    text = kubemedic_in_process(
        "diagnose",
        "pod",
        "shop/checkout-t6ljkgdzfx-bzm4s",
        "--from-dump",
        "examples/dump",
        cwd=ROOT,
    ).stdout
    assert "Fix: Raise the memory limit above the container's peak" in text
    assert "Observed: container checkout; limit 256Mi" in text
    assert "restart" not in text.split("Fix:", 1)[0].lower()
