"""The last look at an object is its state: rows a later snapshot of the same table shows settled.

`kubectl get nodes` run again and again during an upgrade, or `kubectl get pods -w`, shows
each object several times.  A node `Ready,SchedulingDisabled` or `NotReady` in one snapshot
and plain `Ready` in a later one was drained and came back; a pod `ContainerCreating` or
`ErrImagePull` that a later row shows Running, every container ready and never restarted,
got past it.  Such an earlier row is history, as a probe failure during a steady pod's
start is (bot.paste.ready_since).

A later snapshot counts only when nothing but commands, prompts and blank lines stands
between the tables: words in between ("after I fixed the image, ...") make the earlier
table the problem being told, not a passing state.  A pod that restarted since is never
settled (its later row shows restarts), so a crash loop between two looks stays a failure.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.paste.model import Block, PastedFacts, Subject
from bot.paste.reading import AfterReading
from bot.paste.table_model import TableBlock
from bot.paste.text import is_command
from intents.facts.model import NodeFacts, PodFacts
from intents.lazy_re import lazy_compile

_BETWEEN = lazy_compile(r"^\s*(?:$|`{3}|~{3}|[$#>%]\s|\[[^\]]{1,80}\][$#]|[\w.@:~/-]{1,80}[$#]\s)")
"""A line that may stand between two snapshots: blank, a code fence, or a shell prompt."""


def forget_recovered(lines: Sequence[str], blocks: Sequence[Block]) -> None:
    """Drop the failing node and pod rows that a later snapshot shows settled."""
    runs = _snapshot_runs(lines, [b for b in blocks if isinstance(b, TableBlock)])
    for run in runs:
        settled_at: dict[str, int] = {}
        for block in run:
            for line, name in block.settled_rows:
                settled_at[name] = max(settled_at.get(name, -1), line)
        for block in run:
            _drop_settled(block, settled_at)


def _snapshot_runs(lines: Sequence[str], tables: list[TableBlock]) -> list[list[TableBlock]]:
    """Tables of one kind that follow each other with only commands or prompts in between."""
    runs: list[list[TableBlock]] = []
    for table in tables:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and last.shape == table.shape
            and _only_commands(lines[last.end : table.start])
        ):
            runs[-1].append(table)
        else:
            runs.append([table])
    return runs


def _only_commands(between: Sequence[str]) -> bool:
    return all(is_command(line) or _BETWEEN.match(line) for line in between)


def _drop_settled(block: TableBlock, settled_at: dict[str, int]) -> None:
    block.forget_rows(
        {
            line
            for line, subject in zip(block.subject_lines, block.object_subjects, strict=True)
            if not subject.healthy
            and (name := _object_name(subject)) is not None
            and settled_at.get(name, -1) > line
        }
    )


def _object_name(subject: Subject) -> str | None:
    if isinstance(subject.facts, (NodeFacts, PodFacts)):
        return subject.facts.name
    return None


def forget_recovered_rows(facts: PastedFacts) -> None:
    forget_recovered(facts.lines, facts.blocks)


FORGET_RECOVERED = AfterReading(
    "later snapshots", forget_recovered_rows, "tables of one kind pasted one after another"
)
