"""Small readers shared by the paste parsers: command lines typed in a paste, tokens.

A table's cells and an age are read by the one table reader (bot/cluster/outputs/table.py,
ages.py). Every regex here is linear: no nested quantifiers.
"""

from __future__ import annotations

from intents.lazy_re import lazy_compile

MAX_LINE_CHARS = 4000
"""A longer line is cut before any parser looks at it."""

# a prompt may open with a conda or virtualenv name: "(base) user@host:~$ kubectl ..."
_PROMPT = lazy_compile(
    r"^\s*(?:\([\w.-]{1,40}\)\s{1,3})?(?:\S{0,80}[$#%>❯]\s*)?(?:sudo\s+)?(?:kubectl|k|oc|helm|microk8s\s+kubectl|k3s\s+kubectl)"
    r"(?:\s|$)"
)
READY_FRACTION = lazy_compile(r"^(\d{1,6})/(\d{1,6})$")
"""A READY cell (`1/2`): ready of wanted."""
_SPACE_RUN = lazy_compile(r"\S+")


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


def tokens(line: str) -> list[str]:
    """Whitespace-separated words of a (bounded) line."""
    return _SPACE_RUN.findall(line[:MAX_LINE_CHARS])
