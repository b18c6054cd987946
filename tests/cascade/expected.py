"""Which questions kubemedic answers right today, per fault: asserted by the tests.

fault -> {command: "cause"} (the culprit and its catalog id first) or {command: "object"}
(the culprit first, another cause). Measured on `main` at 84e0a9fb (docs/benchmarks.md, "Cascade
app on the real node"); a question not listed is scored by `python -m bench.cascade`, not
asserted. When the product answers one more right, add it here: the lists only grow.

One fell out, a known defect: `api-unknown-db-host` was right at 84e0a9fb; since culprit over
victim (issue 73) the missing Service `postgres` the log names is ranked first
(env-service-not-found, high) above api, whose env names the wrong host (medium). Put it back
when api leads again.
"""

from __future__ import annotations

LIVE: dict[str, dict[str, str]] = {
    "cluster-dns-down": {"namespace": "cause"},
}
"""Asked of the live node (tests/realnode/test_upstream_culprits.py)."""
RECORDED: dict[str, dict[str, str]] = {
    "cluster-dns-down": {"namespace": "cause"},
}
"""Asked of the recorded folders (tests/cascade/test_recorded.py)."""
