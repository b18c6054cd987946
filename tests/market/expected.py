"""Which questions kubemedic answers right today on the market app, per fault: asserted by the tests.

fault -> {command: "cause"} (the culprit and its catalog id first) or {command: "object"} (the
culprit first, another cause), as tests/cascade/expected.py. Measured on the recorded folders
(tests/market/recorded/) on `main` at bd7deba2 (docs/benchmarks.md, "Market app on the real
node"): of 54 questions, one is answered right (recorded `diagnose namespace` puts the failed
nightly backup Job first on all 18). A question not listed is scored by `python -m bench.cascade
recorded --app market`, not asserted. When the product answers one more right, add it here: the
lists only grow. The labels are the faults' (tests/market/faults.py), never edited to match.
"""

from __future__ import annotations

LIVE: dict[str, dict[str, str]] = {}
"""Asked of the live node (no live market test: the bench scores it live)."""
RECORDED: dict[str, dict[str, str]] = {
    "storefront-configmap-key": {"namespace": "cause", "service": "cause"},
    "payments-sidecar-port": {"namespace": "cause", "pod": "cause"},  # walked from the pod
    # chain branch (issue 80 items 4-6, untuned on market): the DNS as a call, the init wait
    "cluster-dns-gone": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "payments-init-wait": {"namespace": "cause", "pod": "cause"},
    # a finished run's alert is history once trouble that began after it ended is seen
    "inventory-db-credentials": {"namespace": "cause"},
    "orders-db-port": {"namespace": "object"},
    "inventory-delay": {"namespace": "cause"},
    "orders-oom": {"namespace": "cause"},
    "inventory-selector": {"namespace": "cause"},
    # a client's config file names its database as an env value does: the host joins the suspects
    "mysql-read-only": {"pod": "cause"},
    "mysql-secret-key": {"pod": "object"},
}
"""Asked of the recorded folders (tests/cascade/test_recorded.py)."""
