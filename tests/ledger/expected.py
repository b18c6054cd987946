"""Which questions kubemedic answers right today on the ledger app, per fault: asserted by the tests.

fault -> {command: "cause"} (the culprit and its catalog id first) or {command: "object"} (the
culprit first, another cause), as tests/cascade/expected.py. Filled in mechanically from one
score of the recorded folders (tests/ledger/recorded/) on `main`; the lists only grow. The
labels are the faults' (tests/ledger/faults.py), never edited to match.
"""

from __future__ import annotations

LIVE: dict[str, dict[str, str]] = {}
"""Asked of the live node (no live ledger test: the bench scores it live)."""
RECORDED: dict[str, dict[str, str]] = {}
"""Asked of the recorded folders (tests/cascade/test_recorded.py)."""
