"""The suspects of a namespace or Service as Block Kit: the first in full, the others in a line.

"checkout is failing" is answered, right under the header, with the object most likely at
fault, its cause (title, catalog id, confidence), its one fix in the user's names and at most
two facts, then one line per other suspect saying why it ranks lower, then the chain. Every
suspect's whole evidence, its chain from the symptom and the ranking's reasons wait behind
Details. Parts come in levels (block_parts) so the assembler can shrink them to Slack's limits;
every text is made safe here.
"""

from __future__ import annotations

from collections.abc import Sequence

from responses import messages
from responses.answer_view import AnswerView, SuspectLine
from responses.block_parts import SECTION_LIMIT, Block, Part, context, section
from responses.mrkdwn import bullets, clip, inline_code, safe

SHORT_FACT = 300
CHAIN = " → "
INDIRECT = "indirect evidence: the state read shows its effects, not the cause itself"
OTHERS = "*Other suspects*"


def suspect_title(suspect: SuspectLine) -> str:
    """ "service/checkout: Service has no endpoints" (what is broken, then why)."""
    return f"{suspect.object}: {suspect.title}"


def lower_line(suspect: SuspectLine, number: int) -> str:
    """One other suspect, with why it ranks below the first."""
    said = f": ranks lower: {suspect.lower}" if suspect.lower else ""
    return clip(
        f"{number}. {inline_code(suspect.object, 120)} {safe(suspect.title, 200)} "
        f"({inline_code(suspect.id, 80)}, {messages.confidence(suspect.confidence)})"
        f"{safe(said, 400)}",
        800,
    )


def chain_text(suspect: SuspectLine, limit: int) -> str:
    return safe(CHAIN.join(suspect.chain), limit)


def _lead(first: SuspectLine) -> Part:
    """The first suspect in one section: the object, its cause, catalog id and confidence, what to
    change, its one fix, then at most two facts. Shorter levels keep the object, cause and fix."""
    change = (
        f"\nChange {inline_code(first.resource, 120)}" if first.resource != first.object else ""
    )
    indirect = f"\n_{INDIRECT}_" if first.indirect else ""
    sizes = ((1500, SHORT_FACT), (400, 0))

    def render(n: int) -> tuple[Block, ...]:
        fix_size, fact_size = sizes[n]
        head = (
            f"*Most likely: {safe(first.object, 200)}* — {safe(first.title, 300)} "
            f"{inline_code(first.id, 80)} ({messages.confidence(first.confidence)})"
        )
        lines = [head + change + indirect]
        lines += [f"Fix: {safe(first.fix, fix_size)}"] if first.fix else []
        lines += [f"> {safe(fact, fact_size)}" for fact in first.facts] if fact_size else []
        return (section(clip("\n".join(lines), SECTION_LIMIT)),)

    return Part("first suspect", render, len(sizes), priority=1)


def _chain(first: SuspectLine) -> Part | None:
    if not first.chain:
        return None
    return Part(
        "chain",
        lambda n: () if n else (context(f"Chain: {chain_text(first, 1500)}"),),
        2,
        priority=4,
    )


def _others(others: Sequence[SuspectLine]) -> Part | None:
    if not others:
        return None
    lines = [lower_line(other, number) for number, other in enumerate(others, start=2)]
    sizes = (SECTION_LIMIT, 800)
    return Part(
        "other suspects",
        lambda n: (
            section(f"{OTHERS}\n{bullets(lines, sizes[n] - len(OTHERS) - 1, what='suspects')}"),
        ),
        len(sizes),
        priority=2,
    )


def suspect_parts(view: AnswerView) -> list[Part]:
    """What follows the header: the first suspect in full, one line per other suspect (why it
    ranks lower), then the first one's chain."""
    first, *others = view.suspects
    parts = [_lead(first), _others(others), _chain(first)]
    return [part for part in parts if part is not None]


def _detail(suspect: SuspectLine, number: int, limit: int) -> str:
    head = (
        f"*{number}. {safe(suspect_title(suspect), 300)}* ({inline_code(suspect.id, 80)}, "
        f"{messages.confidence(suspect.confidence)} {suspect.score:.2f})"
    )
    lines = [head, f"Change: {inline_code(suspect.resource, 120)}"]
    lines += [f"Ranks lower: {safe(suspect.lower, 300)}"] if suspect.lower else []
    lines += [f"Why: {safe('; '.join(suspect.why), 600)}"] if suspect.why else []
    lines += [f"_{INDIRECT}_"] if suspect.indirect else []
    lines += [f"Chain: {chain_text(suspect, 800)}"] if suspect.chain else []
    facts = [safe(fact, 400) for fact in suspect.facts]
    lines += [bullets(facts, 1200, what="facts")] if facts else []
    lines += [f"Fix: {safe(suspect.fix, 800)}"] if suspect.fix else []
    return clip("\n".join(lines), limit)


def suspect_details(suspects: Sequence[SuspectLine]) -> Part | None:
    """Every suspect with its whole evidence, chain and the ranking's reasons (one section each)."""
    if not suspects:
        return None
    sizes = (SECTION_LIMIT, 900)
    return Part(
        "suspects' evidence",
        lambda n: tuple(
            section(_detail(suspect, number, sizes[n]))
            for number, suspect in enumerate(suspects, 1)
        ),
        len(sizes),
        priority=1,
    )


def suspect_fallback(suspects: Sequence[SuspectLine]) -> str:
    """The notification text's part naming the first suspect and its catalog id."""
    first = suspects[0]
    return f": most likely {first.object}, {first.title} (`{first.id}`, {first.confidence})"
