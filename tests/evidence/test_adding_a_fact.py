"""The worked example of docs/matching.md, "Adding a fact and a reading that yields it", runs.

The test applies it as the doc shows it to a copy of the product's packages (the kind and the
reading written out, the registry line and the catalog rule added); in that copy the entry, read
by the schema the kinds make, is confirmed on the doc's paste as the bot reads it.  The tree as
it is reads nothing from that paste's table, so the example is what makes the difference.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bot.paste.detect import parse_paste

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```\w+\n# ([\w/.-]+)[^\n]*\n(.*?)```", re.DOTALL)
PASTE = re.compile(r"```text\n(.*?)```", re.DOTALL)
FACT = "a PodDisruptionBudget allows no eviction: PodDisruptionBudget istiod allows 0 disruptions"
CONFIRM = """
import json, sys
import yaml
from bot.diagnosis.paste_evidence import confirm_subjects
from bot.paste.detect import parse_paste
from intents.checked import validate
from intents.schema import CatalogEntry
with open("intents/catalog/pdb-blocks-eviction.yaml") as text:
    entry = validate(CatalogEntry, yaml.safe_load(text))
print(json.dumps(confirm_subjects(entry, parse_paste(sys.stdin.read()).subjects).evidence))
"""


def _example() -> tuple[dict[str, str], str]:
    doc = (ROOT / "docs" / "matching.md").read_text()
    section = doc[
        doc.index("### Adding a fact and a reading") : doc.index("## Messages by their grammar")
    ]
    paste = PASTE.search(section)
    assert paste is not None, "the worked example shows no paste"
    return dict(BLOCK.findall(section)), paste.group(1)


def _apply(tree: Path, blocks: dict[str, str]) -> None:
    """The doc's three files and its catalog rule, on the copy at `tree`."""
    for path in ("intents/facts/kinds/budgets.py", "bot/paste/readings/get_pdb.py"):
        (tree / path).write_text(blocks[path])
    registry = tree / "bot" / "paste" / "registry.py"
    text = registry.read_text()
    assert "    get_nodes,\n" in text and "    quota_rows.QUOTAS,\n" in text, (
        "the registry changed shape"
    )
    text = text.replace("    get_nodes,\n", "    get_nodes,\n    get_pdb,\n", 1)
    registry.write_text(
        text.replace(
            "    quota_rows.QUOTAS,\n",
            "    quota_rows.QUOTAS,\n" + blocks["bot/paste/registry.py"],
            1,
        )
    )
    with (tree / "intents" / "catalog" / "pdb-blocks-eviction.yaml").open("a") as entry:
        entry.write(blocks["intents/catalog/pdb-blocks-eviction.yaml"])


def test_the_worked_example_adds_a_fact_that_confirms_its_entry(tmp_path: Path) -> None:
    blocks, paste = _example()
    for package in ("bot", "intents", "responses"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    _apply(tmp_path, blocks)
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
    assert not parse_paste(paste).subjects  # today no reading takes the budget's row
