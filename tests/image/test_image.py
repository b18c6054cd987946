"""deploy/Dockerfile, built for real (buildah, no daemon: .ci/image.sh) and run as Kubernetes
runs it: read-only root, uid 10001, only /tmp, the cache and the database directory writable.

Slow tier (marker `slow`): runs under CI (CI set; .ci/run sets it) or with
KUBEMEDIC_IMAGE_TEST=1. Under CI an image that cannot be built fails the test; elsewhere it
skips saying why."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ci import in_ci
from tests.install.docs import IMAGE, build_image
from tests.standins.bot_process import free_port
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as start_slack
from tests.standins.slack_requests import SlackRequests, post_sync
from tests.waiting import PATIENCE

# The first test builds the image in its module fixture (a cold build takes about 4 minutes on
# 2 cores, bounded by .ci/image.sh's own 1800 s limit), so the suite's 120 s hang guard is
# raised here; every podman call has its own timeout.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2100)]

SECRET = "image-test-signing-secret-0001"
BOT_TOKEN = "xoxb-kubemedic-image"
UID = 10001
#: the Deployment's emptyDir/claim volumes; everything else is the read-only image
VOLUMES = {"tmp": "/tmp", "cache": "/var/cache/kubemedic", "data": "/var/lib/kubemedic"}
DATA = VOLUMES["data"]


@dataclass
class Image:
    tag: str
    env: dict[str, str]

    def podman(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["podman", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.env,
            check=False,
        )

    def run_args(self, data: Path) -> list[str]:
        """`podman run` as the Deployment runs the pod: read-only root, the image's user, no
        capabilities, and each volume a host folder the pod's user owns, as the kubelet makes an
        emptyDir (fsGroup 10001); host network, since the stand-ins listen on loopback."""
        volumes = [f"--volume={data.parent / name}:{path}:rw" for name, path in VOLUMES.items()]
        return [
            "run",
            "--rm",
            "--read-only",
            "--read-only-tmpfs=false",
            *volumes,
            "--network=host",
            "--cap-drop=ALL",
            "--security-opt=no-new-privileges",
            self.tag,
        ]


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Image:
    if not (in_ci() or os.environ.get("KUBEMEDIC_IMAGE_TEST") == "1"):
        pytest.skip(
            "IMAGE NOT BUILT: the image test runs under CI (.ci/run) or with KUBEMEDIC_IMAGE_TEST=1 "
            "(as root; .ci/image.sh installs buildah, podman and mmdebstrap with apt)"
        )
    started = time.monotonic()
    done, _ = build_image(
        IMAGE, cwd=tmp_path_factory.mktemp("build")
    )  # docs/install.md's build block
    if done.returncode != 0:
        reason = f"IMAGE NOT BUILT: .ci/image.sh exited {done.returncode}:\n{done.stderr[-3000:]}"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    env = dict(os.environ)
    for line in done.stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value
    print(f"image built in {time.monotonic() - started:.0f} s")
    return Image(env["KUBEMEDIC_TEST_IMAGE"], env)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The pod's volumes as host folders its user owns; returns the database one."""
    for name in VOLUMES:
        (tmp_path / name).mkdir()
        os.chown(tmp_path / name, UID, UID)
    return tmp_path / "data"


def test_the_image_runs_as_10001_with_the_dockerfile_s_entrypoint(image: Image) -> None:
    [config] = json.loads(image.podman("image", "inspect", image.tag).stdout)
    assert config["Config"]["User"] == f"{UID}:{UID}"
    assert config["Config"]["Entrypoint"] == ["kubemedic"] and config["Config"]["Cmd"] == ["serve"]
    assert "3000/tcp" in config["Config"]["ExposedPorts"]


def test_version_on_a_read_only_root(image: Image, data: Path) -> None:
    done = image.podman(*image.run_args(data), "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "kubemedic 0.1.0"


def test_nothing_but_the_mounted_paths_is_writable(image: Image, data: Path) -> None:
    script = (
        "id -u; touch /opt/kubemedic/x 2>/dev/null && echo venv-writable; "
        "touch /etc/x 2>/dev/null && echo etc-writable; "
        f"touch /tmp/x /var/cache/kubemedic/x {DATA}/x && echo mounts-writable"
    )
    args = image.run_args(data)
    done = image.podman(*args[:-1], "--entrypoint=sh", args[-1], "-c", script)
    assert done.stdout.split() == [str(UID), "mounts-writable"], done.stderr
    assert (data / "x").stat().st_uid == UID


@pytest.fixture
def served(image: Image, data: Path) -> Iterator[tuple[str, SlackStandIn]]:
    """`kubemedic serve --http` in the container, its Web API pointed at a Slack stand-in."""
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    port = free_port()
    name = f"kubemedic-image-test-{port}"
    with start_slack(slack) as server:
        settings = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": server.api_url,
            "PORT": str(port),
            "KUBEMEDIC_LOG_FORMAT": "text",
        }
        args = image.run_args(data)
        command = [
            "podman",
            *args[:-1],
            f"--name={name}",
            *(f"--env={k}={v}" for k, v in settings.items()),
            args[-1],
            "serve",
            "--http",
        ]
        process = subprocess.Popen(
            command, env=image.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process)
            yield url, slack
        finally:
            image.podman("stop", "--time=20", name, timeout=60)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_healthy(url: str, process: subprocess.Popen[str], timeout: float = PATIENCE) -> None:
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the container exited with {process.returncode}:\n{process.stdout.read()}"
            )  # type: ignore[union-attr]
        try:
            with opener.open(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"/healthz did not answer within {timeout} s")


def test_serve_http_answers_probes_and_slack_with_the_database_on_the_volume(
    served: tuple[str, SlackStandIn], data: Path
) -> None:
    url, slack = served
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for probe in ("/healthz", "/readyz"):
        with opener.open(f"{url}{probe}", timeout=5) as response:
            assert response.status == 200, probe
    database = data / "kubemedic.db"
    assert database.is_file() and database.stat().st_uid == UID
    # a signed slash command, answered by the bolt app inside the image
    request = SlackRequests(SECRET, standin=slack).slash_command("help")
    status, body = post_sync(f"{url}/slack/events", request.body, request.headers)
    assert status == 200 and "/diagnose pod" in body
