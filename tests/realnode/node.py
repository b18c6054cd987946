"""The single-node cluster started by .ci/kube-node.sh: where it is, and how to stop its kubelet."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.realserver.server import RealServer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".ci" / "kube-node.sh"
KUBECONFIG_ENV = "KUBEMEDIC_TEST_NODE_KUBECONFIG"
START_HINT = f'eval "$(bash {SCRIPT.relative_to(ROOT)})"'


@dataclass(frozen=True)
class RealNode:
    """A running node: the admin kubeconfig, state directory, images and registry stub."""

    kubeconfig: Path
    state: Path
    image: str
    """A busybox image present on the node (pull policy IfNotPresent never pulls it)."""
    shop_image: str
    """The shop's image (busybox with .ci/shop-service.sh as its entrypoint), present too."""
    cascade_image: str
    """The cascade app's image (busybox with .ci/cascade's binary as its entrypoint)."""
    market_image: str
    """The market app's image (busybox with .ci/market's binary as its entrypoint)."""
    registry: str
    """host:port of the registry stub: 404 for any tag, 401 for repositories under private/."""
    name: str
    host_ip: str
    """The host's address on the pod bridge: pods reach servers a test starts there."""

    @classmethod
    def from_env(cls) -> RealNode | None:
        path = os.environ.get(KUBECONFIG_ENV, "")
        if not path or not Path(path).is_file():
            return None
        return cls(
            Path(path),
            Path(os.environ.get("KUBEMEDIC_TEST_NODE_DIR") or Path(path).parent),
            os.environ.get("KUBEMEDIC_TEST_NODE_IMAGE", "localhost/kubemedic/busybox:1.35.0"),
            os.environ.get("KUBEMEDIC_TEST_NODE_SHOP_IMAGE", "localhost/kubemedic/shop:1.0.0"),
            os.environ.get(
                "KUBEMEDIC_TEST_NODE_CASCADE_IMAGE", "localhost/kubemedic/cascade:1.0.0"
            ),
            os.environ.get("KUBEMEDIC_TEST_NODE_MARKET_IMAGE", "localhost/kubemedic/market:1.0.0"),
            os.environ.get("KUBEMEDIC_TEST_NODE_REGISTRY", ""),
            os.environ.get("KUBEMEDIC_TEST_NODE_NAME", "vm"),
            os.environ.get("KUBEMEDIC_TEST_NODE_HOST_IP", "10.88.0.1"),
        )

    @property
    def server(self) -> RealServer:
        """The node's API server, with the helpers of the real-server tier (tokens, audit)."""
        return RealServer(self.kubeconfig, self.state)

    def script(self, command: str, *, timeout: float = 180.0) -> float:
        """Run `.ci/kube-node.sh COMMAND` on this node; seconds it took."""
        started = time.monotonic()
        env = {**os.environ, "KUBEMEDIC_NODE_DIR": str(self.state)}
        done = subprocess.run(
            ["bash", str(SCRIPT), command],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return time.monotonic() - started
