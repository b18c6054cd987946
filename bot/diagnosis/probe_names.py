"""The path and port a probe failure's event names, for the fix that corrects it.

The kubelet's event quotes the URL it called (`Readiness probe failed: Get
"http://10.1.2.3:9090/ready": ...`): a message, read here from the text. What a describe or a
manifest prints of the probe (`Readiness: http-get http://:9090/ready ...`, `readinessProbe:`)
and the ports the container declares are fields of the recorded pod (bot.diagnosis.paste_names).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

PROBES = ("readiness", "liveness", "startup")
_PORT = r"(?P<port>\d{1,5}|[a-z][-a-z0-9]{0,14})"
_PATH = r"(?P<path>/[A-Za-z0-9._~/-]{0,200})?"
_EVENT = re.compile(
    rf"\b(?P<probe>Liveness|Readiness|Startup) probe failed: Get \\?\"?https?://[^\s/\"]+:{_PORT}{_PATH}"
)


def probe_names(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value): each failing probe's path (`readiness-path`) and port (`readiness-port`)
    as its event quotes them."""
    for line in text.splitlines():
        low = line.lower()
        if not any(probe in low for probe in PROBES):
            continue
        match = _EVENT.search(line)
        if match is not None:
            probe = match.group("probe").lower()
            yield f"{probe}-port", match.group("port")
            if match.group("path"):
                yield f"{probe}-path", match.group("path")
