"""Small readers shared by the paste parsers: ages, prompts, table columns.

kubectl pads its tables with spaces, so when a paste keeps its whitespace
every cell starts under its header; Slack often collapses the runs of
spaces, and then only the order of the tokens is left.  `columns` and
`cells` handle the first case; the shape parsers fall back to tokens.
Every regex here is linear: no nested quantifiers.
"""

from __future__ import annotations

from intents.lazy_re import lazy_compile

MAX_LINE_CHARS = 4000
"""A longer line is cut before any parser looks at it."""

_AGE = lazy_compile(r"^(?:\d{1,6}[smhdy]){1,4}$")
_AGE_PART = lazy_compile(r"(\d{1,6})([smhdy])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 365 * 86400}
# a prompt may open with a conda or virtualenv name: "(base) user@host:~$ kubectl ..."
_PROMPT = lazy_compile(
    r"^\s*(?:\([\w.-]{1,40}\)\s{1,3})?(?:\S{0,80}[$#%>❯]\s*)?(?:sudo\s+)?(?:kubectl|k|oc|helm|microk8s\s+kubectl|k3s\s+kubectl)"
    r"(?:\s|$)"
)
_COUNT = lazy_compile(r"^\(x(\d{1,9})$")
READY_FRACTION = lazy_compile(r"^(\d{1,6})/(\d{1,6})$")
"""A READY cell (`1/2`): ready of wanted."""
_SPACE_RUN = lazy_compile(r"\S+")
_HEADER_CELL = lazy_compile(r"\S+(?: \S+)*")


def age_seconds(text: str) -> int | None:
    """kubectl's human age ("45s", "3m12s", "5d3h", "2y") in seconds; None for anything else."""
    if not _AGE.match(text):
        return None
    return sum(int(n) * _UNIT_SECONDS[unit] for n, unit in _AGE_PART.findall(text))


def is_age(text: str) -> bool:
    return text in ("<unknown>", "<invalid>") or _AGE.match(text) is not None


_COMMAND_WORDS = ("kubectl", "helm", "k ", "oc ", "k3s", "microk8s")


def is_command(line: str) -> bool:
    """A shell line running kubectl/helm (with or without a prompt)."""
    return any(word in line for word in _COMMAND_WORDS) and _PROMPT.match(line) is not None


_SAID = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "shows",
        "showed",
        "showing",
        "returns",
        "returned",
        "gives",
        "gave",
        "says",
        "said",
        "prints",
        "printed",
        "but",
        "and",
        "then",
        "the",
        "with",
        "error",
        "errors",
        "fails",
        "failed",
        "failing",
        "still",
        "not",
        "doesn't",
        "can't",
        "cannot",
        "i",
        "it",
        "this",
        "that",
        "when",
        "which",
        "keeps",
        "gets",
        "got",
    }
)
"""Words a sentence about a command has and the command's own arguments do not."""


def is_typed_command(line: str) -> bool:
    """A kubectl/helm command line as someone typed it, arguments only ("kubectl taint node w1
    key:NoSchedule-"): what was run, not what happened, so no failure is read from its words.
    A sentence that starts with the command ("kubectl get pods shows CrashLoopBackOff") is not one."""
    if not is_command(line):
        return False
    words = line.casefold().split()
    return not any(word.strip(",.:;!?()") in _SAID for word in words[2:])


def without_typed_commands(text: str) -> str:
    """The text with every typed command line emptied (line numbers kept)."""
    if "kubectl" not in text and "helm" not in text and "oc " not in text and "k " not in text:
        return text
    return "\n".join(
        "" if is_typed_command(line.strip().strip("`")) else line for line in text.split("\n")
    )


def interval(tokens: list[str], start: int) -> tuple[int, int]:
    """Read an event age at `start` ("3m" or "3m (x5 over 10m)"): (count, next index)."""
    if start >= len(tokens) or not is_age(tokens[start]):
        return 0, start
    found = _COUNT.match(tokens[start + 1]) if start + 1 < len(tokens) else None
    if found and start + 3 < len(tokens) and tokens[start + 2] == "over":
        return int(found.group(1)), start + 4
    return 1, start + 1


def columns(header: str) -> list[tuple[str, int]] | None:
    """(name, start offset) of each header cell, when cells are separated by 2+ spaces."""
    found = [(match.group(0), match.start()) for match in _HEADER_CELL.finditer(header)]
    return found if len(found) >= 2 else None


def cells(row: str, layout: list[tuple[str, int]]) -> dict[str, str] | None:
    """The row cut at the header's offsets; None when a cut falls inside a word."""
    values: dict[str, str] = {}
    for number, (name, start) in enumerate(layout):
        if start > 0 and start <= len(row) and row[start - 1] != " ":
            return None
        end = layout[number + 1][1] if number + 1 < len(layout) else len(row)
        values[name] = row[start:end].strip()
    return values


def tokens(line: str) -> list[str]:
    """Whitespace-separated words of a (bounded) line."""
    return _SPACE_RUN.findall(line[:MAX_LINE_CHARS])


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
