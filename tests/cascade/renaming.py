"""A family's recordings under other names: the same faults, the app's tiers renamed.

A rule stated as a principle holds whatever a team calls its services. `renamed` rewrites a
recorded folder (every output, its file names and case.json) with each tier's name replaced
where it stands as a name (a pod `orders-67b7...`, a host `orders:8080`, a URL, a label value),
and `renamed_fault` says the same fault's culprit and caller under the new names. Names that
are technologies (mysql, redis) and the noise tiers (load, worker) keep theirs: prose such as
"failed to load" must not change meaning.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from tests.cascade.family import Fault

RENAMES: dict[str, dict[str, str]] = {
    "market": {
        "storefront": "webshop",
        "orders": "purchasing",
        "inventory": "stockroom",
        "payments": "settlement",
        "gateway": "edge",
    },
    "cascade": {
        "api": "frontdoor",
        "billing": "invoicing",
        "catalog": "products",
        "db": "records",
        "web": "homepage",
    },
    "ledger": {
        "portal": "counter",
        "postings": "journal",
        "accounts": "holders",
        "notifier": "courier",
        "reconciler": "matcher",
        "ledger-db": "books-db",
        "session-cache": "token-cache",
    },
}
"""family -> tier -> its new name (none of them a word the product or the catalog treats
specially)."""


def _pattern(names: dict[str, str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_.])({alternatives})(?![A-Za-z0-9_])")


def rename_text(text: str, names: dict[str, str]) -> str:
    """`text` with each tier's name replaced where it stands as a name."""
    return _pattern(names).sub(lambda m: names[m.group(1)], text)


def renamed(folder: Path, names: dict[str, str], into: Path) -> Path:
    """A copy of a recorded folder under the new names, in `into`."""
    copy = into / rename_text(folder.name, names)
    (copy / "outputs").mkdir(parents=True)
    case = json.loads((folder / "case.json").read_text())
    moved = {k: rename_text(v, names) if isinstance(v, str) else v for k, v in case.items()}
    (copy / "case.json").write_text(json.dumps(moved, indent=2))
    for path in sorted((folder / "outputs").iterdir()):
        target = copy / "outputs" / rename_text(path.name, names)
        target.write_text(rename_text(path.read_text(), names))
    return copy


def renamed_fault(fault: Fault, names: dict[str, str]) -> Fault:
    """The same fault, its culprit, caller and symptom's Service under the new names."""
    return replace(
        fault,
        culprit=rename_text(fault.culprit, names),
        resource=rename_text(fault.resource, names),
        caller=rename_text(fault.caller, names),
        symptom_service=rename_text(fault.symptom_service, names),
    )
