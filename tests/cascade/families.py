"""The app families on the real node, by name, and which of their questions are answered right today."""

from __future__ import annotations

from tests.cascade import expected as cascade_expected
from tests.cascade.family import Family
from tests.cascade.faults import CASCADE
from tests.ledger import expected as ledger_expected
from tests.ledger.faults import LEDGER
from tests.market import expected as market_expected
from tests.market.faults import MARKET

FAMILIES: dict[str, Family] = {family.name: family for family in (CASCADE, MARKET, LEDGER)}
RECORDED: dict[str, dict[str, dict[str, str]]] = {
    "cascade": cascade_expected.RECORDED,
    "market": market_expected.RECORDED,
    "ledger": ledger_expected.RECORDED,
}
"""family -> fault -> {command: "cause" | "object"}, asserted of the recorded folders."""
DESCRIBED: dict[str, dict[str, dict[str, str]]] = {
    "cascade": cascade_expected.DESCRIBED,
    "market": market_expected.DESCRIBED,
}
"""family -> fault -> command -> level, asserted of the recorded folders without `-o yaml`
(ledger is held out: scored by the bench, never listed)."""
LIVE: dict[str, dict[str, dict[str, str]]] = {
    "cascade": cascade_expected.LIVE,
    "market": market_expected.LIVE,
    "ledger": ledger_expected.LIVE,
}
