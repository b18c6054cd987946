"""The real-paste corpus (tests/corpus/real): verbatim text from public sources, split by source.

Every paste was copied verbatim from a public issue thread or page (never written from
one), and its source sits beside it in an index line. The split into a development half
and a test half is decided by the source repository alone (`half_of`), fixed before any
matching change: everything from one repository lands in the same half, so nothing the
matcher is tuned on shares a source with what it is measured on.

Layout (see tests/corpus/real/README.md):
    tests/corpus/real/<half>/<file>.txt         one paste, verbatim
    tests/corpus/real/<half>/index-<who>.jsonl  one JSON object per paste (below)
    half: dev | test | fresh | fresh2 | ... | fresh34 (batches gathered after the matching work, reported apart;
          fresh24 is development data since issue 67, see DEVELOPMENT)

Index object keys:
    file      the paste's file name in the same folder
    url       where it was copied from (issue/PR/discussion/page address)
    repo      "owner/name" for GitHub sources, "site:<host>" for other pages
    kind      kubectl | log | event | chat | json | mixed
    class     positive | healthy | out-of-catalog | chat
    expected  catalog ids any of which is a right answer (positives only)
    also      other independent problems the paste shows (catalog ids), may be empty
    note      one line: what the paste shows and why the label
    family    optional: the ecosystem component the paste comes from (FAMILIES), e.g. istio, csi
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

REAL = Path(__file__).parent / "corpus" / "real"
HALVES = (
    "dev",
    "test",
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "fresh8",
    "fresh9",
    "fresh10",
    "fresh11",
    "fresh12",
    "fresh13",
    "fresh14",
    "fresh15",
    "fresh16",
    "fresh17",
    "fresh18",
    "fresh19",
    "fresh20",
    "fresh21",
    "fresh22",
    "fresh23",
    "fresh24",
    "fresh25",
    "fresh26",
    "fresh27",
    "fresh28",
    "fresh29",
    "fresh30",
    "fresh31",
    "fresh32",
    "fresh33",
    "fresh34",
)
"""fresh, fresh2, fresh3, fresh4, fresh5, fresh6, fresh7, fresh8, fresh9, fresh10, fresh11, fresh12, fresh13, fresh14, fresh15, fresh16, fresh17, fresh18, fresh19, fresh20, fresh21, fresh22, fresh23, fresh24, fresh25, fresh26, fresh27, fresh28, fresh29, fresh30, fresh31, fresh32, fresh33 and fresh34: batches gathered after rounds of work (fresh2 in the sixth session, fresh3 in the twelfth, fresh4 to fresh34 later), each reported apart; all but fresh24 (development data since issue 67) are never tuned on."""
DEVELOPMENT = ("dev", "fresh24")
"""Halves that may be tuned on: the development half and fresh24 (made development data by issue 67)."""
HELD_OUT = tuple(half for half in HALVES if half not in DEVELOPMENT)
"""Halves measured and reported only, never read while changing the matcher or the catalog."""
KINDS = ("kubectl", "log", "event", "chat", "json", "mixed")
FAMILIES = (
    "core",
    "istio",
    "linkerd",
    "consul",
    "cert-manager",
    "gitops",
    "csi",
    "gpu",
    "knative-keda",
    "external-dns-secrets",
    "velero",
    "ingress",
    "databases",
    "helm",
    "node-join",
    "metallb",
    "vault",
    "calico",
    "cilium",
    "karpenter",
    "policy",
    "prometheus-operator",
)
"""Ecosystem components a paste's `family` key may name (issue 67's development data by component;
issue 75 added the packs' families from metallb on)."""
CLASSES = ("positive", "healthy", "out-of-catalog", "chat")


def half_of(repo: str) -> str:
    """dev or test, by a hash of the source repository's name (fixed rule, never tuned)."""
    digest = hashlib.sha256(repo.strip().lower().encode()).digest()
    return "test" if digest[0] % 2 else "dev"


@dataclass(frozen=True)
class RealCase:
    """One verbatim paste and what a right answer is."""

    path: Path
    url: str
    repo: str
    kind: str
    klass: str
    expected: tuple[str, ...]
    also: tuple[str, ...]
    note: str
    family: str = ""

    @property
    def half(self) -> str:
        return self.path.parent.name

    def text(self) -> str:
        return self.path.read_bytes().decode("utf-8", errors="replace")


def load(half: str) -> list[RealCase]:
    """Every case of one half, in file order; an index line whose file is missing is an error."""
    return list(_load(half))


@functools.cache
def _load(half: str) -> tuple[RealCase, ...]:
    """`load`, read once per test process."""
    folder = REAL / half
    cases = []
    for index in sorted(folder.glob("index-*.jsonl")):
        for number, line in enumerate(index.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            path = folder / row["file"]
            if not path.is_file():
                raise FileNotFoundError(f"{index.name}:{number}: {row['file']} is missing")
            cases.append(
                RealCase(
                    path=path,
                    url=row["url"],
                    repo=row["repo"],
                    kind=row["kind"],
                    klass=row["class"],
                    expected=tuple(row.get("expected", ())),
                    also=tuple(row.get("also", ())),
                    note=row.get("note", ""),
                    family=row.get("family", ""),
                )
            )
    return tuple(sorted(cases, key=lambda case: case.path.name))


def planned_ids(path: Path = REAL / "PLANNED-IDS") -> set[str]:
    """Catalog ids planned but not written yet: the first word of each line of PLANNED-IDS
    (the rest of the line says what the entry means; blank lines and `#` comments are skipped)."""
    if not path.exists():
        return set()
    lines = (line.split("#", 1)[0].split() for line in path.read_text().splitlines())
    return {words[0] for words in lines if words}
