"""Which catalog entry explains an alert: the `alerts:` claims of the entries, as an index.

The mapping is catalog data, not code: an entry lists the alert names it
explains. Several entries may claim one alert when their label conditions
tell them apart (KubeContainerWaiting with reason ImagePullBackOff versus
CreateContainerConfigError); two claims that cannot be told apart need a
`priority`, or `kubemedic catalog check` names both entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from intents.regex_engine import compile_regex
from intents.schema import AlertMapping, CatalogEntry


@dataclass(frozen=True)
class AlertClaim:
    """One entry's claim on an alert name."""

    entry_id: str
    mapping: AlertMapping

    def applies(self, labels: Mapping[str, str]) -> bool:
        """True when every label condition fully matches the alert's labels."""
        return all(
            compile_regex(pattern).fullmatch(labels.get(name, "")) is not None
            for name, pattern in self.mapping.labels.items()
        )

    @property
    def rank(self) -> tuple[int, int, str]:
        """Sort key: more label conditions first, then higher priority, then the entry id."""
        return (-len(self.mapping.labels), -self.mapping.priority, self.entry_id)


class AlertIndex:
    """Alert name -> the claims on it, most specific first."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        claims: dict[str, list[AlertClaim]] = defaultdict(list)
        for entry in entries:
            for mapping in entry.alerts:
                claims[mapping.name].append(AlertClaim(entry.id, mapping))
        self._claims = {name: sorted(found, key=lambda c: c.rank) for name, found in claims.items()}

    def claim_for(self, alertname: str, labels: Mapping[str, str]) -> AlertClaim | None:
        """The claim that explains this alert, or None when no entry claims it."""
        for claim in self._claims.get(alertname, ()):
            if claim.applies(labels):
                return claim
        return None

    def names(self) -> set[str]:
        """Every alert name some entry claims."""
        return set(self._claims)


def claim_conflicts(entries: Iterable[CatalogEntry]) -> list[tuple[str, str]]:
    """(entry id, problem) for every pair of claims nothing tells apart."""
    seen: dict[tuple[str, tuple[tuple[str, str], ...], int], str] = {}
    problems: list[tuple[str, str]] = []
    for entry in sorted(entries, key=lambda e: e.id):
        for mapping in entry.alerts:
            key = (mapping.name, tuple(sorted(mapping.labels.items())), mapping.priority)
            other = seen.setdefault(key, entry.id)
            if other != entry.id:
                message = (
                    f"alerts: {mapping.name} is also claimed by {other} with the same labels "
                    "and priority; give one of them a higher priority or a label condition"
                )
                problems.append((entry.id, message))
    return problems
