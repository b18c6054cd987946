"""The labelled corpus of real pastes in tests/corpus/, as (path, expected ids) cases.

Layout (every file is one paste, UTF-8 text):

- cases/<entry-id>/*.txt: one problem, explained by <entry-id> (and each catalog pack's own
  cases, intents/catalog/packs/<pack>/cases/<entry-id>/*.txt);
- multi/<id1>+<id2>__*.txt: two problems, both ids in the name;
- negatives that must get no answer, by class:
  healthy/ (normal kubectl output and Normal events), out-of-catalog/ (real
  Kubernetes errors the catalog does not cover), negatives/chat-*.txt (chat)
  and the rest of negatives/ (errors from outside Kubernetes).
"""

from __future__ import annotations

import functools
from pathlib import Path

from intents.packs import builtin_packs

CORPUS = Path(__file__).parent / "corpus"

NEGATIVE_CLASSES = ("healthy", "out-of-catalog", "chat", "foreign")
"""Negative classes, reported separately: each has its own target."""


def positive_cases() -> list[tuple[Path, str]]:
    """Single-problem pastes and the catalog id that explains each (the packs' cases too)."""
    core = [(path, path.parent.name) for path in (CORPUS / "cases").glob("*/*.txt")]
    return sorted(core + [case for pack in builtin_packs() for case in pack.cases()])


def case_files() -> list[Path]:
    """Every single-problem paste's file (tests/corpus/cases and the packs' cases)."""
    return [path for path, _ in positive_cases()]


def multi_cases() -> list[tuple[Path, list[str]]]:
    """Pastes showing two problems; both ids are in the file name before '__'."""
    return sorted(
        (path, path.name.split("__")[0].split("+")) for path in (CORPUS / "multi").glob("*.txt")
    )


def negative_cases_by_class() -> dict[str, list[Path]]:
    """Pastes that must get no answer, per class (a class whose folder is missing is empty)."""
    others = sorted((CORPUS / "negatives").glob("*.txt"))
    return {
        "healthy": sorted((CORPUS / "healthy").rglob("*.txt")),
        "out-of-catalog": sorted((CORPUS / "out-of-catalog").rglob("*.txt")),
        "chat": [path for path in others if path.name.startswith("chat-")],
        "foreign": [path for path in others if not path.name.startswith("chat-")],
    }


def negative_cases() -> list[Path]:
    """Every negative paste, all classes together."""
    return [path for paths in negative_cases_by_class().values() for path in paths]


def healthy_cases() -> list[Path]:
    """Healthy and normal kubectl output that must never get an answer."""
    return sorted((CORPUS / "healthy").glob("*.txt"))


@functools.cache
def read_case(path: Path) -> str:
    """A paste's text, read once per test process (many tables read the same pastes)."""
    return path.read_bytes().decode("utf-8", errors="replace")
