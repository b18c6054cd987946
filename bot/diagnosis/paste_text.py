"""The words of a paste that are no observation: commands typed, clauses that do not report.

A kubectl/helm command line is what someone ran, not what happened: its words ("kubectl delete
pod ... --force") are never read as a failure. People also name failures they do not have: in a
condition on a state the object may reach ("we should check if the pod goes into
CrashLoopBackOff and if so, print its logs", "in case the node runs out of disk") or a denial
("the pod exited 0, so it bypassed CrashLoopBackOff", "to avoid OOM kills we raised the
limit"). The failure word in such a clause is no observation, so the matcher does not read it.

Only sentences someone wrote are touched: a line a component printed (a log line stamped to the
second, a line a message format reads, a table row with its aligned columns) keeps every word,
and "if" in a component's message ("if you choose to ignore these errors, turn validation off")
stays read. The clause runs to the next comma, colon, semicolon or sentence end. Every regex
here is linear: no nested quantifiers.
"""

from __future__ import annotations

import re

from bot.cluster.outputs.commands import typed_command
from intents.lazy_re import lazy_compile
from intents.messages.reader import MessageGrammar
from intents.policy import POLICY


def is_command(line: str) -> bool:
    """A shell line running kubectl/helm (with or without a prompt): the one reader's."""
    return typed_command(line) is not None


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


_CONDITION = lazy_compile(
    r"\b(?:if|whether|in case|unless) (?:the |a |my |your |any |our |some )?(?:pods?|containers?|nodes?|it|they)"
    r" (?:ever )?(?:(?:goes|go|gets|get|enters|enter|ends up|end up|falls|fall|runs|run) (?:into|in|to|out of)"
    r"|becomes|become|turns|turn|went)\b"
    r"[^,;:.!?\n]{0,80}",
    flags=re.IGNORECASE,
)
"""A condition on a state the object may reach ("if the pod goes into CrashLoopBackOff"), not one it is in:
"if" also opens real reports ("If I set 256Mi, the pod is OOMKilled", "I wonder if it is related: my
pod is in CrashLoopBackOff"), so only a state change supposed in the condition itself is blanked."""
_DENIAL = lazy_compile(
    r"\b(?:bypass(?:es|ed|ing)?|avoid(?:s|ed|ing)?|prevent(?:s|ed|ing)?|without|instead of|rather than)\b"
    r"[^,;:.!?\n]{0,80}",
    flags=re.IGNORECASE,
)
_KEPT_FROM = lazy_compile(
    r"^prevent\w*\b[^,;:.!?\n]{0,40}?\bfrom (?:running|starting|being (?:scheduled|created|started)|scheduling"
    r"|working|booting|joining|mounting|pulling|connecting|becoming ready|getting ready)\b",
    flags=re.IGNORECASE,
)
"""Something kept from working ("the taint prevents any pods from running") is the failure reported,
not one avoided."""
_LOGGED = lazy_compile(r"\d\d:\d\d:\d\d|\[\s{0,8}\d{1,10}\.\d{6}\]")
"""A clock time, or the kernel's seconds-since-boot stamp ("[40743.903412]", dmesg)."""
_WORD = lazy_compile(r"[A-Za-z]{2,}")
_HINT = (
    "if",
    "whether",
    "case",
    "unless",
    "bypass",
    "avoid",
    "prevent",
    "without",
    "instead",
    "rather",
)


def without_unsaid_clauses(text: str) -> str:
    """The text with each conditional or denied clause of a written sentence blanked (same length)."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINT):
        return text
    return "\n".join(_said_only(line) for line in text.split("\n"))


def _said_only(line: str) -> str:
    if not _written(line):
        return line
    blanked = _CONDITION.sub(_blank, line)
    return _DENIAL.sub(_blank_denial, blanked)


def _written(line: str) -> bool:
    lowered = line.lower()
    return any(hint in lowered for hint in _HINT) and written_sentence(line)


def written_sentence(line: str) -> bool:
    """A sentence someone wrote: words in single spaces, no time stamp, not a component's message."""
    stripped = line.strip()
    if (
        "  " in stripped
        or _LOGGED.search(stripped)
        or len(_WORD.findall(stripped)) < POLICY.sentence_min_words
    ):
        return False
    return MessageGrammar.default().read(stripped) is None


def printed_line(line: str) -> bool:
    """A line long enough to be a message that is no sentence someone wrote: a component printed it."""
    return len(_WORD.findall(line)) >= POLICY.sentence_min_words and not written_sentence(line)


def _blank(found: re.Match[str]) -> str:
    return " " * len(found.group(0))


def _blank_denial(found: re.Match[str]) -> str:
    return found.group(0) if _KEPT_FROM.match(found.group(0)) else _blank(found)
