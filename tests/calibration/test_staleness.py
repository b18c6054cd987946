"""A model older than its inputs: named, and left out where it would read an entry it never saw.

The model stores a digest of each catalog entry's training text under its id, and one of the
development half (files and labels). Renaming or removing an id, adding an entry, editing an
entry's text or a development label makes it stale until `python -m bench.train_calibration`
retrains it (`--check` says so); meanwhile the learned decision abstains for the entries that
changed (the rules decide where one is a candidate), `doctor` names them, and every test passes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bench.calibration_data import labelled
from bot.diagnosis.paste import diagnose_paste
from intents.calibration import consulting, rules_only, stale_ids
from intents.calibration.fingerprint import (
    LabelledPaste,
    development_digest,
    entry_digests,
    staleness,
)
from intents.decision.rules import LEARNED
from intents.loaded import LoadedCatalog
from intents.matcher import Matcher
from tests.cli.runner import kubemedic_in_process
from tests.real_corpus import load

CATALOG = Path(__file__).resolve().parents[2] / "intents" / "catalog"
TIED = "the init container was killed, exit code 137, no idea why\n"


def test_a_catalog_edit_without_a_retrain_leaves_that_entry_to_the_rules_and_says_so(
    builtin_catalog: LoadedCatalog,
) -> None:
    # one entry's symptoms edited after training: where it is a candidate, the learned decision
    # abstains (the rules' verdict stands) and the trace says why; elsewhere it decides as before
    entries = sorted(builtin_catalog.entries.values(), key=lambda e: e.id)
    edited = [
        dataclasses.replace(e, symptoms=[*e.symptoms, "a symptom line added after training"])
        if e.id == "oom-killed"
        else e
        for e in entries
    ]
    matcher = Matcher.from_entries(edited)
    diagnosis = diagnose_paste(matcher, TIED)
    with consulting(rules_only):
        rules = diagnose_paste(matcher, TIED)
    assert [f.match.id for f in diagnosis.findings] == [f.match.id for f in rules.findings]
    assert diagnosis.answer is None and rules.answer is None
    steps = [s.effect for f in diagnosis.findings for s in f.match.why if s.rule == LEARNED.name]
    assert steps == ["abstained: the model is older than the catalog for oom-killed"]
    assert stale_ids({e.id: e for e in edited}, ["oom-killed", "disk-full"]) == {"oom-killed"}


def test_doctor_names_the_entries_the_model_is_older_than(
    tmp_path: Path, builtin_catalog: LoadedCatalog
) -> None:
    (tmp_path / "oom-killed.yaml").write_text(
        (CATALOG / "oom-killed.yaml")
        .read_text()
        .replace("symptoms:\n", "symptoms:\n  - a symptom line added later\n", 1)
    )
    line = next(
        line
        for line in kubemedic_in_process(
            "doctor", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)}
        ).stdout.splitlines()
        if "Learned decision" in line
    )
    # entries edited in the catalog itself since the last retrain are counted too
    edited = stale_ids(builtin_catalog.entries, list(builtin_catalog.entries)) - {"oom-killed"}
    count = len(edited) + 1
    named = "1 entry (oom-killed)" if count == 1 else f"{count} entries ("
    assert line.startswith(f"info  Learned decision: older than the catalog for {named}")
    assert "python -m bench.train_calibration" in line


def test_a_renamed_id_is_named_on_both_sides(builtin_catalog: LoadedCatalog) -> None:
    entries = sorted(builtin_catalog.entries.values(), key=lambda e: e.id)
    stored = {"entries": entry_digests(entries), "development": "d"}
    renamed = [
        dataclasses.replace(e, id="oom-killed-renamed") if e.id == "oom-killed" else e
        for e in entries
    ]
    found = staleness(stored, entry_digests(renamed), "d")
    assert found.unknown_to_model == ("oom-killed-renamed",)
    assert found.missing_from_catalog == ("oom-killed",)
    assert (
        "oom-killed-renamed" in found.describe()
        and "python -m bench.train_calibration" in found.describe()
    )


def test_an_edited_symptom_makes_the_model_stale(builtin_catalog: LoadedCatalog) -> None:
    entries = sorted(builtin_catalog.entries.values(), key=lambda e: e.id)
    stored = {"entries": entry_digests(entries), "development": "d"}
    edited = [
        dataclasses.replace(e, symptoms=[*e.symptoms, "a new symptom line"])
        if e.id == "oom-killed"
        else e
        for e in entries
    ]
    found = staleness(stored, entry_digests(edited), "d")
    assert found.edited == ("oom-killed",) and found.stale


def test_a_removed_entry_is_named(builtin_catalog: LoadedCatalog) -> None:
    entries = sorted(builtin_catalog.entries.values(), key=lambda e: e.id)
    stored = {"entries": entry_digests(entries), "development": "d"}
    found = staleness(stored, entry_digests([e for e in entries if e.id != "oom-killed"]), "d")
    assert found.missing_from_catalog == ("oom-killed",) and found.unknown_to_model == ()


def test_a_relabelled_development_paste_makes_the_model_stale() -> None:
    pastes = labelled(load("dev")[:50])
    first = pastes[0]
    relabelled = [LabelledPaste(first.name, first.data, first.klass, ("another-id",)), *pastes[1:]]
    assert development_digest(relabelled) != development_digest(pastes)
    assert development_digest(list(reversed(pastes))) == development_digest(pastes)
    found = staleness(
        {"entries": {}, "development": development_digest(pastes)},
        {},
        development_digest(relabelled),
    )
    assert found.development_changed and "development half" in found.describe()
