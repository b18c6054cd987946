"""A TCP load balancer on loopback standing in for a Kubernetes Service in front of hub replicas.

Each connection goes to the next backend in turn; a backend that refuses (a killed replica)
is skipped, as kube-proxy stops sending to a pod whose endpoint left. With `ready_path`, each
backend's readiness is polled (`GET ready_path`, every `poll_seconds`) and one that does not
answer 200 gets no new connection while another one does, as a Service takes a pod that fails
its readiness probe (or is terminating) out of its endpoints; with none ready, every backend is
tried. Bytes are copied both ways until either side closes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import count

from tests.standins.threaded import ThreadedHost


class Balancer:
    """Round-robin over `backends` ((host, port) pairs), skipping those that refuse or are not ready."""

    def __init__(
        self,
        backends: list[tuple[str, int]],
        *,
        ready_path: str | None = None,
        poll_seconds: float = 0.2,
    ) -> None:
        self.backends = backends
        self.ready_path = ready_path
        self.poll_seconds = poll_seconds
        self.ready: dict[tuple[str, int], bool] = dict.fromkeys(backends, True)
        self.connections: dict[tuple[str, int], int] = dict.fromkeys(backends, 0)
        """TCP connections handed to each backend so far."""
        self._turn = count()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(ConnectionError, OSError):
            writer.close()

    def _order(self) -> list[tuple[str, int]]:
        start = next(self._turn)
        turn = [
            self.backends[(start + step) % len(self.backends)] for step in range(len(self.backends))
        ]
        ready = [backend for backend in turn if self.ready.get(backend, True)]
        return ready or turn

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for host, port in self._order():
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(host, port)
            except OSError:
                continue
            self.connections[(host, port)] = self.connections.get((host, port), 0) + 1
            await asyncio.gather(
                self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
            )
            return
        writer.close()

    async def _probe(self, host: str, port: int) -> bool:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 2)
        except (OSError, TimeoutError):
            return False
        try:
            writer.write(f"GET {self.ready_path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
            status = await asyncio.wait_for(reader.readline(), 2)
            return status.split(b" ")[1:2] == [b"200"]
        except (OSError, TimeoutError):
            return False
        finally:
            writer.close()

    async def _polling(self) -> None:
        while True:
            results = await asyncio.gather(*(self._probe(*backend) for backend in self.backends))
            self.ready = dict(zip(self.backends, results, strict=True))
            await asyncio.sleep(self.poll_seconds)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[str]:
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        polling = (
            asyncio.get_running_loop().create_task(self._polling()) if self.ready_path else None
        )
        try:
            async with server:
                yield f"http://127.0.0.1:{port}"
        finally:
            if polling is not None:
                polling.cancel()


def start_in_thread(balancer: Balancer) -> ThreadedHost:
    return ThreadedHost(balancer.running, name="tcp-balancer").start()
