"""The AnswerView's parts as Block Kit: the first screen, and the details a click posts.

Each part is a `Part` in levels (block_parts), so block_kit's assembler can shrink
the least important ones to fit Slack's limits. The first screen holds the cause,
at most two facts, the one fix step with its command and the why line, about a
dozen lines; everything else is a details part, posted in the thread when
someone clicks "Details". Every text is made safe (redacted, escaped, clipped) here.
"""

from __future__ import annotations

from collections.abc import Sequence

from responses import messages
from responses.answer_view import AnswerView, Details, PodLine, Problem, ProblemDetails, Rival, Step
from responses.block_parts import (
    CONTEXT_LIMIT,
    MAX_ITEMS,
    SECTION_LIMIT,
    Block,
    Part,
    context,
    divider,
    fixed,
    header,
    section,
)
from responses.mrkdwn import bullets, clip, code_block, inline_code, link, safe

MAX_FIX_SECTIONS = 6
MAX_MATCHED_LINES = 3
MATCHED_LINE_LIMIT = 200
SHORT_FACT = 300


def where(view: AnswerView) -> list[str]:
    """Context elements naming the subject and the cluster."""
    texts = [safe(view.subject, 300)]
    if view.cluster:
        texts.append(messages.cluster(safe(view.cluster, 200)))
    return texts


def _heading(title: str, body: str) -> Block:
    return section(f"{title}\n{clip(body, SECTION_LIMIT - len(title) - 1)}")


def _step(step: Step, code_limit: int, *, whole: bool = True, lead: str | None = None) -> str:
    """One step, numbered (or after `lead`); its command and config share `code_limit`; a long one only
    named unless `whole`."""
    blocks = step.blocks(whole=whole)
    text = f"{lead if lead is not None else f'{step.number}.'} {safe(step.text, 600)}"
    for kind, block in blocks:
        text += "\n" + (
            code_block(block, code_limit // len(blocks))
            if block
            else messages.code_in_details(kind)
        )
    return text


def head(problem: Problem, view: AnswerView, *, as_header: bool = True) -> Part:
    """Title, then confidence, catalog id, subject and cluster, then why this answer."""
    marked = f"{messages.PROBLEM_MARK} {problem.title}"
    title = header(marked) if as_header else section(f"*{safe(marked, 300)}*")
    origin = [safe(problem.origin, 200)] if problem.origin else []
    meta = context(
        messages.confidence(problem.confidence), f"`{problem.id}`", *origin, *where(view)
    )
    reason = context(messages.why_this_answer(safe(problem.why, 400)))
    chain = (section(safe(problem.chain, 500)),) if problem.chain else ()
    return fixed(title, meta, reason, *chain)


def facts(problem: Problem) -> Part | None:
    """The confirming facts on the first screen (at most two, one line each)."""
    if not problem.facts:
        return None
    if len(problem.facts) == 1:
        return fixed(section(f"{messages.CONFIRMED_BY}: {safe(problem.facts[0], SHORT_FACT)}"))
    lines = "\n".join(f"• {safe(fact, SHORT_FACT)}" for fact in problem.facts)
    return fixed(_heading(f"{messages.CONFIRMED_BY}:", lines))


def fix(problem: Problem) -> Part | None:
    """The one step that fits this case, with its command, and the figures the facts gave for it."""
    if problem.fix is None:
        return None
    step, label = problem.fix, messages.NEXT if problem.fix_looks else messages.FIX
    observed = (
        (context(messages.observed(safe("; ".join(problem.observed), 500))),)
        if problem.observed
        else ()
    )
    sizes = (1500, 300)
    return Part(
        "fix",
        lambda n: (section(_step(step, sizes[n], whole=False, lead=f"{label}:")), *observed),
        len(sizes),
        priority=1,
    )


def another(problem: Problem, number: int, total: int) -> list[Part]:
    """A further independent problem, in brief: its title, catalog id and fix (the rest in the details)."""
    title = (
        f"{messages.another_problem(number, total)}\n{messages.PROBLEM_MARK} "
        f"*{safe(problem.title, 300)}* (`{problem.id}`, "
        f"{messages.confidence(problem.confidence)}"
        + (f", {safe(problem.origin, 200)})" if problem.origin else ")")
    )
    return [fixed(divider(), section(title)), *[p for p in (fix(problem),) if p is not None]]


def rivals(items: Sequence[Rival], title: str, *, priority: int = 6) -> Part | None:
    """Other readings, each with its reason (why it is shown, why it is not the answer)."""
    if not items:
        return None
    lines = [
        f"`{r.id}` {safe(r.title, 150)} — {messages.confidence(r.confidence)} ({r.score:.2f})"
        + (f": {safe(r.reason, 250)}" if r.reason else "")
        for r in items[:MAX_ITEMS]
    ]
    body = bullets(lines, SECTION_LIMIT - len(title) - 1, what="matches", total=len(items))
    return Part(
        "other matches", lambda n: () if n else (_heading(title, body),), 2, priority=priority
    )


def notes(texts: Sequence[str], *, label: str = messages.NOTE, priority: int = 3) -> Part | None:
    if not texts:
        return None
    text = "\n".join(safe(note, 500) for note in texts[:MAX_ITEMS])
    sizes = (CONTEXT_LIMIT - 40, 400)
    return Part(
        "notes",
        lambda n: (context(f"{label} {clip(text, sizes[n])}"),),
        len(sizes),
        priority=priority,
    )


def _pod_line(row: PodLine) -> str:
    cause = f" — `{row.cause}` ({row.confidence})" if row.cause is not None else ""
    return f"`{safe(row.pod, 200)}` {safe(row.status, 100)}{cause}"


def pods(
    rows: Sequence[PodLine],
    counts: Sequence[tuple[str, int]] = (),
    *,
    more: int = 0,
    title: str = messages.PODS,
) -> Part | None:
    """Pods of a namespace or node, worst first, with their top causes; `more` are counted only."""
    if not rows and not counts:
        return None
    counted = ", ".join(f"{safe(k, 60)} {v}" for k, v in counts[:MAX_ITEMS])
    items = [_pod_line(row) for row in rows[:MAX_ITEMS]]
    sizes = (SECTION_LIMIT, 1000)

    def render(n: int) -> tuple[Block, ...]:
        listed = bullets(items, sizes[n] - 40, what="pods", total=len(rows) + more)
        blocks = [_heading(title, listed)] if items else []
        return (*blocks, *((context(clip(counted, sizes[n])),) if counted else ()))

    return Part("pods", render, len(sizes), priority=2)


# ---------------------------------------------------------------- the details a click posts
def root_cause(problem: ProblemDetails, *, named: bool) -> Part:
    title = f"{messages.ROOT_CAUSE} — {safe(problem.title, 200)}" if named else messages.ROOT_CAUSE
    sizes = (SECTION_LIMIT, 800)
    return Part(
        "root cause",
        lambda n: (_heading(title, safe(problem.root_cause, sizes[n])),),
        len(sizes),
        priority=1,
    )


def all_facts(problem: ProblemDetails) -> Part | None:
    if len(problem.facts) < 2:
        return None
    shown = [safe(item, 500) for item in problem.facts[:MAX_ITEMS]]
    sizes = (SECTION_LIMIT, 800)
    room = SECTION_LIMIT - len(messages.CONFIRMED_BY) - 1
    return Part(
        "evidence",
        lambda n: (
            _heading(
                messages.CONFIRMED_BY,
                bullets(shown, min(sizes[n], room), what="facts", total=len(problem.facts)),
            ),
        ),
        len(sizes),
        priority=2,
    )


def _pack(chunks: Sequence[str], *, title: str, total: int, sections: int, what: str) -> list[str]:
    """Chunks under a heading in at most `sections` texts; what is left out is counted."""
    limit = SECTION_LIMIT - 60  # room for the "…and N more" line
    texts = [title]
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


def steps(problem: ProblemDetails) -> Part | None:
    """The fix in full (when the first screen left out a long config), then every other step."""
    whole = [problem.fix] if problem.fix is not None and problem.fix.long_code else []
    listed = [*whole, *problem.steps]
    if not listed:
        return None
    shapes = ((1500, MAX_FIX_SECTIONS), (300, 1))

    def render(n: int) -> tuple[Block, ...]:
        code_limit, count = shapes[n]
        chunks = [_step(step, code_limit) for step in listed[:30]]
        return tuple(
            section(text)
            for text in _pack(
                chunks, title=messages.OTHER_STEPS, total=len(listed), sections=count, what="steps"
            )
        )

    return Part("fix steps", render, len(shapes), priority=3)


def links(problem: ProblemDetails) -> Part | None:
    if not problem.links:
        return None
    items = [link(item.url, item.title) for item in problem.links[:5]]
    counts = (5, 2)
    return Part(
        "links",
        lambda n: (
            _heading(
                messages.LINKS,
                bullets(
                    items[: counts[n]], SECTION_LIMIT - 20, what="links", total=len(problem.links)
                ),
            ),
        ),
        len(counts),
        priority=4,
    )


def matched(problem: ProblemDetails) -> Part | None:
    """The lines that matched and their scores, so people can judge the match."""
    if not problem.matched:
        return None
    lines = [
        f"{inline_code(line.line, MATCHED_LINE_LIMIT)} ({messages.score(line.score)})"
        for line in problem.matched[:MAX_MATCHED_LINES]
    ]
    if len(problem.matched) > MAX_MATCHED_LINES:
        lines.append(messages.more_items(len(problem.matched) - MAX_MATCHED_LINES, "lines"))
    title = f"{messages.WHY} — {messages.score(problem.score)}"
    if problem.text_score is not None and abs(problem.text_score - problem.score) > 0.005:
        title += f" ({messages.text_score(problem.text_score)})"
    return Part(
        "matched lines",
        lambda n: () if n else (section("\n".join([title, *lines])),),
        2,
        priority=5,
    )


def details_parts(details: Details) -> list[Part]:
    """Every folded part, in the order a reader wants them."""
    named = len(details.problems) > 1
    parts: list[Part | None] = []
    for problem in details.problems:
        parts += [
            root_cause(problem, named=named),
            all_facts(problem),
            steps(problem),
            links(problem),
            matched(problem),
        ]
    parts += [
        pods(details.pods, title=messages.MORE_PODS),
        rivals(details.others, messages.OTHERS),
        notes(details.unread, label=f"⚠️ {messages.COULD_NOT_READ}", priority=2),
        notes(details.notes),
    ]
    return [part for part in parts if part is not None]
