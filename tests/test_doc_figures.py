"""Figures the docs quote from the code stay the code's: a test fails when the code moves on.

Settings and their defaults are generated (docs/configuration.md, tests/test_readme.py); the
chart's values table too (tests/deploy/test_helm.py). Here: the counts quoted in prose and in
example output (the catalog's entries, the schema version, the permissions doctor asks for, the
regexes the catalog site runs in a browser, the labelled pastes a figure was measured on).
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.cluster.permissions import READ
from bot.storage.tables import SCHEMA_VERSION
from intents.loader import load_catalog
from responses.site_patterns import browser_safe
from tests.corpus_cases import positive_cases

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def test_install_mds_doctor_output_shows_this_releases_figures() -> None:
    page = (DOCS / "install.md").read_text()
    entries = len(load_catalog([]).entries)
    assert re.findall(r"ok    Catalog: ([\d,]+) entries valid", page) == [str(entries)]
    assert re.findall(r"schema version (\d+) \(current\)", page) == [str(SCHEMA_VERSION)]
    assert re.findall(r"read permissions \(cluster in-cluster\): all (\d+) granted", page) == [
        str(len(READ))
    ]


def test_the_catalog_site_figures_are_the_catalogs_and_the_corpus() -> None:
    page = (DOCS / "catalog-authoring.md").read_text()
    entries = load_catalog([]).entries.values()
    regexes = [p for entry in entries for p in (*entry.patterns, *entry.excludes, *entry.requires)]
    [(safe, total)] = re.findall(
        r"`responses/site_patterns.py`: ([\d,]+) of the\s+built-in ([\d,]+)", page
    )
    assert (_number(safe), _number(total)) == (sum(map(browser_safe, regexes)), len(regexes))
    cases = len(positive_cases())
    quoted = {_number(n) for n in re.findall(r"([\d,]+) `cases` pastes", page)}
    assert quoted == {cases}, (
        f"docs/catalog-authoring.md quotes {quoted} corpus cases; there are {cases}"
    )
