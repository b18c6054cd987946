"""What a Service's spec says about the ports it targets, and how many addresses its Endpoints
hold (pure: read by the cluster collector and by the paste reader, which must not import the
cluster client's modules)."""

from __future__ import annotations

from typing import Any


def port_targets(service: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(targetPort as written, protocol) of each port; targetPort defaults to the port."""
    return tuple(
        (str(port.get("targetPort", port.get("port", ""))), str(port.get("protocol") or "TCP"))
        for port in (service.get("spec") or {}).get("ports") or []
    )


def count_addresses(endpoints: dict[str, Any]) -> tuple[int, int]:
    """(ready, not ready) addresses over all subsets of an Endpoints object."""
    subsets = endpoints.get("subsets") or []
    ready = sum(len(s.get("addresses") or []) for s in subsets)
    return ready, sum(len(s.get("notReadyAddresses") or []) for s in subsets)
