"""Render deploy/ with `kubectl kustomize` (offline) and pick objects out of the result."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl (with kustomize) is not installed")

#: every kustomization a user may apply, by the name the tests use
TARGETS = {
    "base": DEPLOY,
    "with_remediation": DEPLOY / "overlays" / "remediation",
    "http_postgres": DEPLOY / "overlays" / "http-postgres",
}

Doc = dict[str, Any]


def render(path: Path) -> list[Doc]:
    done = subprocess.run([str(KUBECTL), "kustomize", str(path)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d]


def only(docs: list[Doc], kind: str) -> Doc:
    """The one object of a kind (fails when there are none or several)."""
    found = [d for d in docs if d["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {[d['metadata']['name'] for d in found]}"
    return found[0]


def bot_container(docs: list[Doc]) -> Doc:
    containers = only(docs, "Deployment")["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["kubemedic"]
    return containers[0]
