"""Whether the tests run under CI, where a missing test server fails instead of skipping."""

from __future__ import annotations

import os


def in_ci() -> bool:
    """CI is set to 1, true or yes (.ci/run sets CI=1; hosted CI services set CI=true)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
