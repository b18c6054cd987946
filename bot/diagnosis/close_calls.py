"""Close calls: a medium guess from the text alone is not said when another reading is as near.

Measured on text the matcher had never read (each development batch replayed with the code of
the day it was gathered, `python -m bench.carryover`), a medium-confidence first match that
only the pasted words support, and that leads the next reading by 0.20 or less, was right 14
times and false 37 times (a wrong entry, or an answer where none was due); with a clearer
lead it was right 38 times to 29. Such a finding is held back: its score drops below medium,
so the bot stays quiet (the contract's answer is matches[0] only when high or medium), and a
note names the two readings it could not choose between. Confirmed findings (the paste's own
kubectl output shows the fact), high-confidence matches and entries a component's own message
names are never held back; an entry the first outranks is no rival (the catalog already says
which leads).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from intents.policy import POLICY
from responses.diagnosis import Finding

CLOSE_CALL_NOTE = "too close to choose between"
"""What the note on a held-back answer says (the end of its sentence)."""


@dataclass(frozen=True)
class HeldBack:
    """The findings after the rule, and the note that says why nothing was answered, if so."""

    findings: list[Finding]
    notes: tuple[str, ...] = ()


def rival_of(findings: Sequence[Finding]) -> Finding | None:
    """The strongest other reading of the paste that competes with the first, by the catalog's
    own declarations: not a symptom the first explains (the same story, told from its end), and
    not an entry the first outranks (a second problem the answer names after it), and not an
    entry capped because the paste lacks the context it requires (its words fit, its subject is
    absent: a pull's back-off with no credentials in sight is no credentials reading). A catch-all
    stays a rival: a specific entry just ahead of the catch-all it refines was as often wrong as
    right on new text (a Helm chart repository's x509 is no image registry's)."""
    first = findings[0]
    entry = first.match.entry
    rivals = [finding for finding in findings[1:]
              if finding.match.id != first.match.id and first.match.id not in finding.because
              and finding.match.id not in entry.outranks and not finding.match.context_missing]
    return max(rivals, key=lambda finding: finding.match.score, default=None)


def is_guess(finding: Finding) -> bool:
    """A medium match the pasted words alone support (no fact confirms it, no component's own
    message names it)."""
    return (POLICY.medium <= finding.match.score < POLICY.high
            and not finding.confirmed and not finding.named_outright)


def held_back(findings: Sequence[Finding]) -> HeldBack:
    """The findings with a close-call first one, and any guess as close as its rival, dropped to
    low confidence (kept in place, so the reply still lists them as the closest readings)."""
    if not findings:
        return HeldBack([])
    first, rival = findings[0], rival_of(findings)
    if rival is None or not is_guess(first) or first.match.score - rival.match.score > POLICY.clear_lead:
        return HeldBack(list(findings))
    floor = first.match.score - POLICY.clear_lead
    quiet = [replace(f, match=replace(f.match, score=POLICY.quiet_score))
             if f is first or (is_guess(f) and f.match.score >= floor) else f for f in findings]
    note = (f"not answered: on the words alone, {first.match.id} ({first.match.score:.2f}) and "
            f"{rival.match.id} ({rival.match.score:.2f}) are {CLOSE_CALL_NOTE}")
    return HeldBack(quiet, (note,))
