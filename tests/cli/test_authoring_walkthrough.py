"""docs/catalog-authoring.md's "A team's pack in ten minutes", run as written (issue 75 item 7:
the authoring doc is complete). Every file the walkthrough shows is written from the doc itself,
then `catalog check`, `catalog packs`, `catalog test` and `match` are run as it says, so the doc
cannot drift from what the commands accept (a required field missing from it, `sources:` last
round, fails here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.runner import kubemedic

DOC = Path(__file__).resolve().parents[2] / "docs" / "catalog-authoring.md"
BLOCK = re.compile(r"<!-- walkthrough: (\S+) -->\n```\w*\n(.*?)\n```", re.DOTALL)


@pytest.mark.slow  # the walkthrough's eight CLI runs: about a minute on a loaded machine
def test_the_ten_minute_pack_checks_tests_and_answers_as_the_doc_says(tmp_path: Path) -> None:
    files = BLOCK.findall(DOC.read_text())
    assert {name for name, _ in files} >= {
        "packs/frob/pack.yaml",
        "packs/frob/entries/frob-overload.yaml",
        "packs/frob/cases/frob-overload/controller-log.txt",
    }
    for name, body in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body + "\n")
    env = {"KUBEMEDIC_CATALOG_DIRS": str(tmp_path / "packs")}
    checked = kubemedic("catalog", "check", env=env)
    assert checked.code == 0, checked.stderr
    packs = kubemedic("catalog", "packs", env=env).stdout
    assert re.search(r"^frob +frobnicator 2\.x  1 entries  1 cases  from ", packs, re.MULTILINE), (
        packs
    )
    tested = kubemedic("catalog", "test", "frob", env=env)
    assert tested.code == 0, tested.stdout
    answer = kubemedic(
        "match", stdin=b"frob controller: quantum flux overload, dropping work queue\n", env=env
    ).stdout
    assert "[frob-overload]" in answer and "from team pack frob" in answer, answer
