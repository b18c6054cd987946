"""How CLI verbs print a diagnosis: the short answer, all of it (--verbose) or JSON, then catalog warnings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from bot.answering.candidates import Candidate
from bot.commands.io import CommandIO
from intents.loader import CatalogProblem
from responses.choice_text import question_text
from responses.diagnosis import Diagnosis
from responses.json_view import diagnosis_to_dict
from responses.text import render_text


def print_diagnosis(diagnosis: Diagnosis, io: CommandIO, *, as_json: bool, verbose: bool = False,
                    problems: Iterable[CatalogProblem] = (),
                    choices: Sequence[Candidate] | None = None) -> None:
    """Write the diagnosis to stdout (the short answer, every part with `verbose`, or JSON) and any
    catalog problems to stderr; `choices`: what "Is it one of these?" offers for it (a paste's
    diagnosis: JSON `"choices"`, and the question in place of the closest matches)."""
    if as_json:
        extra = {"choices": [choice.stored() for choice in choices]} if choices is not None else {}
        json.dump(diagnosis_to_dict(diagnosis) | extra, io.stdout, indent=2, ensure_ascii=False)
        io.stdout.write("\n")
    elif choices:
        shown = render_text(diagnosis, verbose=verbose, closest=False)
        io.stdout.write(shown + question_text(choices))
    else:
        io.stdout.write(render_text(diagnosis, verbose=verbose))
    for problem in problems:
        print(f"warning: catalog: {problem}", file=io.stderr)
