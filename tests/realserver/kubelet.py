"""A kubelet stand-in serving only container logs, so the API server's real log proxy works.

`GET pods/NAME/log` makes kube-apiserver look up the pod's node, dial the
node's InternalIP at its reported kubelet port over TLS (verified with
--kubelet-certificate-authority) and proxy `/containerLogs/NS/POD/CONTAINER`.
Nodes created by the tests report 127.0.0.1 and this server's port, and it
serves the script's serving certificate, which the API server trusts for
kubelets. Only the log endpoint exists: nothing else of a kubelet is faked.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

LogKey = tuple[str, str, str, bool]
"""(namespace, pod, container, previous)"""


@dataclass
class KubeletLogs:
    """The logs the kubelet stand-in serves, and the requests it answered."""

    port: int = 0
    logs: dict[LogKey, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def set_log(
        self, namespace: str, pod: str, container: str, text: str, *, previous: bool = False
    ) -> None:
        self.logs[(namespace, pod, container, previous)] = text

    def answer(self, path: str) -> tuple[int, str]:
        self.requests.append(path)
        url = urlparse(path)
        parts = [unquote(p) for p in url.path.strip("/").split("/")]
        if len(parts) != 4 or parts[0] != "containerLogs":
            return 404, "404 page not found"
        _, namespace, pod, container = parts
        query = parse_qs(url.query)
        previous = query.get("previous", ["false"])[0] == "true"
        text = self.logs.get((namespace, pod, container, previous))
        if text is None:
            which = "previous terminated container" if previous else "container"
            return 400, f'{which} "{container}" in pod "{pod}" not found'
        tail = query.get("tailLines")
        if tail:
            lines = text.splitlines(keepends=True)
            text = "".join(lines[-int(tail[0]) :]) if int(tail[0]) > 0 else ""
        limit = query.get("limitBytes")
        return 200, text[: int(limit[0])] if limit else text


def _handler(logs: KubeletLogs) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, text = logs.answer(self.path)
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def running_kubelet(cert: Path, key: Path) -> Iterator[KubeletLogs]:
    """The log-serving kubelet stand-in on 127.0.0.1 (TLS with `cert`), in a thread."""
    logs = KubeletLogs()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(logs))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    logs.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="kubelet-logs", daemon=True)
    thread.start()
    try:
        yield logs
    finally:
        server.shutdown()
        server.server_close()
