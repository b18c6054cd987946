"""A suspect's one fix, written from the catalog and the names the walk read.

The fix line of a walk finding is the catalog's (the entry's `walk:` declaration), its
placeholders filled with names checked against their kind; a pod judge's cause says the
entry's chosen fix step about the object to change. Both the walk and a fleet hub write it
here, so the hub rebuilds the same line from its own catalog and never takes an agent's text.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.diagnosis.naming import Names, filled
from intents.fix_values import ask
from intents.schema import CatalogEntry
from intents.walk_table import fix_line
from responses.suspects import FixSource


def source_of(finding: str, step: int | None, names: Mapping[str, str]) -> FixSource:
    """The fix's source with only the names valid for their kind kept."""
    checked = Names.checked(names)
    return FixSource(finding, step, tuple(sorted(checked.values.items())))


def write_fix(entry: CatalogEntry, source: FixSource, resource: str) -> str:
    """The one fix line `source` says, in `entry`'s words ("" when the entry has none for it)."""
    names = Names.checked(dict(source.names))
    if source.finding:
        # an example value a team's line slipped in is asked for, as in every fix (intents.fix_values)
        line, chosen = ask(fix_line(entry, source.finding), "command")
        return filled(line, names, chosen) or ""
    if source.step is not None and 0 <= source.step < len(entry.fix):
        return f"{resource}: {entry.fix[source.step].text}"
    return ""
