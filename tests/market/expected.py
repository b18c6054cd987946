"""Which questions kubemedic answers right today on the market app, per fault: asserted by the tests.

fault -> {command: "cause"} (the culprit and its catalog id first) or {command: "object"} (the
culprit first, another cause), as tests/cascade/expected.py. Measured on the recorded folders
(tests/market/recorded/) at the main commit docs/benchmarks.md names ("Market app on the real
node"); a question not listed is scored by `python -m bench.cascade recorded --app market`, not
asserted. When the product answers one more right, add it here: the lists only grow.
"""

from __future__ import annotations

LIVE: dict[str, dict[str, str]] = {}
"""Asked of the live node (no live market test: the bench scores it live)."""
RECORDED: dict[str, dict[str, str]] = {}
"""Asked of the recorded folders (tests/cascade/test_recorded.py)."""
