"""Evidence tests drive the real `kubernetes` client over HTTP against the API stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.cluster.gateway import KubeGateway
from bot.cluster.kubeconfig import connect
from bot.diagnosis.pod import Judge
from bot.settings import Settings
from intents.matcher import Matcher
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig

T = TypeVar("T")
Live = Callable[..., Any]


@pytest.fixture
def judge(matcher: Matcher) -> Judge:
    return Judge(matcher)


@pytest.fixture
def live(tmp_path: Path) -> Live:
    """`with live(standin, timeout=...) as gateway:` a gateway to a threaded stand-in."""

    @contextmanager
    def start(standin: KubeStandIn, *, timeout: float = 5.0) -> Iterator[KubeGateway]:
        with start_in_thread(standin) as server:
            path = write_kubeconfig(tmp_path / "kubeconfig", {"standin": server.url})
            gateway = connect(
                Settings(KUBECONFIG=str(path), KUBEMEDIC_KUBE_REQUEST_TIMEOUT=timeout)
            )
            try:
                yield gateway
            finally:
                gateway.close()

    return start


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)
