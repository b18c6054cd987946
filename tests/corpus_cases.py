"""The labelled corpus of real pastes in tests/corpus/, as (path, expected ids) cases."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


def positive_cases() -> list[tuple[Path, str]]:
    """Single-problem pastes and the catalog id that explains each."""
    return sorted(
        (path, path.parent.name) for path in (CORPUS / "cases").glob("*/*.txt")
    )


def multi_cases() -> list[tuple[Path, list[str]]]:
    """Pastes showing two problems; both ids are in the file name before '__'."""
    return sorted(
        (path, path.name.split("__")[0].split("+")) for path in (CORPUS / "multi").glob("*.txt")
    )


def negative_cases() -> list[Path]:
    """Chat and non-Kubernetes errors that must not get a confident answer."""
    return sorted((CORPUS / "negatives").glob("*.txt"))


def read_case(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")
