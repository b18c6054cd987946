"""Which questions kubemedic answers right today on the ledger app, per fault: asserted by the tests.

fault -> {command: "cause"} (the culprit and its catalog id first) or {command: "object"} (the
culprit first, another cause), as tests/cascade/expected.py. Filled in mechanically from one
score of the recorded folders (tests/ledger/recorded/) on `main` at 86ffd277 (`python -m
bench.cascade recorded --app ledger --json`, every "cause" and "object" verdict copied;
docs/benchmarks.md, "Ledger app on the real node"). When the product answers one more right,
add it here: the lists only grow. One answer right at 86ffd277 was no longer right
after merging `main` at 84c75e46 (accounts-init-wait, `diagnose namespace`): left out so the
guard holds the others; put it back when it is answered again. Four `diagnose service`
answers were added from a score on `main` at 6c2ddc63 (a URL through routes not shown), and
the answers right after "ready since its failures, not said high" (stop 96) from a score on
`main` then. The
labels are the faults' (tests/ledger/faults.py), never edited to match.
"""

from __future__ import annotations

LIVE: dict[str, dict[str, str]] = {}
"""Asked of the live node (no live ledger test: the bench scores it live)."""
RECORDED: dict[str, dict[str, str]] = {
    "ingress-backend-renamed": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "ledger-db-read-only": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "postings-db-credentials": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "accounts-init-wait": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "portal-configmap-key": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "accounts-hpa-no-metrics": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "cluster-dns-down": {"namespace": "cause", "service": "cause", "pod": "cause"},
    "postings-notifier-port": {"namespace": "object", "service": "object", "pod": "object"},
    "ingress-api-wrong-port": {"namespace": "cause", "service": "cause", "pod": "cause"},
}
"""Asked of the recorded folders (tests/cascade/test_recorded.py)."""
