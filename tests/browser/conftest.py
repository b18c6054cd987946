"""A headless chromium for the browser tests: Debian's package, driven over the DevTools protocol.

.ci/run installs chromium. Elsewhere, without it, the tests skip with a loud
reason naming the install command; under CI they fail instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.cdp import Chromium, chromium_binary
from tests.ci import in_ci

INSTALL = "apt-get install chromium chromium-driver"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    binary = chromium_binary()
    if binary is None:
        if in_ci():
            pytest.fail(f"CI is set but chromium is not installed ({INSTALL}; .ci/run does it)")
        pytest.skip(f"BROWSER TESTS SKIPPED: chromium is not installed; run: {INSTALL}")
    browser = Chromium(binary).start()
    yield browser
    browser.stop()
