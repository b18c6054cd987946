"""A Docker Registry v2 stub on 127.0.0.1 that refuses every pull the way real registries do.

    python3 .ci/registry_stub.py PORTFILE

It listens on a free loopback port (written to PORTFILE once listening) and serves
no image at all: repositories under `private/` answer 401 with a Bearer challenge
whose token endpoint also answers 401 (a private repository without credentials);
every other manifest answers 404 MANIFEST_UNKNOWN (a tag that does not exist).
containerd talks plain HTTP to 127.0.0.1 registries, so the kubelet reports the
same pull errors a real registry causes, without any traffic leaving the machine.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Registry(BaseHTTPRequestHandler):
    server_version = "kubemedic-registry-stub/1"

    def _answer(self, status: int, body: dict[str, object], headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, code: str, message: str, headers: dict[str, str]) -> None:
        self._answer(status, {"errors": [{"code": code, "message": message}]}, headers)

    def do_GET(self) -> None:
        host = self.headers.get("Host", "127.0.0.1")
        path = self.path.split("?", 1)[0]
        if path.startswith("/token"):
            self._error(401, "UNAUTHORIZED", "authentication required", {})
        elif path.startswith("/v2/private/"):
            challenge = f'Bearer realm="http://{host}/token",service="{host}"'
            repository = path[len("/v2/") :].split("/manifests/", 1)[0]
            challenge += f',scope="repository:{repository}:pull"'
            self._error(
                401, "UNAUTHORIZED", "authentication required", {"WWW-Authenticate": challenge}
            )
        elif path.rstrip("/") == "/v2":
            self._answer(200, {}, {})
        else:
            self._error(404, "MANIFEST_UNKNOWN", "manifest unknown", {})

    do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write("registry-stub: " + (format % args) + "\n")


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    port_file = Path(sys.argv[1])
    port_file.write_text(f"{server.server_address[1]}\n")
    server.serve_forever()


if __name__ == "__main__":
    main()
