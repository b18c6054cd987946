"""Which questions kubemedic answers right today, per fault: asserted by the tests.

fault -> {command: "cause"} (the culprit and its catalog id first) or {command: "object"}
(the culprit first, another cause). Measured on `main` at 84e0a9fb (docs/benchmarks.md, "Cascade
app on the real node"); a question not listed is scored by `python -m bench.cascade`, not
asserted. When the product answers one more right, add it here: the lists only grow.

Recorded (`--from-outputs`) on `main` at the round's end (issue 73): `diagnose namespace` names
the culprit first on 12 of 17 faults and its cause on 10; `diagnose pod` names it on 5, its cause
on 2. Since issue 80's culprit work (walking down from the object named, a database's clients'
words, the present judging the past): namespace 14 / 11, service 13 / 10, pod 14 / 11. `api-unknown-db-host`, wrong since culprit over victim merged (the missing Service
`postgres` first), is right again: nothing runs as `postgres`, so api's own DB_HOST is the fault.
Issue 80's routes, ConfigMap keys, latency alerts and cluster DNS edge (the `chain` branch): the
three commands 17/17 object first, 15/17 cause first each once merged with culprit's walk down
(only the NetworkPolicy and billing's sidecar port name the culprit with another cause).
"""

from __future__ import annotations

LIVE: dict[str, dict[str, str]] = {
    "cluster-dns-down": {"namespace": "cause"},
}
"""Asked of the live node (tests/realnode/test_upstream_culprits.py)."""
RECORDED: dict[str, dict[str, str]] = {
    "catalog-crash": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-selector": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-target-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-configmap-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-read-only-root": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-network-policy": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-delay": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "db-oom": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "db-read-only": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "db-secret-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "billing-db-credentials": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "billing-db-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "billing-sidecar-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "api-unknown-db-host": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "cluster-dns-down": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "web-route-wrong-backend": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "web-route-missing-backend": {"namespace": "cause", "service": "cause", "pod": "cause"},
}
"""Asked of the recorded folders (tests/cascade/test_recorded.py). `web-route-wrong-backend` and
`web-route-missing-backend` under `pod` were right by accident until the culprit round: web's
pod was called service-target-port-mismatch for a port name `describe` never prints (web serves,
its Service has a ready endpoint); its pod is healthy, and the walk below it names the route once
routes are read."""
DESCRIBED: dict[str, dict[str, str]] = {
    "catalog-crash": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-selector": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-target-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-configmap-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-read-only-root": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-network-policy": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "catalog-delay": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "db-oom": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "db-read-only": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "db-secret-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "billing-db-credentials": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "billing-db-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "billing-sidecar-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "api-unknown-db-host": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "cluster-dns-down": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "web-route-wrong-backend": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "web-route-missing-backend": {"namespace": "cause", "service": "cause", "pod": "cause"},
}
"""Asked of the recorded folders without their `-o yaml` outputs (a ticket with tables,
`describe` and logs only): `bench.cascade recorded --describe`; the lists only grow."""
