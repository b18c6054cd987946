"""The install tier: docs/install.md run as written, on the real node (.ci/kube-node.sh).

Runs under CI (.ci/run) or with KUBEMEDIC_INSTALL_TEST=1, as root, with the node up
(`eval "$(bash .ci/kube-node.sh)"`), helm on PATH (`export PATH="$(bash .ci/helm.sh):$PATH"`),
kubectl and containerd's `ctr`. Elsewhere it skips saying what is missing; under CI it fails.

- `installer`: the image built and loaded into the node's containerd by the docs' own
  blocks (module-wide: both installs use it), and the clock started before the build.
- `slack`: the Slack stand-in on the host's address on the pod bridge, which the pod reaches.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.ci import in_ci
from tests.install.docs import IMAGE, ROOT, block, build_image, run
from tests.realnode.conftest import admin, node  # noqa: F401 - the fixtures, shared
from tests.realnode.node import RealNode
from tests.slack.harness import BOT_TOKEN, SECRET
from tests.standins.slack_api import SlackStandIn, running_slack_standin
from tests.standins.threaded import ThreadedHost
from tests.tiers import SUMMARY

APP_TOKEN = "xapp-1-kubemedic-install"


def unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI is set but {reason}")
    pytest.skip(f"INSTALL TESTS SKIPPED: {reason}")


@dataclass
class Installer:
    """What the docs' blocks run with: the user's values, and where time went."""

    env: dict[str, str]
    started: float
    """When the image build started (time.monotonic()), or its load when tests/image built it."""
    first: str = "image build"
    figures: list[str] = field(default_factory=list)

    def note(self, what: str, since: float) -> float:
        seconds = time.monotonic() - since
        self.figures.append(f"{what}: {seconds:.1f} s")
        return seconds


@pytest.fixture(scope="module")
def installer(node: RealNode, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installer]:  # noqa: F811
    if not (in_ci() or os.environ.get("KUBEMEDIC_INSTALL_TEST") == "1"):
        pytest.skip(
            "INSTALL TESTS SKIPPED: they run under CI (.ci/run) or with KUBEMEDIC_INSTALL_TEST=1 (as root, "
            'with the node up and helm on PATH: export PATH="$(bash .ci/helm.sh):$PATH")'
        )
    missing = [tool for tool in ("helm", "kubectl", "ctr") if shutil.which(tool) is None]
    if missing or os.geteuid() != 0:
        unavailable(
            f'{", ".join(missing) or "root"} is missing (helm: export PATH="$(bash .ci/helm.sh):$PATH")'
        )
    env = {  # the docs' blocks run `kubemedic keygen` as a reader's install has it on PATH
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "KUBEMEDIC": str(ROOT),
        "IMAGE": IMAGE,
        "KUBECONFIG": str(node.kubeconfig),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": APP_TOKEN,
    }
    found = Installer(env, time.monotonic())
    where = tmp_path_factory.mktemp("image")
    built, now = build_image(
        IMAGE, cwd=where
    )  # once per session: tests/image ran it first under CI
    if built.returncode != 0:
        unavailable(
            f"docs/install.md's 'build' block exited {built.returncode}:\n{built.stderr[-3000:]}"
        )
    if now:
        found.note("the docs' 'build' block", found.started)
    else:  # the clock starts at the load
        found.figures.append("the docs' 'build' block: run by tests/image")
        found.started, found.first = time.monotonic(), "image load"
    step = time.monotonic()
    done = run(block("load"), env=env, cwd=where, timeout=600)
    if done.returncode != 0:
        unavailable(
            f"docs/install.md's 'load' block exited {done.returncode}:\n{done.stderr[-3000:]}"
        )
    found.note("the docs' 'load' block", step)
    (where / "kubemedic.tar").unlink()  # the load block's file: 460 MB
    yield found
    FIGURES.extend(found.figures)


FIGURES: list[str] = []
"""Where the tier's time went, printed at the end of the run (tests/conftest.py prints it)."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """The figures ride on the report of the teardown that wrote them: an xdist worker's own
    terminal summary is never shown."""
    report: pytest.TestReport = yield
    if call.when == "teardown" and FIGURES:
        section = f"{SUMMARY}install tier: where the time went"
        report.user_properties.extend((section, line) for line in FIGURES)
        FIGURES.clear()
    return report


@pytest.fixture
def slack(node: RealNode) -> Iterator[SlackStandIn]:  # noqa: F811
    """The Slack stand-in on the host's bridge address: the bot in the pod posts its answers there."""
    standin = SlackStandIn(bot_token=BOT_TOKEN, app_token=APP_TOKEN)
    host = ThreadedHost(
        lambda: running_slack_standin(standin, host=node.host_ip), name="slack-on-bridge"
    ).start()
    try:
        yield standin
    finally:
        host.stop()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """Where the user runs the docs' commands: a folder of their own, outside the checkout."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder
