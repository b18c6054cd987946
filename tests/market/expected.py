"""Which questions kubemedic answers right today on the market app, per fault: asserted by the tests.

fault -> {command: "cause"} (the culprit and its catalog id first) or {command: "object"} (the
culprit first, another cause), as tests/cascade/expected.py. Measured on the recorded folders
(tests/market/recorded/; docs/benchmarks.md, "Market app on the real node"). A question not
listed is scored by `python -m bench.cascade recorded --app market`, not asserted. When the product answers one more right, add it here: the
lists only grow. The labels are the faults' (tests/market/faults.py), never edited to match.
"""

from __future__ import annotations

LIVE: dict[str, dict[str, str]] = {}
"""Asked of the live node (no live market test: the bench scores it live)."""
RECORDED: dict[str, dict[str, str]] = {
    # the callers' ConfigMaps, the gateway's upstream addresses and the symptom URL's route
    # make the graph (issue 80)
    "ingress-backend-renamed": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "ingress-wrong-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "gateway-misroute": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "mysql-read-only": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "inventory-db-credentials": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "orders-db-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "payments-sidecar-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "payments-init-wait": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "storefront-configmap-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "orders-hpa-no-metrics": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "cluster-dns-gone": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "inventory-delay": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "payments-crash": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "orders-oom": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "mysql-secret-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "redis-network-policy": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "inventory-selector": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "orders-target-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
}
"""Asked of the recorded folders (tests/cascade/test_recorded.py)."""
DESCRIBED: dict[str, dict[str, str]] = {
    "ingress-backend-renamed": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "ingress-wrong-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "gateway-misroute": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "mysql-read-only": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "inventory-db-credentials": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "orders-db-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "payments-sidecar-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "payments-init-wait": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "storefront-configmap-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "orders-hpa-no-metrics": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "cluster-dns-gone": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "inventory-delay": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "payments-crash": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "orders-oom": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "mysql-secret-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "redis-network-policy": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "inventory-selector": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "orders-target-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
}
"""Asked of the recorded folders without their `-o yaml` outputs (a ticket with tables,
`describe` and logs only): `bench.cascade recorded --describe`; the lists only grow."""
