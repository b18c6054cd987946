""" "Is it one of these?" in the terminal: what `kubemedic match` prints when it is not sure.

The same question the chats ask (responses/choice_blocks.py): the pasted line that matched,
quoted once, then each candidate numbered with its title, catalog id and one-line why. A
terminal has no buttons, so it says how to pick: an examples file `match --examples` reads.
"""

from __future__ import annotations

from collections.abc import Sequence

from responses import ask_messages as say
from responses.choice_blocks import Offered, own_line, pasted_line

WIDTH = 200


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def question_text(candidates: Sequence[Offered]) -> str:
    """The question, one candidate after another, and how to pick one."""
    shown = pasted_line(candidates)
    lines = ["", say.QUESTION_TITLE, *([f"  > {_clip(shown)}"] if shown else [])]
    for number, candidate in enumerate(candidates, start=1):
        lines.append(f"  {number}. {candidate.title} [{candidate.id}]")
        own = own_line(candidate, shown)
        lines += [f"     > {_clip(own)}"] if own else []
        lines += [f"     {_clip(candidate.why)}"] if candidate.why else []
    return "\n".join([*lines, say.TERMINAL_PICK]) + "\n"
