"""The node's cluster DNS: Service names to ClusterIPs, read from the API server, nothing forwarded.

    python3 .ci/cluster_dns.py serve --listen ADDR --api URL --ca FILE --token-file FILE
    python3 .ci/cluster_dns.py query NAME --server ADDR     # prints the addresses, exit 1 if none

Pods on the real node resolve `<service>.<namespace>.svc.cluster.local` (and, through their
search path, `<service>` and `<service>.<namespace>`) the way CoreDNS's kubernetes plugin
answers them: a ClusterIP Service's address, a headless Service's ready endpoint addresses.
It lists and then watches every Service (as CoreDNS's informer does): an answer never waits
for the API server, and a Service deleted or renamed is gone from the answers as soon as the
watch says so. Every other name gets NXDOMAIN, as a cluster whose upstream knows no
such name answers; nothing is forwarded, so no query leaves the machine. UDP only (the answers
are small). Standard library only: the node script runs it with the system python3.
"""

from __future__ import annotations

import argparse
import json
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ZONE = ("svc", "cluster", "local")
TTL = 5
TYPE_A, CLASS_IN = 1, 1
NOERROR, SERVFAIL, NXDOMAIN, NOTIMP = 0, 2, 3, 4


def key(service: dict[str, Any]) -> tuple[str, str]:
    return service["metadata"]["namespace"], service["metadata"]["name"]


def cluster_ip(service: dict[str, Any]) -> str:
    return str(service.get("spec", {}).get("clusterIP") or "None")


class Lookup(Exception):
    """The API server could not be read (the answer is SERVFAIL, never a guess)."""


def parse_question(packet: bytes) -> tuple[int, int, list[str], int, int]:
    """(id, flags, labels, qtype, end offset) of the first question; ValueError when malformed."""
    if len(packet) < 12:
        raise ValueError("short packet")
    query_id, flags, qdcount = struct.unpack("!HHH", packet[:6])
    if qdcount < 1:
        raise ValueError("no question")
    labels, offset = [], 12
    while True:
        length = packet[offset]
        offset += 1
        if length == 0:
            break
        if length > 63:  # a compression pointer has no place in a question
            raise ValueError("bad label")
        labels.append(packet[offset : offset + length].decode("ascii", "replace").lower())
        offset += length
    qtype, _qclass = struct.unpack("!HH", packet[offset : offset + 4])
    return query_id, flags, labels, qtype, offset + 4


def answer(packet: bytes, addresses: list[str] | None, rcode: int) -> bytes:
    """The response to `packet`: its question, then one A record per address."""
    query_id, flags, _labels, qtype, end = parse_question(packet)
    records = [
        struct.pack("!HHHIH", 0xC00C, TYPE_A, CLASS_IN, TTL, 4) + socket.inet_aton(a)
        for a in (addresses or [])
        if qtype == TYPE_A
    ]
    out_flags = 0x8400 | (flags & 0x0100) | rcode  # QR, AA, the client's RD
    header = struct.pack("!HHHHHH", query_id, out_flags, 1, len(records), 0, 0)
    return header + packet[12:end] + b"".join(records)


class Cluster:
    """Every Service's ClusterIP, kept current by a list and then a watch of the API server (as
    CoreDNS's informer does), so an answer never waits for the API server; a headless
    Service's endpoints are read when asked."""

    def __init__(self, api: str, ca: Path, token_file: Path) -> None:
        self.api = api.rstrip("/")
        self.context = ssl.create_default_context(cafile=str(ca))
        self.token = token_file.read_text().strip()
        self.services: dict[tuple[str, str], str] = {}
        """(namespace, name) -> ClusterIP ("None" for a headless Service)."""
        self.synced = threading.Event()
        self.lock = threading.Lock()

    def open(self, path: str, timeout: float) -> Any:
        request = urllib.request.Request(
            self.api + path, headers={"Authorization": f"Bearer {self.token}"}
        )
        return urllib.request.urlopen(request, timeout=timeout, context=self.context)

    def get(self, path: str) -> dict[str, Any] | None:
        try:
            with self.open(path, timeout=2) as reply:
                found: dict[str, Any] = json.load(reply)
                return found
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise Lookup(f"{path}: HTTP {exc.code}") from exc
        except (OSError, ValueError) as exc:
            raise Lookup(f"{path}: {exc}") from exc

    def follow(self) -> None:
        """List, then watch from the list's resourceVersion; list again whenever the watch
        ends or fails (410 Gone included). Runs for ever, in its own thread."""
        while True:
            try:
                with self.open("/api/v1/services", timeout=10) as reply:
                    listed = json.load(reply)
                with self.lock:
                    self.services = {key(item): cluster_ip(item) for item in listed["items"]}
                self.synced.set()
                version = listed["metadata"]["resourceVersion"]
                path = f"/api/v1/services?watch=1&resourceVersion={version}&timeoutSeconds=240"
                with self.open(path, timeout=300) as stream:
                    for line in stream:
                        change = json.loads(line)
                        if change["type"] == "ERROR":
                            break
                        with self.lock:
                            if change["type"] == "DELETED":
                                self.services.pop(key(change["object"]), None)
                            else:
                                self.services[key(change["object"])] = cluster_ip(change["object"])
            except (OSError, ValueError, KeyError) as exc:
                print(f"cluster-dns: watching Services: {exc}", file=sys.stderr, flush=True)
                time.sleep(1)

    def addresses(self, service: str, namespace: str) -> list[str] | None:
        """The Service's ClusterIP, or a headless Service's ready endpoint addresses; None when
        there is no such Service."""
        if not self.synced.is_set():
            raise Lookup("Services not listed yet")
        with self.lock:
            found = self.services.get((namespace, service))
        if found is None or found != "None":
            return None if found is None else [found]
        endpoints = self.get(f"/api/v1/namespaces/{namespace}/endpoints/{service}") or {}
        return [
            str(a["ip"]) for s in endpoints.get("subsets") or [] for a in s.get("addresses") or []
        ]

    def resolve(self, labels: list[str]) -> tuple[list[str] | None, int]:
        """(addresses, rcode) for a query name: NXDOMAIN for anything but a Service's name."""
        if len(labels) != 2 + len(ZONE) or tuple(labels[2:]) != ZONE:
            return None, NXDOMAIN
        found = self.addresses(labels[0], labels[1])
        return (found, NOERROR) if found is not None else (None, NXDOMAIN)


class Handler(socketserver.BaseRequestHandler):
    server: Server

    def handle(self) -> None:
        packet, sock = self.request
        try:
            _id, flags, labels, _qtype, _end = parse_question(packet)
        except (ValueError, IndexError, struct.error):
            return  # not a query we can even answer with an error
        if flags & 0x7800:  # an opcode other than QUERY
            addresses, rcode = None, NOTIMP
        else:
            try:
                addresses, rcode = self.server.cluster.resolve(labels)
            except Lookup as exc:
                print(f"cluster-dns: {'.'.join(labels)}: {exc}", file=sys.stderr, flush=True)
                addresses, rcode = None, SERVFAIL
        sock.sendto(answer(packet, addresses, rcode), self.client_address)


class Server(socketserver.ThreadingUDPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], cluster: Cluster) -> None:
        super().__init__(address, Handler)
        self.cluster = cluster


def query(name: str, server: str, port: int) -> list[str]:
    """Ask `server` for NAME's A records (the node script's start-up check)."""
    labels = [part.encode() for part in name.rstrip(".").split(".")]
    question = b"".join(bytes([len(p)]) + p for p in labels) + b"\0" + struct.pack("!HH", TYPE_A, 1)
    packet = struct.pack("!HHHHHH", 0x4B4D, 0x0100, 1, 0, 0, 0) + question
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.sendto(packet, (server, port))
        reply = sock.recv(512)
    count = struct.unpack("!H", reply[6:8])[0]
    records = reply[12 + len(question) :]
    return [socket.inet_ntoa(records[i * 16 + 12 : i * 16 + 16]) for i in range(count)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cluster_dns.py")
    verbs = parser.add_subparsers(dest="verb", required=True)
    serve = verbs.add_parser("serve")
    serve.add_argument("--listen", required=True)
    serve.add_argument("--port", type=int, default=53)
    serve.add_argument("--api", required=True)
    serve.add_argument("--ca", type=Path, required=True)
    serve.add_argument("--token-file", type=Path, required=True)
    ask = verbs.add_parser("query")
    ask.add_argument("name")
    ask.add_argument("--server", required=True)
    ask.add_argument("--port", type=int, default=53)
    args = parser.parse_args(argv)
    if args.verb == "query":
        found = query(args.name, args.server, args.port)
        print(" ".join(found))
        return 0 if found else 1
    cluster = Cluster(args.api, args.ca, args.token_file)
    threading.Thread(target=cluster.follow, name="watch", daemon=True).start()
    with Server((args.listen, args.port), cluster) as server:
        print(f"cluster-dns: answering on {args.listen}:{args.port}", file=sys.stderr, flush=True)
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
