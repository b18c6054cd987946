"""Summary tests run with a short debounce so bursts settle in a fraction of a second."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def quick_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS", "0.3")
