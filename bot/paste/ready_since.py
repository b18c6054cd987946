"""Probe failures a pod got past: it runs, every container ready, none ever restarted.

An app that is slow to start fails its first liveness and readiness probes,
and the kubelet writes an Unhealthy event for each.  When the paste also
shows the pod Running with every container ready and no restart, it got past
them: liveness never reached its failure threshold (it would have restarted
the container) and readiness succeeds now.  Those failures are history,
neither a fact nor a line for the matcher.  A probe failing again and again
(seen FLAPPING_COUNT times or more) on a ready pod is still trouble: the pod
flaps between ready and not.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.evidence.facts import EventFacts

FLAPPING_COUNT = 3
"""The kubelet's default failureThreshold: a probe failing this often has acted on the pod."""
_PROBES = ("Liveness probe failed", "Readiness probe failed", "Startup probe failed",
           "Liveness probe errored", "Readiness probe errored", "Startup probe errored")


def warming_up(event: EventFacts) -> bool:
    """A probe failure seen fewer times than a probe's default failure threshold."""
    return (event.reason == "Unhealthy" and event.message.lstrip().startswith(_PROBES)
            and event.count < FLAPPING_COUNT)


def resolved(events: Sequence[EventFacts]) -> set[int]:
    """Indexes of the probe failures of a pod shown steady (the caller knows it is)."""
    return {at for at, event in enumerate(events) if warming_up(event)}


def steady(phase: str | None, ready: Sequence[str | None], restarts: Sequence[str | None]) -> bool:
    """Running, every (app) container `Ready: True`, each `Restart Count: 0`."""
    return (phase == "Running" and bool(ready) and all(value == "True" for value in ready)
            and all(value == "0" for value in restarts))
