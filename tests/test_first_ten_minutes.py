"""The README's "First ten minutes", run as written: each shell block in a shell of its own
after the block that activates the venv (as a reader runs them one after the other), in a
copy of the checkout's examples and catalog, with nothing of this machine's PATH or
settings. Each block must exit 0 and print the ids the README promises.

The venv is the one running these tests: on a fresh machine (and in CI) that is the
checkout's `.venv`, made by the README's first command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from intents.packs import builtin_entry_files

ROOT = Path(__file__).resolve().parents[1]
BUILT_IN_ENTRIES = len(builtin_entry_files())

#: what each block after the activation must print (and, for the site, write)
EXPECTED: list[tuple[str, list[str]]] = [
    ("a pasted error, then chat", ["[oom-killed]  confidence: high", "No confident match"]),
    (
        "the example dump",
        [
            "5 of 7 pods in namespace shop are unhealthy",
            "oom-killed (high)",
            "image-not-found (high)",
            "create-container-config-error (high)",
            "pod-evicted (high)",
            "shop/reports-jqw86dv22t-pxmc5",
        ],
    ),
    (
        "the Slack export",
        ["Incident summary: inc-142-checkout-502", "oom-killed", "pending-insufficient-resources"],
    ),
    ("the catalog site", [f"{BUILT_IN_ENTRIES} entries written to"]),
    (
        "your own entry",
        [
            f"catalog check: {BUILT_IN_ENTRIES} entries, no problems",
            "Our OOMKilled runbook\n  [oom-killed]",
        ],
    ),
]


def first_ten_minutes() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## First ten minutes\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^( *)```sh\n(.*?)^\1```", section, flags=re.DOTALL | re.MULTILINE)
    return [textwrap.dedent(body) for _, body in blocks]


def fresh_checkout(where: Path) -> None:
    """What the blocks read from a clone, and the venv the README's first command made."""
    shutil.copytree(ROOT / "examples", where / "examples")
    shutil.copytree(ROOT / "intents" / "catalog", where / "intents" / "catalog")
    assert (Path(sys.prefix) / "bin" / "kubemedic").exists(), (
        "run the tests from the venv kubemedic is installed in"
    )
    (where / ".venv").symlink_to(sys.prefix)


def test_the_blocks_are_the_ones_this_test_knows() -> None:
    blocks = first_ten_minutes()
    assert blocks[0] == ". .venv/bin/activate\n"
    assert len(blocks) == 1 + len(EXPECTED), "a block was added or removed: say here what it prints"


@pytest.mark.parametrize(
    ("index", "expected"),
    [(i + 1, e) for i, (_, e) in enumerate(EXPECTED)],
    ids=[name for name, _ in EXPECTED],
)
def test_each_block_runs_as_written(tmp_path: Path, index: int, expected: list[str]) -> None:
    blocks = first_ten_minutes()
    fresh_checkout(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": os.environ.get("LANG", "C.UTF-8")}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", blocks[0] + blocks[index]],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout, (text, result.stdout[-2000:])
    if "catalog site" in blocks[index]:
        assert (tmp_path / "catalog-site" / "index.html").is_file()
        assert (tmp_path / "catalog-site" / "entries" / "oom-killed.html").is_file()
