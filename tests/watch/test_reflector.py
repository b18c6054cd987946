"""List then watch, through the real client: resume from the last version after a dropped
connection, list again after 410 Gone, back off while the server is down."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.cluster.errors import Expired, Unreachable
from bot.cluster.watching import Backoff, Reflector, WatchTarget
from tests.standins import kube_objects as ko
from tests.standins.kube_api import KubeStandIn
from tests.waiting import PATIENCE, until
from tests.watch.conftest import gateway_to


class Seen:
    """What the reflector told its consumer."""

    def __init__(self) -> None:
        self.lists: list[list[str]] = []
        self.events: list[tuple[str, str]] = []
        self.arrived = asyncio.Event()

    async def on_list(self, items: list[dict[str, Any]]) -> None:
        self.lists.append(sorted(item["metadata"]["name"] for item in items))
        self.arrived.set()

    async def on_event(self, kind: str, obj: dict[str, Any]) -> None:
        self.events.append((kind, obj["metadata"]["name"]))
        self.arrived.set()

    async def until(self, check: Callable[[], bool], timeout: float = PATIENCE) -> None:
        async with asyncio.timeout(timeout):
            while not check():
                self.arrived.clear()
                await self.arrived.wait()


def started(reflector: Reflector) -> asyncio.Task[None]:
    return asyncio.get_running_loop().create_task(reflector.run())


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_changes_arrive_in_order_after_the_list(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    kube.add(ko.running_ready_pod(name="old", namespace="shop"))
    async with gateway_to(kube, tmp_path) as gateway:
        seen = Seen()
        reflector = Reflector(
            gateway, WatchTarget("pods", "shop"), on_list=seen.on_list, on_event=seen.on_event
        )
        task = started(reflector)
        await seen.until(lambda: bool(seen.lists))
        kube.add(ko.running_ready_pod(name="new", namespace="shop"))
        kube.add(ko.running_ready_pod(name="elsewhere", namespace="blog"))  # not watched
        kube.add(ko.pod(name="new", namespace="shop", phase="Failed"))
        kube.remove("Pod", "shop", "new")
        await seen.until(lambda: len(seen.events) >= 3)
        await stop(task)
        assert seen.lists == [["old"]]
        assert seen.events == [("ADDED", "new"), ("MODIFIED", "new"), ("DELETED", "new")]
        assert int(reflector.version or 0) == kube.resource_version


async def test_a_dropped_connection_resumes_from_the_last_version_without_listing_again(
    tmp_path: Path,
) -> None:
    kube = KubeStandIn(latency=0.0)
    async with gateway_to(kube, tmp_path) as gateway:
        seen = Seen()
        sleeps: list[float] = []

        async def quick(delay: float) -> None:
            sleeps.append(delay)

        reflector = Reflector(
            gateway,
            WatchTarget("pods", "shop"),
            on_list=seen.on_list,
            on_event=seen.on_event,
            sleep=quick,
        )
        task = started(reflector)
        await seen.until(lambda: bool(seen.lists))
        kube.add(ko.running_ready_pod(name="before", namespace="shop"))
        await seen.until(lambda: ("ADDED", "before") in seen.events)
        await until(lambda: len(kube.watches.streams) == 1, what="the watch stream open")
        assert kube.drop_watches() == 1
        kube.add(ko.running_ready_pod(name="during", namespace="shop"))  # while nobody watches
        kube.add(ko.running_ready_pod(name="after", namespace="shop"))
        await seen.until(lambda: ("ADDED", "after") in seen.events)
        await stop(task)
        assert reflector.stats.lists == 1 and reflector.stats.failures == 1 and len(sleeps) == 1
        assert [name for _, name in seen.events] == [
            "before",
            "during",
            "after",
        ]  # nothing lost, once each


async def test_410_gone_lists_again_and_the_list_shows_what_was_missed(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    kube.add(ko.running_ready_pod(name="a", namespace="shop"))
    async with gateway_to(kube, tmp_path) as gateway:
        seen = Seen()
        reflector = Reflector(
            gateway,
            WatchTarget("pods", "shop"),
            on_list=seen.on_list,
            on_event=seen.on_event,
            sleep=lambda _delay: asyncio.sleep(0),
        )
        task = started(reflector)
        await seen.until(lambda: bool(seen.lists))
        await until(lambda: bool(kube.watches.streams), what="the watch stream open")
        kube.drop_watches()
        kube.remove("Pod", "shop", "a")
        kube.add(ko.running_ready_pod(name="b", namespace="shop"))
        kube.compact()  # the version the watch would resume from is gone
        await seen.until(lambda: len(seen.lists) == 2)
        kube.add(ko.running_ready_pod(name="c", namespace="shop"))
        await seen.until(lambda: ("ADDED", "c") in seen.events)
        await stop(task)
        assert seen.lists == [["a"], ["b"]] and reflector.stats.expired == 1


async def test_bookmarks_move_a_quiet_watch_forward(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    async with gateway_to(kube, tmp_path) as gateway:
        seen = Seen()
        reflector = Reflector(
            gateway, WatchTarget("pods", "shop"), on_list=seen.on_list, on_event=seen.on_event
        )
        task = started(reflector)
        await seen.until(lambda: bool(seen.lists))
        kube.add(
            ko.running_ready_pod(name="elsewhere", namespace="blog")
        )  # moves the version, not shop
        await until(lambda: reflector.stats.bookmarks > 0, what="a bookmark")
        await stop(task)
        assert reflector.version == str(kube.resource_version) and seen.events == []


async def test_the_gateway_reports_410_and_a_cut_stream_as_our_errors(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    kube.add(ko.running_ready_pod(name="a", namespace="shop"))
    async with gateway_to(kube, tmp_path) as gateway:
        kube.compact()
        with pytest.raises(Expired, match="410"):
            async for _ in gateway.watch("pods", "shop", resource_version="1"):
                pass
        events = gateway.watch("pods", "shop", resource_version=str(kube.resource_version))
        waiting = asyncio.ensure_future(events.__anext__())
        await until(lambda: bool(kube.watches.streams), what="the watch stream open")
        kube.drop_watches()
        with pytest.raises(Unreachable):
            await waiting


async def test_while_the_server_is_down_the_watch_backs_off_and_recovers(tmp_path: Path) -> None:
    kube = KubeStandIn(latency=0.0)
    async with gateway_to(kube, tmp_path) as gateway:
        seen = Seen()
        sleeps: list[float] = []

        async def noted(delay: float) -> None:
            sleeps.append(delay)
            await asyncio.sleep(0.01)

        reflector = Reflector(
            gateway,
            WatchTarget("pods", "shop"),
            on_list=seen.on_list,
            on_event=seen.on_event,
            backoff=Backoff(first=0.5, cap=4.0),
            sleep=noted,
        )
        fault = kube.fail("GET", r"/pods", 503, times=6)
        task = started(reflector)
        await seen.until(lambda: bool(seen.lists))
        await stop(task)
        assert fault.hits == 6 and len(sleeps) == 6
        assert sleeps[-1] <= 4.0 and max(sleeps[:2]) <= 1.0  # grows, capped; jittered down to half
