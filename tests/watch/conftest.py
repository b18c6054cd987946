"""Watch tests: the real gateway (official client over HTTP) against the stand-in's watch streams."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.cluster.gateway import KubeGateway
from bot.cluster.kubeconfig import connect
from bot.settings import Settings
from tests.standins.kube_api import KubeStandIn, running_kube_standin, write_kubeconfig


@asynccontextmanager
async def gateway_to(
    standin: KubeStandIn, tmp_path: Path, *, timeout: float = 5.0
) -> AsyncIterator[KubeGateway]:
    """A gateway for the stand-in, serving on this event loop."""
    async with running_kube_standin(standin) as url:
        kubeconfig = write_kubeconfig(tmp_path / "kubeconfig", {"lab": url})
        reader = connect(
            Settings(KUBECONFIG=str(kubeconfig), KUBEMEDIC_KUBE_REQUEST_TIMEOUT=timeout)
        )
        assert isinstance(reader, KubeGateway)
        try:
            yield reader
        finally:
            reader.close()
