"""A model trained on other inputs than today's fails here, naming what changed (no scikit-learn).

The model stores a digest of each catalog entry's training text under its id, and one of the
development half (files and labels). Renaming or removing an id, adding an entry, editing an
entry's text or a development label makes the shipped model stale until
`python -m bench.train_calibration` retrains it.
"""

from __future__ import annotations

import dataclasses

from bench.calibration_data import fingerprint, labelled
from intents.calibration import shipped_model
from intents.calibration.fingerprint import (
    LabelledPaste,
    development_digest,
    entry_digests,
    staleness,
)
from intents.calibration.model import NONE
from intents.loader import LoadedCatalog
from tests.real_corpus import load


def test_the_shipped_model_was_trained_on_todays_catalog_and_development_half() -> None:
    today = fingerprint()
    found = staleness(shipped_model().meta["fingerprint"], today["entries"], today["development"])  # type: ignore[arg-type]
    assert not found.stale, found.describe()


def test_the_model_knows_every_catalog_id_and_no_other(builtin_catalog: LoadedCatalog) -> None:
    known = set(shipped_model().classes) - {NONE}
    catalog = set(builtin_catalog.entries)
    assert (sorted(catalog - known), sorted(known - catalog)) == ([], []), (
        "retrain: python -m bench.train_calibration")


def test_a_renamed_id_is_named_on_both_sides(builtin_catalog: LoadedCatalog) -> None:
    entries = sorted(builtin_catalog.entries.values(), key=lambda e: e.id)
    stored = {"entries": entry_digests(entries), "development": "d"}
    renamed = [dataclasses.replace(e, id="oom-killed-renamed") if e.id == "oom-killed" else e for e in entries]
    found = staleness(stored, entry_digests(renamed), "d")
    assert found.unknown_to_model == ("oom-killed-renamed",)
    assert found.missing_from_catalog == ("oom-killed",)
    assert "oom-killed-renamed" in found.describe() and "python -m bench.train_calibration" in found.describe()


def test_an_edited_symptom_makes_the_model_stale(builtin_catalog: LoadedCatalog) -> None:
    entries = sorted(builtin_catalog.entries.values(), key=lambda e: e.id)
    stored = {"entries": entry_digests(entries), "development": "d"}
    edited = [dataclasses.replace(e, symptoms=[*e.symptoms, "a new symptom line"]) if e.id == "oom-killed" else e
              for e in entries]
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
    found = staleness({"entries": {}, "development": development_digest(pastes)}, {}, development_digest(relabelled))
    assert found.development_changed and "development half" in found.describe()
