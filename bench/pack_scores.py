"""Each built-in pack's own figures: its message formats, entries, cases and how many of the cases
its entries answer first (what `kubemedic catalog test` checks).

    python -m bench.pack_scores          # one row per pack

bench.coverage puts these beside each family's development figures (a family is named after its
pack). The cases go through the product path (`diagnose_paste` on the redacted text, as `match`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from bench.calibration_data import matcher
from bot.diagnosis.paste import diagnose_paste
from intents.catalog_files import read_case
from intents.packs import PackFolder, builtin_packs
from responses.redaction.entry import redact_paste


@dataclass(frozen=True)
class PackScore:
    """A pack's formats, entries, cases and cases answered first by their entry."""

    name: str
    formats: int
    entries: int
    cases: int
    first: int

    def cells(self) -> tuple[str, str]:
        """(formats, cases answered first) as coverage's table shows them."""
        return str(self.formats), f"{self.first}/{self.cases}"


def score(pack: PackFolder) -> PackScore:
    cases = pack.cases()
    first = 0
    for path, expected in cases:
        diagnosis = diagnose_paste(matcher(), redact_paste(read_case(path)), top=3)
        first += bool(diagnosis.answers) and diagnosis.answers[0].match.id == expected
    return PackScore(pack.name, _formats_of(pack), len(pack.entry_ids()), len(cases), first)


def _formats_of(pack: PackFolder) -> int:
    """Formats whose component file lives in the pack's `messages/` folder."""
    import yaml

    total = 0
    for path in sorted(pack.messages.glob("*.yaml")) if pack.messages.is_dir() else []:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        total += len(document.get("formats") or [])
    return total


def scores() -> dict[str, PackScore]:
    return {pack.name: score(pack) for pack in builtin_packs()}


def main(argv: Sequence[str] | None = None) -> int:
    del argv
    print("| pack | formats | entries | cases | answered first |")
    print("|---|---|---|---|---|")
    for row in scores().values():
        print(
            f"| {row.name} | {row.formats} | {row.entries} | {row.cases} | {row.first}/{row.cases} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
