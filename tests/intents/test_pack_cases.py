"""Each catalog pack's own cases (intents/catalog/packs/<pack>/cases/<id>/*.txt) through the
paste path, pack by pack, table-driven: every case is answered first by the entry its folder
names (what `kubemedic catalog test` holds a team's pack to), so a pack whose entries stop
answering the pastes they were written from is named with each case. The catalog is loaded once
for the session (tests/conftest.py's matcher); every case runs once for this module.
tests/intents/test_corpus_accuracy.py counts them with the core's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.catalog_files import read_case
from intents.matcher import Matcher
from intents.packs import PackFolder, builtin_packs
from responses.redaction.entry import redact_paste


@dataclass(frozen=True)
class Outcome:
    path: Path
    expected: str
    answered: str | None
    listed: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}: {self.answered} {list(self.listed)}"


PACKS = builtin_packs()


@pytest.fixture(scope="module")
def outcomes(matcher: Matcher) -> dict[str, list[Outcome]]:
    def run(pack: PackFolder) -> Iterator[Outcome]:
        for path, expected in pack.cases():
            diagnosis = diagnose_paste(matcher, redact_paste(read_case(path)), top=3)
            first = diagnosis.answers[0].match.id if diagnosis.answers else None
            listed = tuple(f.match.id for f in diagnosis.findings)
            yield Outcome(path, expected, first, listed)

    return {pack.name: list(run(pack)) for pack in PACKS}


@pytest.mark.parametrize("pack", [pack.name for pack in PACKS])
def test_every_case_of_the_pack_is_answered_first_by_its_entry(
    outcomes: dict[str, list[Outcome]], pack: str
) -> None:
    results = outcomes[pack]
    assert results, f"{pack}: no cases"
    wrong = [o.describe() for o in results if o.answered != o.expected]
    assert not wrong, "\n".join(wrong)


def test_every_pack_entry_has_a_case() -> None:
    for pack in PACKS:
        with_cases = {expected for _path, expected in pack.cases()}
        assert set(pack.entry_ids()) <= with_cases, (pack.name, set(pack.entry_ids()) - with_cases)
