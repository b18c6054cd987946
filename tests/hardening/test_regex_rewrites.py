"""The patterns rewritten to read a text in linear time (issue 76) answer as before.

Each old pattern and its rewrite run on 4,000 random texts drawn from the characters that decide
them (short enough that the old one is quick), the way the code calls them: the same text after
`sub`, the same spans (and groups) of every match, or the same yes or no. Where a rewrite bounds
what an unclosed bracket may span, the texts stay within the bound.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from bot.cluster.outputs import (
    alerts,
    describe_cluster,
    describe_containers,
    describe_flat,
    describe_workloads,
    node_services,
    scan,
)
from bot.diagnosis import paste_rows
from bot.slack import events
from intents import fix_slots, normalize, scheduling
from intents.app_cause import reader
from intents.messages import formats, frames
from intents.schema import is_go_stack_frame
from responses.redaction import entropy, lines

Read = Callable[[re.Pattern[str] | object, str], object]
TEXTS = 4_000


def spans(pattern: object, text: str) -> object:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]  # type: ignore[attr-defined]


def whole(pattern: object, text: str) -> object:
    found = pattern.fullmatch(text)  # type: ignore[attr-defined]
    return found and found.groups()


def start(pattern: object, text: str) -> object:
    found = pattern.match(text)  # type: ignore[attr-defined]
    return found and (found.span(), found.groups())


def stripped(pattern: object, text: str) -> object:
    """As `_pieces` reads a clause: stripped first."""
    return start(pattern, text.strip())


def keyed(pattern: object, text: str) -> object:
    """The matches that start a key (a key glued to the end of the match before is none)."""
    return [
        (m.span(), m.groups())
        for m in pattern.finditer(text)  # type: ignore[attr-defined]
        if m.start() == 0 or not re.match(r"[\w./-]", text[m.start() - 1])
    ]


def found(pattern: object, text: str) -> object:
    return pattern.search(text) is not None  # type: ignore[attr-defined]


def replaced(pattern: object, text: str) -> object:
    return pattern.sub("<>", text)  # type: ignore[attr-defined]


CASES: list[tuple[str, str, object, Read, str, int]] = [
    ("escaped newline", r"\\+r?\\+n|\\+n", normalize._ESCAPED_NEWLINE, replaced, "\\rn a", 0),
    ("escaped quote", r"\\+\"", normalize._ESCAPED_QUOTE, replaced, '\\"a', 0),
    ("escaped tab", r"\\+t", normalize._ESCAPED_TAB, replaced, "\\ta", 0),
    (
        "pane border",
        r"[ \t]*[│┃║][ \t]*$",
        normalize._FRAME_RIGHT,
        replaced,
        " \t│║x\n",
        re.MULTILINE,
    ),
    (
        "yaml quote",
        r"^(\s*(?:- )?[A-Za-z_][\w.-]{0,60}: ')(.*)'\s*$",
        normalize._YAML_SINGLE_QUOTED,
        spans,
        " -ab:' ",
        re.MULTILINE,
    ),
    (
        "trace line",
        reader._IN_TRACE.pattern.replace(r"\S[^\s(]*\(", r"\S+\("),
        reader._IN_TRACE,
        start,
        "a( )b.\t",
        0,
    ),
    (
        "flow pair",
        (
            r"(?P<key>[A-Za-z0-9_./-]{1,80}|\"[^\"]{1,80}\")\s*:\s*"
            r"(?P<value>\"[^\"]*\"|'[^']*'|[^,{}\[\]\s][^,{}\[\]]*?)?(?=\s*[,}\]]|\s*$)"
        ),
        fix_slots._FLOW_PAIR,
        spans,
        "a: '\",{}[] ",
        0,
    ),
    (
        "scalar",
        r"^(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<plain>[^\s#'\"][^#]*?))(?:\s+#.*)?$",
        fix_slots._SCALAR,
        start,
        "a '\"# \t",
        0,
    ),
    (
        "format verb",
        r"%([-+# 0]*)(\d*)(?:\.\d+)?([dsvqwtTxX%])",
        formats._VERB,
        spans,
        "%-+ 0.1d",
        0,
    ),
    ("key after", r'\s+"?[\w.-]{1,60}"?\s{0,3}[=:]', frames._KEY_AFTER, start, ' a"=:.', 0),
    (
        "leading count",
        r"^(\d{1,6})\s+(.+)$",
        scheduling._LEADING_COUNT,
        stripped,
        "12 a",
        re.DOTALL,
    ),
    (
        "trailing count",
        r"^(.+?)\s*\((\d{1,6})\)$",
        scheduling._TRAILING_COUNT,
        start,
        "a (1) ",
        re.DOTALL,
    ),
    (
        "condition",
        describe_cluster._CONDITION.pattern.replace(r"(\S++)\s*+", r"(\S+)\s*"),
        describe_cluster._CONDITION,
        start,
        "a Tru <unknow>\t",
        0,
    ),
    (
        "field ref",
        r"^(?:\S.*?\s+)?\(([\w.]+/)?(v\d\w*):([\w.\[\]'/-]+)\)$",
        describe_containers._FIELD_REF,
        start,
        "a (v1:x) ",
        0,
    ),
    ("grpc", r"^<pod>:(\d+)\s*(\S*)", describe_containers._GRPC, start, "<pod>:1 a", 0),
    (
        "count",
        (
            r"(\d+)\s+(desired|updated|total|available|unavailable|current|"
            r"Running|Waiting|Succeeded|Failed)"
        ),
        describe_workloads._COUNT,
        spans,
        "12 total",
        0,
    ),
    (
        "unit",
        r"^(?:Status:\s*)?[\u25cf\u25cb\u00d7*]?\s*([\w@:.\\-]{1,120})\.service(?:\s+-\s+.*)?$",
        node_services._HEADER,
        start,
        "Status: ●a.service-",
        0,
    ),
    (
        "active",
        r"^\s*Active:\s+([a-z-]{1,20})(?:\s+\([^)]*\)){0,3}(?:\s+since\s+(.*?))?\s*$",
        node_services._ACTIVE,
        start,
        "Active: a(since) ",
        0,
    ),
    (
        "hpa target",
        r"(\d+(?:\.\d+)?)([a-zA-Z%]{0,3}) ?/ ?(\d+(?:\.\d+)?)([a-zA-Z%]{0,3})",
        paste_rows._TARGET,
        spans,
        "12./ %a",
        0,
    ),
    (
        "alerts command",
        r"\bamtool\b.*\balerts?\b|/api/v[12]/alerts\b",
        alerts._ALERTS_COMMAND,
        found,
        "amtool alerts\n",
        0,
    ),
    ("mention", r"<@[A-Z0-9]+(?:\|[^>]*)?>", events.MENTION, replaced, "<@U1|a>", 0),
    (
        "term",
        r"([\w./-]+)\s+(in|notin|gt|lt)\s+\[([^\]]*)\]|([\w./-]+)\s+(exists|does not exist)",
        describe_cluster._TERM,
        keyed,
        "a in[] exists",
        0,
    ),
    (
        "name prefix",
        r"[a-z][a-z0-9]{1,15}+-(?:[a-z0-9]{1,15}+-)*+[A-Za-z0-9_]",
        entropy._NAME_PREFIX,
        start,
        "ab1-_",
        0,
    ),
    (
        "flat describe key",
        r"^([A-Za-z0-9][A-Za-z0-9 ()/._-]{0,60}):(?:[ \t]+(.*))?$",
        describe_flat._KEY,
        stripped,
        "Ab1 (/._-): \tx\n",
        0,
    ),
    (
        "scanned key",
        r"^([A-Z][A-Za-z0-9 ()/-]{0,40}):(?:[ \t]+(.*))?$",
        scan._KEY,
        stripped,
        "Ab1 (/-): \tx\n",
        0,
    ),
]


def draw(chance: random.Random, alphabet: str) -> str:
    pieces = [
        *alphabet,
        "in ",
        "total ",
        "exists",
        "alerts",
        "amtool ",
        "since ",
        "True ",
        "Active: ",
        "Status: ",
        ".service",
        "<pod>:",
        "<@U1",
        "eyJ",
        "(v1:a/b)",
        "Ab:",
        "ab-",
    ]
    return "".join(
        chance.choice(pieces if chance.random() < 0.2 else alphabet)
        for _ in range(chance.randint(0, 24))
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "read", "alphabet", "flags"), CASES, ids=[case[0] for case in CASES]
)
def test_the_rewrite_reads_as_the_old_pattern_did(
    name: str, old: str, new: object, read: Read, alphabet: str, flags: int
) -> None:
    before = re.compile(old, flags)
    chance = random.Random(name)
    for _ in range(TEXTS):
        text = draw(chance, alphabet)
        assert read(new, text) == read(before, text), (name, text)


def test_the_fix_config_reads_as_before_but_for_a_key_with_trailing_spaces() -> None:
    """A value-less key followed by spaces now opens a mapping like one without them (it read as an
    empty value before: `limits:  ` then `memory: 1Gi` lost its parent)."""
    old = re.compile(
        r"^(?P<indent>[ \t]*)(?P<dash>-[ \t]+)?(?P<key>\"[^\"\n]{1,80}\"|[A-Za-z0-9_./-]{1,80}):"
        r"(?:[ \t]+(?P<value>[^\n]*?))?[ \t]*$",
        re.MULTILINE,
    )
    chance = random.Random("config")
    for _ in range(TEXTS):
        text = draw(chance, "ab: -\t\n'\"x")
        for was, now in zip(old.finditer(text), fix_slots._LINE.finditer(text), strict=True):
            assert was.span() == now.span(), text
            assert (was["value"] or None) == now["value"], text


def test_a_go_frame_is_told_as_before() -> None:
    old = re.compile(r"^\s*[\w.-]+(?:/[\w.-]+)+\.(?:\(\*?\w+\)\.)?[\w.]+(?:\(.*\))?\s*$")
    chance = random.Random("go")
    alphabet = [*"ab.-/(*) ", "(*T).", "a/b", ".Run", "(x)"]
    for _ in range(20_000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 14)))
        assert is_go_stack_frame(text) == bool(old.match(text)), text


def test_a_jwt_cut_at_a_line_end_is_found_where_it_was() -> None:
    old = re.compile(r"eyJ[A-Za-z0-9_-]{4,}+\.(?:eyJ[A-Za-z0-9_-]{4,}+\.?)?[\\ \t]*+\r?$")
    chance = random.Random("jwt")
    for _ in range(TEXTS):
        text = "".join(chance.choice(["eyJ", "abcd", ".", " ", "-", "x=", "\\"]) for _ in range(12))
        was, now = old.search(text), lines._JWT_CUT.search(text)
        assert (was and was.span()) == (now and now.span("jwt")), text
