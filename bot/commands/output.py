"""How CLI verbs print a diagnosis: the short answer, all of it (--verbose) or JSON, then catalog warnings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from bot.answering.candidates import Candidate
from bot.commands.io import CommandIO
from intents.loaded import CatalogProblem
from responses.choice_text import question_text
from responses.diagnosis import Diagnosis
from responses.inert import printable
from responses.json_view import diagnosis_to_dict
from responses.text import render_text

SHOWN_SKIPS = 5


def skipped_line(skipped: Sequence[Any]) -> str:
    """One stderr line: how many recorded outputs were skipped, and where (file:line)."""
    shown = ", ".join(f"{s.file}:{s.line}" for s in skipped[:SHOWN_SKIPS])
    more = f" and {len(skipped) - SHOWN_SKIPS} more" if len(skipped) > SHOWN_SKIPS else ""
    return (
        f"kubemedic: skipped {len(skipped)} part(s) of the recorded outputs "
        f"(--json says why): {shown}{more}"
    )


def print_diagnosis(
    diagnosis: Diagnosis,
    io: CommandIO,
    *,
    as_json: bool,
    verbose: bool = False,
    problems: Iterable[CatalogProblem] = (),
    skipped: Sequence[Any] | None = None,
    choices: Sequence[Candidate] | None = None,
) -> None:
    """Write the diagnosis to stdout (the short answer, every part with `verbose`, or JSON) and any
    catalog problems and skipped recorded outputs (`--from-outputs`) to stderr; `choices`: what "Is
    it one of these?" offers for it (a paste's diagnosis: JSON `"choices"`, and the question in place
    of the closest matches)."""
    if skipped:
        print(printable(skipped_line(skipped)), file=io.stderr)
    if as_json:
        view = diagnosis_to_dict(diagnosis)
        if skipped is not None:
            view["skipped"] = [s.as_dict() for s in skipped]
        if choices is not None:
            view["choices"] = [choice.stored() for choice in choices]
        json.dump(view, io.stdout, indent=2, ensure_ascii=False)
        io.stdout.write("\n")
    elif choices:
        shown = render_text(diagnosis, verbose=verbose, closest=False)
        io.stdout.write(printable(shown + question_text(choices)))
    else:
        io.stdout.write(printable(render_text(diagnosis, verbose=verbose)))
    for problem in problems:
        print(f"warning: catalog: {problem}", file=io.stderr)
