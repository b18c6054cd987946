"""The parts of a diagnosis message, one small function each.

Each part comes in levels, fullest first, so the assembler in block_kit
can shrink the least important parts until the message fits Slack's
limits; a level is rendered only when the assembler asks for it. Every
text is made safe (redacted, escaped, clipped) here. Blocks are plain
dicts, built within Slack's limits (tests/responses check them against
slack_sdk's models, which validate every limit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from intents.decision.explain import lost_to, why_line
from intents.schema import CatalogEntry, FixStep
from responses import messages
from responses.diagnosis import Diagnosis, Finding, PodRow
from responses.mrkdwn import bullets, clip, code_block, inline_code, link, plain, safe

SECTION_LIMIT = 3000
CONTEXT_LIMIT = 2000
CONTEXT_ELEMENTS = 10
HEADER_LIMIT = 150
MAX_ITEMS = 100
"""List items considered per part; more are only counted ("…and N more")."""
MAX_FIX_SECTIONS = 6
MAX_MATCHED_LINES = 3
MATCHED_LINE_LIMIT = 200


Block = dict[str, Any]
"""One Block Kit block, as Slack's JSON."""


@dataclass(frozen=True)
class Part:
    """A part of the message in `count` levels, fullest first; `render(n)` makes level n (n < count).
    `priority` 0 is never shrunk."""

    name: str
    render: Callable[[int], tuple[Block, ...]]
    count: int = 1
    priority: int = 0


def fixed(*blocks: Block) -> Part:
    return Part("", lambda _: blocks)


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(clip(text, SECTION_LIMIT))}


def context(*texts: str, block_id: str | None = None) -> Block:
    elements = [mrkdwn(clip(t, CONTEXT_LIMIT)) for t in texts if t]
    block: Block = {"type": "context", "elements": elements[:CONTEXT_ELEMENTS] or [mrkdwn(" ")]}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def divider() -> Block:
    return {"type": "divider"}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": plain(text, HEADER_LIMIT)}}


def is_healthy(diagnosis: Diagnosis) -> bool:
    """Nothing wrong found: no findings, no unhealthy pods, and a "no problem found" note."""
    return (not diagnosis.findings and not diagnosis.pods and any(
        note.lower().startswith(messages.NO_PROBLEM_PREFIX) for note in diagnosis.notes))


def where(diagnosis: Diagnosis) -> list[str]:
    """Context elements naming the cluster and the subject."""
    texts = [safe(diagnosis.subject, 300)]
    if diagnosis.cluster:
        texts.append(messages.cluster(safe(diagnosis.cluster, 200)))
    return texts


def finding_head(finding: Finding, diagnosis: Diagnosis, *, as_header: bool = True) -> Part:
    """Title, then confidence, catalog id, cluster and subject in one context line."""
    match = finding.match
    title = header(match.entry.title) if as_header else section(
        f"*{safe(match.entry.title, 300)}*")
    meta = context(messages.confidence(match.confidence), f"`{match.id}`", *where(diagnosis))
    reason = context(messages.why_this_answer(safe(why_line(finding), 400)))
    chain = diagnosis.chain(finding)
    if chain:
        return fixed(title, meta, reason, section(safe(chain, 500)))
    return fixed(title, meta, reason)


def _heading(title: str, body: str) -> Block:
    return section(f"{title}\n{clip(body, SECTION_LIMIT - len(title) - 1)}")


def root_cause(entry: CatalogEntry) -> Part:
    sizes = (SECTION_LIMIT, 800)
    return Part("root cause", lambda n: (_heading(messages.ROOT_CAUSE, safe(entry.root_cause, sizes[n])),),
                len(sizes), priority=1)


def evidence(finding: Finding) -> Part | None:
    if not finding.evidence:
        return None
    title, sizes = messages.CONFIRMED_BY, (SECTION_LIMIT, 800)
    shown = [safe(item, 500) for item in finding.evidence[:MAX_ITEMS]]
    room = SECTION_LIMIT - len(title) - 1

    def render(n: int) -> tuple[Block, ...]:
        return (_heading(title, bullets(shown, min(sizes[n], room), what="facts", total=len(finding.evidence))),)

    return Part("evidence", render, len(sizes), priority=1)


def _step(number: int, step: FixStep, code_limit: int) -> str:
    """One numbered step; its command and config share `code_limit` so the step stays whole."""
    blocks = [block for block in (step.command, step.config) if block]
    text = f"{number}. {safe(step.text, 600)}"
    for block in blocks:
        text += "\n" + code_block(block, code_limit // len(blocks))
    return text


def _pack(chunks: Sequence[str], *, total: int, sections: int, what: str) -> list[str]:
    """Chunks under the Fix heading in at most `sections` texts; what is left out is counted."""
    limit = SECTION_LIMIT - 60  # room for the "…and N more" line
    texts = [messages.FIX]
    shown = 0
    for chunk in chunks:
        if len(texts[-1]) + len(chunk) + 1 <= limit:
            texts[-1] += "\n" + chunk
        elif len(texts) < sections:
            texts.append(clip(chunk, limit))
        else:
            break
        shown += 1
    if shown < total:
        texts[-1] += "\n" + messages.more_items(total - shown, what)
    return texts


def fix(entry: CatalogEntry) -> Part:
    """Numbered steps, each command or config in a code block; compact level: short code."""
    shapes = ((1500, MAX_FIX_SECTIONS), (300, 1))

    def render(n: int) -> tuple[Block, ...]:
        code_limit, sections = shapes[n]
        steps = [_step(number, step, code_limit) for number, step in enumerate(entry.fix[:30], start=1)]
        return tuple(section(text) for text in _pack(steps, total=len(entry.fix), sections=sections, what="steps"))

    return Part("fix steps", render, len(shapes), priority=1)


def links(entry: CatalogEntry) -> Part:
    items = [link(item.url, item.title) for item in entry.links[:5]]
    counts = (5, 2)
    return Part("links", lambda n: (_heading(messages.LINKS, bullets(
        items[:counts[n]], SECTION_LIMIT - 20, what="links", total=len(entry.links))),), len(counts), priority=4)


def why(finding: Finding) -> Part:
    """The pasted lines that matched and the score, so people can judge the match."""
    match = finding.match
    title = f"{messages.WHY} — {messages.score(match.score)}"
    if finding.text_score is not None and abs(finding.text_score - match.score) > 0.005:
        title += f" ({messages.text_score(finding.text_score)})"
    lines = [f"{inline_code(line.line, MATCHED_LINE_LIMIT)} ({messages.score(line.score)})"
             for line in match.matched[:MAX_MATCHED_LINES]]
    if len(match.matched) > MAX_MATCHED_LINES:
        lines.append(messages.more_items(len(match.matched) - MAX_MATCHED_LINES, "lines"))
    if not lines and finding.evidence:
        lines.append(messages.evidence_only())
    return Part("matched lines", lambda n: () if n else (section("\n".join([title, *lines])),), 2, priority=5)


def others(findings: Sequence[Finding], title: str, answer: Finding | None = None) -> Part | None:
    """The other readings; next to an answer, each says why it lost."""
    if not findings:
        return None
    items = [f"`{f.match.id}` {safe(f.match.entry.title, 150)} — "
             f"{messages.confidence(f.match.confidence)} ({f.match.score:.2f})"
             + (f": {safe(lost_to(f, answer), 200)}" if answer is not None else "")
             for f in findings[:MAX_ITEMS]]
    room = SECTION_LIMIT - len(title) - 1
    body = bullets(items, room, what="matches", total=len(findings))
    return Part("other matches", lambda n: () if n else (_heading(title, body),), 2, priority=6)


def gaps(diagnosis: Diagnosis) -> Part | None:
    if not diagnosis.gaps:
        return None
    text = "; ".join(safe(gap, 300) for gap in diagnosis.gaps[:MAX_ITEMS])
    sizes = (CONTEXT_LIMIT - 40, 500)
    return Part("gaps", lambda n: (context(f"⚠️ {messages.COULD_NOT_READ} {clip(text, sizes[n])}"),), len(sizes),
                priority=2)


def notes(texts: Sequence[str]) -> Part | None:
    if not texts:
        return None
    text = "\n".join(safe(note, 500) for note in texts[:MAX_ITEMS])
    sizes = (CONTEXT_LIMIT - 20, 400)
    return Part("notes", lambda n: (context(f"{messages.NOTE} {clip(text, sizes[n])}"),), len(sizes), priority=3)


def _pod_line(row: PodRow) -> str:
    cause = ""
    if row.finding is not None:
        cause = f" — `{row.finding.match.id}` ({row.finding.match.confidence})"
    return f"`{safe(row.pod, 200)}` {safe(row.status, 100)}{cause}"


def pods(diagnosis: Diagnosis) -> Part | None:
    """The unhealthy pods of a namespace or node, worst first, with their top causes."""
    if not diagnosis.pods and not diagnosis.counts:
        return None
    counts = ", ".join(f"{safe(k, 60)} {v}" for k, v in diagnosis.counts[:MAX_ITEMS])
    items = [_pod_line(row) for row in diagnosis.pods[:MAX_ITEMS]]
    sizes = (SECTION_LIMIT, 1000)

    def render(n: int) -> tuple[Block, ...]:
        blocks: list[Block] = []
        if items:
            blocks.append(_heading(messages.PODS, bullets(items, sizes[n] - 40, what="pods",
                                                          total=len(diagnosis.pods))))
        if counts:
            blocks.append(context(clip(counts, sizes[n])))
        return tuple(blocks)

    return Part("pods", render, len(sizes), priority=2)
