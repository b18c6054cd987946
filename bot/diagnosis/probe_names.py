"""The path and port a pasted probe uses, for the fix that corrects it.

A probe is stated three ways: `kubectl describe pod` prints it (`Readiness: http-get
http://:9090/ready delay=0s ...`, `Liveness: tcp-socket :8080 ...`), the kubelet's event quotes
the URL it called (`Readiness probe failed: Get "http://10.1.2.3:9090/ready": ...`), and a
manifest spells it (`readinessProbe:` / `httpGet:` / `path:` / `port:`). A fix that rewrites the
probe writes its path and the port the container listens on: the one port the container declares
(`Port: 3000/TCP`, `containerPort: 3000`), when it declares exactly one, else the probe's own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

PROBES = ("readiness", "liveness", "startup")
_PORT = r"(?P<port>\d{1,5}|[a-z][-a-z0-9]{0,14})"
_PATH = r"(?P<path>/[A-Za-z0-9._~/-]{0,200})?"
_DESCRIBED = re.compile(
    rf"^\s*(?P<probe>Liveness|Readiness|Startup):\s+(?:http-get\s+https?://[^\s/:]*:{_PORT}{_PATH}"
    rf"|tcp-socket\s+[^\s:]*:{_PORT.replace('port', 'tcp')})\s"
)
_EVENT = re.compile(
    rf"\b(?P<probe>Liveness|Readiness|Startup) probe failed: Get \\?\"?https?://[^\s/\"]+:{_PORT}{_PATH}"
)
MAX_BLOCK_LINES = 12
"""Lines of a manifest's probe block read for its path and port."""
_MANIFEST_PROBE = re.compile(r"^(?P<indent>\s*)(?P<probe>liveness|readiness|startup)Probe:\s*$")
_MANIFEST_FIELD = re.compile(r"^\s*(?P<key>path|port):\s*[\"']?(?P<value>[^\"'\s#]{1,200})")
_DECLARED = re.compile(
    r"^\s*+(?:Ports?:\s++(?P<described>\d{1,5})/TCP|-?\s*+containerPort:\s*+(?P<spec>\d{1,5}))\s*$"
)


def probe_names(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value): each probe's path (`readiness-path`) and the port its fix should use
    (`readiness-port`), from the paste's describe, events or manifest."""
    lines = text.splitlines()
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for probe, key, value in (*_described(lines), *_manifest(lines)):
        found[probe][key].add(value)
    declared = {
        match.group("described") or match.group("spec")
        for line in lines
        if "ort" in line and (match := _DECLARED.match(line))
    }
    for probe, fields in found.items():
        yield from ((f"{probe}-path", path) for path in fields["path"])
        ports = declared if len(declared) == 1 else fields["port"]
        yield from ((f"{probe}-port", port) for port in ports)


def _described(lines: list[str]) -> Iterator[tuple[str, str, str]]:
    for line in lines:
        low = line.lower()
        if not any(probe in low for probe in PROBES):
            continue
        for pattern in (_DESCRIBED, _EVENT):
            match = pattern.search(line)
            if match is None:
                continue
            probe = match.group("probe").lower()
            port = match.group("port") or match.groupdict().get("tcp")
            if port:
                yield probe, "port", port
            if match.groupdict().get("path"):
                yield probe, "path", match.group("path")


def _manifest(lines: list[str]) -> Iterator[tuple[str, str, str]]:
    for at, line in enumerate(lines):
        head = _MANIFEST_PROBE.match(line)
        if head is None:
            continue
        indent = len(head.group("indent"))
        for inner in lines[at + 1 : at + 1 + MAX_BLOCK_LINES]:
            if inner.strip() and len(inner) - len(inner.lstrip()) <= indent:
                break
            field = _MANIFEST_FIELD.match(inner)
            if field is not None:
                yield head.group("probe"), field.group("key"), field.group("value")
