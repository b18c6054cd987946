"""How CLI verbs print a diagnosis: the short answer, all of it (--verbose) or JSON, then catalog warnings."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bot.commands.io import CommandIO
from intents.loader import CatalogProblem
from responses.diagnosis import Diagnosis
from responses.json_view import diagnosis_to_dict
from responses.text import render_text


def print_diagnosis(diagnosis: Diagnosis, io: CommandIO, *, as_json: bool, verbose: bool = False,
                    problems: Iterable[CatalogProblem] = ()) -> None:
    """Write the diagnosis to stdout (the short answer, every part with `verbose`, or JSON) and any
    catalog problems to stderr."""
    if as_json:
        json.dump(diagnosis_to_dict(diagnosis), io.stdout, indent=2, ensure_ascii=False)
        io.stdout.write("\n")
    else:
        io.stdout.write(render_text(diagnosis, verbose=verbose))
    for problem in problems:
        print(f"warning: catalog: {problem}", file=io.stderr)
