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
    "storefront-configmap-key": {"service": "cause"},
    "payments-sidecar-port": {"pod": "cause"},  # culprit branch (issue 80): walked from the pod
    # chain branch (issue 80 items 4-6, untuned on market): the DNS as a call, the init wait
    "cluster-dns-gone": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "payments-init-wait": {"pod": "cause"},
    # routes branch: a workload behind the route's own Service is not its controller
    "ingress-wrong-port": {"service": "cause"},
}
"""Asked of the recorded folders (tests/cascade/test_recorded.py)."""
