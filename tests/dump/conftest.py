"""Dumps to read: the committed example, the same cluster written with `-o yaml`,
and tiny hand-written dumps for the edge cases kubectl can produce."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dump"
GENERATOR = ROOT / "examples" / "make_example_dump.py"


def generate(directory: Path, fmt: str = "json") -> None:
    """Run the example generator as a user would."""
    subprocess.run(
        [sys.executable, str(GENERATOR), "--output", str(directory), "--format", fmt],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def yaml_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("yaml") / "dump"
    generate(directory, "yaml")
    return directory


@pytest.fixture(params=["json", "yaml"])
def any_dump(request: pytest.FixtureRequest, yaml_dump: Path) -> Path:
    """The example cluster in both formats kubectl writes."""
    return EXAMPLE if request.param == "json" else yaml_dump


MakeDump = Callable[..., Path]


@pytest.fixture
def make_dump(tmp_path: Path) -> MakeDump:
    """Write a minimal dump: nodes.json, `files` ({relative path: text or JSON object})."""

    def make(files: dict[str, object] | None = None, *, nodes: bool = True) -> Path:
        root = tmp_path / "dump"
        root.mkdir(exist_ok=True)
        if nodes:
            (root / "nodes.json").write_text(
                json.dumps({"kind": "NodeList", "apiVersion": "v1", "metadata": {}, "items": []})
            )
        for rel, content in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content if isinstance(content, str) else json.dumps(content))
        return root

    return make
