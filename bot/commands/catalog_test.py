"""`kubemedic catalog test [PACK]`: run a pack's cases as `kubemedic match` answers them.

A pack's cases (`cases/<entry-id>/*.txt`) are the pastes its entries were written from; each
must be answered first by its entry (the answer `match` gives, medium or high confidence).
Every failing case is named with what was answered instead, a case of a rejected entry under
that entry's id, and the command exits 1 when any fails (0 when all pass, 2 for an unknown or
switched-off pack), so a team can run it in its own CI. For a team's pack (from
KUBEMEDIC_CATALOG_DIRS) it also reports the built-in entries' own symptom lines that one of the
pack's entries now answers instead: a pack that takes over a core answer is never silent.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.commands.io import CommandIO
from bot.diagnosis.paste import diagnose_paste
from bot.errors import EXIT_OK, BadInput
from bot.knowledge import load_knowledge
from bot.settings import Settings
from intents.catalog_files import UnreadableFile, read_case
from intents.loaded import LoadedCatalog, LoadedPack
from intents.loader import load_catalog
from intents.matcher import Matcher
from intents.pack_checks import case_entry_missing
from responses.redaction.entry import redact_paste

EXIT_FAILED = 1
_NOT_LOADED = {
    "rejected": "its entry {id} was rejected (`kubemedic catalog check` names its file and line)",
    "missing": "no entry {id} in the catalog (the case's folder names its entry)",
}


@dataclass(frozen=True)
class CaseOutcome:
    """One case: its entry, what was answered first, and why it could not run (None: it ran)."""

    path: Path
    expected: str
    answered: str | None = None
    listed: tuple[str, ...] = ()
    problem: str | None = None

    @property
    def passed(self) -> bool:
        return self.problem is None and self.answered == self.expected

    def describe(self) -> str:
        """`FAIL frob-overload/log.txt: answered crashloop-backoff (listed: ...)`."""
        where = f"{self.expected}/{self.path.name}"
        if self.problem is not None:
            return f"FAIL {where}: {self.problem}"
        if self.answered is None:
            listed = ", ".join(self.listed) or "nothing"
            return f"FAIL {where}: no answer (low confidence; listed: {listed})"
        return f"FAIL {where}: answered {self.answered} first (listed: {', '.join(self.listed)})"


def add_parser(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = verbs.add_parser(
        "test",
        help="run a pack's cases (every pack when none is named); exit 1 naming each case its "
        "entry does not answer first",
    )
    parser.add_argument(
        "pack", nargs="?", metavar="PACK", help="a pack's name (`kubemedic catalog packs`)"
    )


def run(args: argparse.Namespace, io: CommandIO, settings: Settings) -> int:
    catalog = load_catalog(settings.catalog_dirs, packs_off=settings.catalog_packs_off)
    chosen = _chosen(catalog, args.pack)
    matcher = load_knowledge(settings).matcher
    failed = cases = 0
    for name, pack in chosen:
        outcomes = [*case_outcomes(pack, catalog, matcher)]
        taken = taken_core_lines(pack, catalog, matcher) if not pack.folder.builtin else []
        right = sum(outcome.passed for outcome in outcomes)
        print(
            f"{name}: {len(outcomes)} cases, {right} answered first by their entry", file=io.stdout
        )
        for outcome in outcomes:
            if not outcome.passed:
                print(f"  {outcome.describe()}", file=io.stdout)
        for line in taken:
            print(f"  TAKES {line}", file=io.stdout)
        cases += len(outcomes)
        failed += len(outcomes) - right + len(taken)
    verdict = f"{failed} failed" if failed else "all passed"
    print(f"catalog test: {len(chosen)} pack(s), {cases} cases, {verdict}", file=io.stdout)
    return EXIT_FAILED if failed else EXIT_OK


def _chosen(catalog: LoadedCatalog, name: str | None) -> list[tuple[str, LoadedPack]]:
    """The named pack, or every pack that is on; an unknown or switched-off name is bad input."""
    if name is None:
        return [(n, pack) for n, pack in catalog.packs.items() if not pack.off]
    pack = catalog.packs.get(name)
    if pack is None:
        known = ", ".join(sorted(catalog.packs))
        raise BadInput(f"no pack named {name!r} (the packs: {known})")
    if pack.off:
        raise BadInput(f"pack {name!r} is switched off (KUBEMEDIC_CATALOG_PACKS_OFF)")
    return [(name, pack)]


def case_outcomes(
    pack: LoadedPack, catalog: LoadedCatalog, matcher: Matcher
) -> Iterator[CaseOutcome]:
    """Each case of the pack through the paste path `kubemedic match` takes (redacted first)."""
    for path, expected in pack.folder.cases():
        missing = case_entry_missing(pack, catalog, expected)
        if missing is not None:
            yield CaseOutcome(path, expected, problem=_NOT_LOADED[missing].format(id=expected))
            continue
        try:
            text = read_case(path)
        except UnreadableFile as exc:
            yield CaseOutcome(path, expected, problem=str(exc))
            continue
        diagnosis = diagnose_paste(matcher, redact_paste(text), top=3)
        first = diagnosis.answers[0].match.id if diagnosis.answers else None
        listed = tuple(finding.match.id for finding in diagnosis.findings)
        yield CaseOutcome(path, expected, first, listed)


def taken_core_lines(pack: LoadedPack, catalog: LoadedCatalog, matcher: Matcher) -> list[str]:
    """The built-in entries' symptom lines a team pack's entry answers instead of a built-in one
    (an entry the pack replaces on purpose, `overrides:`, answers under the same id: not listed)."""
    ours = {i for i in pack.valid if catalog.entries[i].team}
    if not ours:
        return []
    probe = Matcher.from_entries([catalog.entries[i] for i in sorted(ours)])
    taken = []
    for entry in sorted(catalog.entries.values(), key=lambda e: e.id):
        if entry.team:
            continue
        for symptom in entry.symptoms:
            if not probe.match(symptom, top=1):
                continue  # nothing of the pack's resembles it: the full match is not needed
            found = matcher.match(symptom, top=1)
            answer = found[0] if found and found[0].confidence != "low" else None
            if answer is not None and answer.id in ours:
                shown = symptom if len(symptom) <= 100 else symptom[:99] + "…"
                taken.append(f"{answer.id} answers {entry.id}'s symptom {shown!r}")
    return taken
