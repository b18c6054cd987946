"""The placeholder image is refused by Kustomize as it is by Helm: `kubectl kustomize deploy/` (the
folder a reader finds first) stops with a line that says what to set, and an overlay that sets the
image renders it."""

from __future__ import annotations

import subprocess

from tests.deploy.kustomize import DEPLOY, KUBECTL, bot_container, needs_kubectl, render_own

PLACEHOLDER = "registry.example.com/kubemedic:0.1.0"


@needs_kubectl
def test_deploy_itself_stops_and_says_to_set_the_image() -> None:
    for command in (["kustomize", str(DEPLOY)], ["apply", "--dry-run=client", "-k", str(DEPLOY)]):
        done = subprocess.run(
            [str(KUBECTL), *command], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode != 0 and PLACEHOLDER not in done.stdout, command
        assert (
            "kubemedic: deploy/ is not applied as it is, it has no image. Build one (docs/install.md "
            "step 1), then apply your own overlay of deploy/base with an images entry"
            in done.stderr
        ), done.stderr


@needs_kubectl
def test_an_overlay_that_sets_the_image_renders_it() -> None:
    docs = render_own(
        "resources: [{deploy}/base]\n"
        "images: [{name: registry.example.com/kubemedic, newName: localhost/kubemedic, newTag: '1.2'}]\n"
    )
    assert bot_container(docs)["image"] == "localhost/kubemedic:1.2"
