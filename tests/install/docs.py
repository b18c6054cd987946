"""docs/install.md's own commands, as the install tier runs them.

A block the tier runs is marked in the page by the comment line
`<!-- tests/install runs this block: NAME -->` right above its ```sh fence. The
tier runs it as written, with the values a user sets first (`$KUBEMEDIC`,
`$IMAGE`, the Slack tokens) in its environment, and with the lines a user
uncomments for their cluster uncommented, as they would: nothing else changes.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the lines a user without a StorageClass, in HTTP mode, behind a Slack gateway uncomments
KUSTOMIZE_CHOICES = (
    "- $DEPLOY/components/http",
    "- $DEPLOY/components/no-persistence",
    "- SLACK_API_URL=",
)
HELM_CHOICES = ("slack: {mode: http}", "persistence: {enabled: false}", "settings: {SLACK_API_URL:")
#: the Mattermost install's: no StorageClass on the node
MATTERMOST_CHOICES = ("persistence: {enabled: false}",)
EXAMPLE_MATTERMOST = "https://chat.example.com"
"""The Mattermost server the docs show (the tier puts its Mattermost stand-in's there)."""
IMAGE = "localhost/kubemedic:test"
"""The image the docs' blocks build and load here (.ci/image.sh's default tag; tests/image runs it)."""
EXAMPLE_GATEWAY = "https://slack-gateway.example/api/"
"""The gateway URL the docs show (the tier puts the Slack stand-in's there)."""
PAGE = ROOT / "docs" / "install.md"
MARK = re.compile(
    r"^<!-- tests/install runs this block: (?P<name>[\w-]+) -->\n```sh\n(?P<body>.*?)\n```",
    flags=re.DOTALL | re.MULTILINE,
)


def blocks() -> dict[str, str]:
    """Every marked block of docs/install.md by name."""
    return {m.group("name"): m.group("body") for m in MARK.finditer(PAGE.read_text())}


def block(
    name: str, *, uncomment: tuple[str, ...] = (), replace: dict[str, str] | None = None
) -> str:
    """The block NAME with each line that reads `# TEXT...` (TEXT one of `uncomment`) made `TEXT...`,
    and each `replace` key (a placeholder the docs show, e.g. the gateway URL) replaced."""
    text = blocks()[name]
    for wanted in uncomment:
        pattern = re.compile(rf"^(\s*)# ({re.escape(wanted)})", flags=re.MULTILINE)
        text, count = pattern.subn(r"\1\2", text)
        assert count == 1, f"docs/install.md block {name!r} has no commented line `# {wanted}`"
    for old, new in (replace or {}).items():
        assert old in text, f"docs/install.md block {name!r} does not show {old!r}"
        text = text.replace(old, new)
    return text


def run(
    script: str, *, env: dict[str, str], cwd: Path, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """The block under `bash -e` (a failing command stops it, as a reader would stop)."""
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


_BUILT: dict[str, subprocess.CompletedProcess[str]] = {}


def build_image(image: str, *, cwd: Path) -> tuple[subprocess.CompletedProcess[str], bool]:
    """The docs' `build` block for IMAGE (daemonless, .ci/image.sh), run once per test session:
    tests/image and tests/install share the build. Returns its result and whether it ran now."""
    if image in _BUILT:
        return _BUILT[image], False
    done = run(block("build"), env={"KUBEMEDIC": str(ROOT), "IMAGE": image}, cwd=cwd, timeout=1800)
    if done.returncode == 0:
        _BUILT[image] = done
    return done, True
