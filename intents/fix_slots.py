"""Where a fix holds a value of the reader's: the slots of a config and of a command.

A fix's config and command are read here for the places a value of one system belongs: a
config's `namespace:`, a binding's subject, a claim, a toleration, a Service's ports, a
resource request; a command's `-n`, the object a kubectl command acts on, the quantity it sets.
Each slot comes with its position, so a literal found in one can be replaced by the placeholder
that asks for it (intents.fix_values). Read line by line, without a YAML parser: a config may be
an excerpt, and the positions must be the text's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    """A value in a place that names one system's own object or size."""

    key: str
    """The field (`requests.cpu`, `subjects.name`, `-n`, `kubectl get svc`)."""
    parent: str
    """The key above it in a config ("" in a command)."""
    value: str
    start: int
    end: int


_LINE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<key>\"[^\"\n]{1,80}\"|[A-Za-z0-9_./-]{1,80}):"
    r"(?:[ \t]++(?P<value>(?:[ \t]*+[^ \t\n]++)++))?[ \t]*$",  # words to the last, each read once
    re.MULTILINE,
)
_SCALAR = re.compile(
    r"^(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<plain>[^\s#'\"](?:[^#\s]++|\s++(?!#))*+))"
    r"(?:\s+#.*)?$"  # a plain scalar: words and the spaces between, up to a comment's
)
_FLOW_PAIR = re.compile(
    r"(?P<key>[A-Za-z0-9_./-]{1,80}|\"[^\"]{1,80}\")\s*:\s*"
    r"(?P<value>\"[^\"]*\"|'[^']*'|[^,{}\[\]\s](?:[^,{}\[\]\s]++|\s++(?![,}\]]|$))*+)?"
    r"(?=\s*[,}\]]|\s*$)"  # a plain value: words and the spaces between, each read once
)


def _scalar_slot(key: str, parent: str, value: str, at: int) -> Iterator[Slot]:
    """A `key: scalar`'s value (quoted or plain; `at`: where the value starts)."""
    scalar = _SCALAR.match(value)
    if scalar is not None:
        group = next(name for name in ("dq", "sq", "plain") if scalar.group(name) is not None)
        yield Slot(
            key, parent, scalar.group(group), at + scalar.start(group), at + scalar.end(group)
        )


def config_slots(config: str) -> Iterator[Slot]:
    """Every `key: scalar` of a YAML config (block or flow style) with the key above it."""
    stack: list[tuple[int, str]] = []
    for line in _LINE.finditer(config):
        column = len(line.group("indent")) + len(line.group("dash") or "")
        while stack and stack[-1][0] >= column:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        key = line.group("key").strip('"')
        value = line.group("value")
        if value is None or value.startswith(("|", ">", "&", "*")):
            stack.append((column, key))
            continue
        if value.startswith(("{", "[")):
            yield from _flow_slots(value, line.start("value"), key)
            continue
        yield from _scalar_slot(key, parent, value, line.start("value"))


def _flow_slots(text: str, offset: int, parent: str) -> Iterator[Slot]:
    """`{name: x, namespace: y}` and `[{kind: A, name: b}]`: each pair under the nearest key that
    opened a mapping or list around it."""
    opened: list[str] = [parent]
    last_key = parent
    position = 0
    for pair in _FLOW_PAIR.finditer(text):
        for char in text[position : pair.start()]:
            if char in "{[":
                opened.append(last_key)
            elif char in "}]" and len(opened) > 1:
                opened.pop()
        position = pair.end()
        key = pair.group("key").strip('"')
        last_key = key
        raw = pair.group("value")
        if raw is None:
            continue
        quoted = raw[:1] in ("'", '"')
        value = raw[1:-1] if quoted else raw
        start = offset + pair.start("value") + (1 if quoted else 0)
        yield Slot(key, opened[-1], value, start, start + len(value))


_SEGMENT = re.compile(r"[^|;&\n`$()]+")
_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|[^\s'\"]+")
_TOOL = re.compile(r"^(?:sudo|kubectl|helm|oc)$")
_VALUED = frozenset(
    {"-n", "--namespace", "-l", "--selector", "-o", "--output", "-c", "--container", "-p",
     "--patch", "--type", "-f", "--filename", "--context", "--field-selector", "--sort-by",
     "--tail", "--since", "--timeout", "-L", "--label-columns", "--image", "--restart",
     "--for", "--kubeconfig", "--as", "--replicas", "--grace-period", "--raw"}
)  # fmt: skip
"""Flags whose value is the next word (never the object a command names)."""
NAMED_VERBS = frozenset(
    {"get", "describe", "delete", "edit", "patch", "scale", "label", "annotate", "taint", "top"}
)
"""kubectl verbs written `VERB KIND NAME` (or `VERB KIND/NAME`)."""
SUB_VERBS = frozenset({"rollout", "set"})
"""kubectl verbs whose own verb comes first (`rollout restart KIND NAME`, `set image KIND/NAME`)."""
NODE_VERBS = frozenset({"cordon", "uncordon", "drain"})
POD_VERBS = frozenset({"logs", "exec", "port-forward", "attach"})
"""kubectl verbs written `VERB NAME` (a node, or a pod unless `KIND/NAME`)."""
_QUANTITY_FLAG = re.compile(
    r"(?<![\w.-])(?P<key>cpu|memory|ephemeral-storage|storage)=(?P<value>\d[\w.]*)"
)
_QUANTITY_JSON = re.compile(
    r"\"(?P<key>cpu|memory|ephemeral-storage|storage|proxy-body-size)\"\s*:\s*\"(?P<value>[^\"]*)\""
)

_ROLE = re.compile(r"\b(requests|limits)\b")
"""The word before a command's quantity that says what it sets (`--limits=cpu=2`)."""


def _tokens(segment: re.Match[str]) -> list[tuple[str, int]]:
    """A command's tokens and where each starts in the text, past a leading `sudo` or `env`."""
    tokens = [(t.group(0), t.start() + segment.start()) for t in _TOKEN.finditer(segment.group(0))]
    while tokens and tokens[0][0] in ("sudo", "env"):
        tokens = tokens[1:]
    return tokens


def command_slots(command: str) -> Iterator[Slot]:
    """The namespace, the object and the quantities of every kubectl (or helm) command."""
    for segment in _SEGMENT.finditer(command):
        tokens = _tokens(segment)
        if tokens and _TOOL.match(tokens[0][0]):
            yield from _tool_slots(tokens)
    for pattern in (_QUANTITY_FLAG, _QUANTITY_JSON):
        for found in pattern.finditer(command):
            role = _ROLE.findall(command[max(0, found.start() - 60) : found.start()])
            parent = role[-1] if role else ""
            yield Slot(found.group("key"), parent, found.group("value"), *found.span("value"))


def _tool_slots(tokens: list[tuple[str, int]]) -> Iterator[Slot]:
    """`-n NAME` and the object of one command's words (up to a ` -- ` that runs another)."""
    words: list[tuple[str, int]] = []
    skip = False
    for word, start in tokens[1:]:
        if word == "--":
            break
        if skip:
            skip = False
            if words and words[-1][0] in ("-n", "--namespace"):
                yield Slot("-n", "", word, start, start + len(word))
            words.append((word, start))
            continue
        flag, equals, value = word.partition("=")
        if flag in ("-n", "--namespace") and equals:
            yield Slot("-n", "", value, start + len(flag) + 1, start + len(word))
        elif word.startswith("-n") and len(word) > 2 and not word.startswith("--"):
            yield Slot("-n", "", word[2:], start + 2, start + len(word))
        skip = word in _VALUED
        words.append((word, start))
    if tokens[0][0] == "kubectl":
        yield from _object_slot([(w, s) for w, s in _positional(words)])


def _positional(words: list[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """The words that are not flags or a flag's value."""
    skip = False
    for word, start in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in _VALUED
            continue
        yield word, start


def _verb(words: list[tuple[str, int]]) -> tuple[str | None, list[tuple[str, int]]]:
    """A kubectl command's verb (`rollout restart`: with its sub-verb) that names an object, and
    the words after it; None when the verb names none."""
    verb, rest = words[0][0], words[1:]
    if verb in SUB_VERBS and rest:
        return f"{verb} {rest[0][0]}", rest[1:]
    if verb not in NAMED_VERBS | NODE_VERBS | POD_VERBS:
        return None, rest
    return verb, rest


def _object_slot(words: list[tuple[str, int]]) -> Iterator[Slot]:
    """The object a kubectl command names: `VERB KIND NAME`, `VERB KIND/NAME` or `VERB NAME`."""
    if not words:
        return
    verb, rest = _verb(words)
    if verb is None or not rest:
        return
    word, start = rest[0]
    kind, slash, name = word.partition("/")
    if slash:
        yield Slot(f"kubectl {verb}", kind, name, start + len(kind) + 1, start + len(word))
    elif verb in NODE_VERBS:
        yield Slot(f"kubectl {verb}", "node", word, start, start + len(word))
    elif verb in POD_VERBS:
        yield Slot(f"kubectl {verb}", "pod", word, start, start + len(word))
    elif len(rest) > 1 and "," not in kind:
        name, at = rest[1]
        yield Slot(f"kubectl {verb}", kind, name, at, at + len(name))
