"""The worked example of docs/matching.md, "Adding a fact", runs.

The test applies it as the doc shows it to a copy of the product's packages (the kind written
out, the one reader's row of its kind and its line among the readers, the catalog rule added);
in that copy the entry, read by the schema the kinds make, is confirmed on the doc's paste as the
bot reads it. The tree as it is reads no budget from that paste's table, so the example is what
makes the difference.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bot.diagnosis.paste_read import read_pasted

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```\w+\n# ([\w/.-]+)(?::([^\n]*))?\n(.*?)```", re.DOTALL)
PASTE = re.compile(r"```text\n(.*?)```", re.DOTALL)
FACT = "a PodDisruptionBudget allows no eviction: PodDisruptionBudget istiod allows 0 disruptions"
ROWS = "bot/cluster/outputs/rows.py"
CONFIRM = """
import json, sys
import yaml
from bot.diagnosis.paste_evidence import confirm_subjects
from bot.diagnosis.paste_read import read_pasted
from intents.checked import validate
from intents.schema import CatalogEntry
with open("intents/catalog/pdb-blocks-eviction.yaml") as text:
    entry = validate(CatalogEntry, yaml.safe_load(text))
subjects = [s for s in read_pasted(sys.stdin.read()).subjects if not s.healthy]
print(json.dumps(confirm_subjects(entry, subjects).evidence))
"""


def _example() -> tuple[list[tuple[str, str, str]], str]:
    doc = (ROOT / "docs" / "matching.md").read_text()
    section = doc[doc.index("### Adding a fact") : doc.index("## Messages by their grammar")]
    paste = PASTE.search(section)
    assert paste is not None, "the worked example shows no paste"
    return BLOCK.findall(section), paste.group(1)


def _apply(tree: Path, blocks: list[tuple[str, str, str]]) -> set[str]:
    """The doc's files and lines, on the copy at `tree`; the files it touched."""
    touched = set()
    for path, where, code in blocks:
        target = tree / path
        text = target.read_text() if target.exists() else ""
        if path == ROWS and "ROWS" in where:
            anchor = '    "pods": pod_from_row,\n'
            assert anchor in text, "the readers by kind changed shape"
            text = text.replace(anchor, anchor + code, 1)
        elif path == ROWS:
            anchor = "ROWS: dict["
            assert anchor in text, "the readers by kind changed shape"
            text = text.replace(anchor, code + "\n\n" + anchor, 1)
        else:
            text += code
        target.write_text(text)
        touched.add(path)
    return touched


def test_the_worked_example_adds_a_fact_that_confirms_its_entry(tmp_path: Path) -> None:
    blocks, paste = _example()
    for package in ("bot", "intents", "responses"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    touched = _apply(tmp_path, blocks)
    # the kind, the one reader's row, the catalog rule (and the case table: four files)
    assert len(touched) == 3, touched
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", CONFIRM],
        input=paste.encode(),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert [fact.split(" (pasted ")[0] for fact in json.loads(result.stdout)] == [FACT]
    # today no reader takes the budget's allowed disruptions: nothing there is unhealthy
    assert all(s.healthy for s in read_pasted(paste).subjects if "Budget" in s.label)
