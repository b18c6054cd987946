"""Message formats Kubernetes components really print, as data (intents/messages/data/*.yaml).

Each format is the component's own format string ("node(s) had untolerated
taint {%s: %s}", "Failed to pull image %q: %v"), where it comes from
(repository, file, the releases that print it: see bench/message_formats.py)
and what it means: a catalog entry id, `not-a-problem` (normal operation),
`uncovered` (a real problem no entry explains yet) or `symptom` (a failure
whose cause is stated elsewhere).  `by_value` refines the
answer on an argument's value (a taint's key, matched by a regex or found one
typing slip from a listed word), and `cause` names the argument
that carries the underlying error (a kubelet "Failed to pull image" wraps the
runtime's reason), which is then read in its turn.

A format compiles to one linear regex: literal text stays literal (runs of
spaces match any spacing, letters any case) and each verb becomes a capture;
RE2 runs it in time linear in the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol, cast

import re2  # google-re2, as intents.regex_engine: linear in the text
from rapidfuzz.distance import OSA

from intents.policy import POLICY
from intents.regex_engine import Regex

DATA = Path(__file__).resolve().parent / "data"
PACKS = Path(__file__).resolve().parents[1] / "catalog" / "packs"
"""Built-in catalog packs (intents.packs): each may hold its component's formats in `messages/`."""
NOT_A_PROBLEM = "not-a-problem"
UNCOVERED = "uncovered"
SYMPTOM = "symptom"
"""A message that says something failed but not why (ImagePullBackOff, FailedCreate): it
answers nothing by itself and leaves its line to the matcher (and its `cause` to be read)."""
FAMILIES = ("message", "scheduler-reason", "scheduler-predicate")
"""`message`: read anywhere in a line.  `scheduler-reason` and `scheduler-predicate`: one
clause of a scheduler message ("3 node(s) had ...", "MatchNodeSelector (3)"), read by
intents.scheduling clause by clause."""

_VERB = re.compile(r"%([-+# 0]*+)(\d*)(?:\.\d+)?([dsvqwtTxX%])")  # flags never give a 0 back
_WORD = re.compile(r"[a-z]{3,}")


TIERS = ("blocker", "placement", "cordoned", "control-plane")
"""What a scheduler clause says about the nodes it names: `blocker`, nodes the pod could
use but something blocks (resources, ports, pressure, a broken node); `placement`, nodes
the pod's own spec rules out (selector, affinity, a volume pinned elsewhere); `cordoned`,
nodes taken out of service; `control-plane`, nodes that never take workloads.  See
intents.scheduling."""


class FormatMatch(Protocol):
    """What the reader uses of a match (RE2's match objects)."""

    def start(self, group: int = 0) -> int: ...
    def end(self, group: int = 0) -> int: ...
    def group(self, group: int = 0) -> str: ...
    def groups(self) -> tuple[str, ...]: ...


class FormatPattern(Protocol):
    """A compiled format (an intents.regex_engine Regex)."""

    pattern: str

    def search(self, text: str) -> FormatMatch | None: ...


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


@dataclass(frozen=True)
class ValueRule:
    """The answer (and scheduler tier) when argument `arg` (1-based) matches `match`, or is one
    slip of the keyboard from a word of `near` (a letter wrong, missing, added or two swapped:
    `pgc` for `pvc`; both at least three letters long, so `vs` is never taken for `cs`)."""

    arg: int
    match: re.Pattern[str] | None
    entry: str
    tier: str = ""
    near: frozenset[str] = frozenset()

    def holds(self, value: str) -> bool:
        """The argument's value meets the rule."""
        if self.match is not None and self.match.search(value):
            return True
        word = value.lower()
        return len(word) >= POLICY.near_min_letters and any(
            len(other) >= POLICY.near_min_letters and OSA.distance(word, other, score_cutoff=1) <= 1
            for other in self.near
        )


@dataclass(frozen=True)
class MessageFormat:
    """One format string a component prints, where it comes from, and what it means."""

    component: str
    family: str
    id: str
    format: str
    source: str
    """`repo:path` of the file that prints it (repo as in bench/message_formats.py)."""
    versions: str
    entry: str
    literals: tuple[str, ...] = ()
    within: str = ""
    by_value: tuple[ValueRule, ...] = ()
    cause: int = 0
    """1-based argument that holds the underlying error (read again), 0 for none."""
    recast: tuple[tuple[str, str], ...] = ()
    """What the cause's answer means inside this wrapper: (answer read in the cause, answer of
    the whole), e.g. a name lookup failing inside an image pull is the registry unreachable (the
    node's resolver, not the cluster DNS pods use)."""
    fill: tuple[str, ...] = ()
    """Plausible argument values, for the test that instantiates every format."""
    nested: bool = False
    """Read only inside another format's `cause` argument (too generic on its own: "%s: not found")."""
    manual: bool = False
    """Version range read by hand (the source is not in a measured snapshot)."""
    tier: str = "blocker"
    """For scheduler clauses: see TIERS."""
    regex: str = field(default="", compare=False, repr=False)
    """The format as a regex (format_regex); `pattern` compiles it."""
    anchor: str = ""

    @cached_property
    def pattern(self) -> FormatPattern:
        """The compiled regex (RE2), on first use: a paste reaches a few formats, and compiling
        all of them at start-up was a third of a short `kubemedic match`."""
        body = f"(?i){self.regex}"
        try:
            return cast(FormatPattern, Regex(body, re2.compile(body, _RE2_OPTIONS)))
        except re2.error as exc:
            raise ValueError(f"format {self.format!r} does not compile: {exc}") from None

    @cached_property
    def needles(self) -> tuple[str, ...]:
        """The words of the format's literal text: a line that lacks one (casefolded) cannot
        match, so its pattern is never compiled for that line."""
        return tuple(dict.fromkeys(_literal_words(self.format)))

    def may_match(self, folded: str) -> bool:
        """Whether a casefolded line holds every literal word (cheap; the pattern decides)."""
        return all(needle in folded for needle in self.needles)

    @property
    def key(self) -> str:
        return f"{self.component}/{self.id}"

    @property
    def repo(self) -> str:
        return self.source.split(":", 1)[0]

    @property
    def path(self) -> str:
        return self.source.split(":", 1)[1]

    def answers(self) -> set[str]:
        """Every answer this format can give (its entry, its value rules' and its recast ones)."""
        return {self.entry} | {rule.entry for rule in self.by_value} | {to for _, to in self.recast}

    def recast_answer(self, inner: str) -> str:
        """The whole line's answer when its cause reads as `inner`."""
        return dict(self.recast).get(inner, inner)

    def answer(self, args: tuple[str, ...]) -> str:
        """The entry for these argument values."""
        rule = self._rule(args)
        return rule.entry if rule is not None else self.entry

    def tier_for(self, args: tuple[str, ...]) -> str:
        """The scheduler tier for these argument values."""
        rule = self._rule(args)
        return rule.tier if rule is not None and rule.tier else self.tier

    def _rule(self, args: tuple[str, ...]) -> ValueRule | None:
        for rule in self.by_value:
            if rule.arg <= len(args) and rule.holds(args[rule.arg - 1].strip("\"'")):
                return rule
        return None


def format_regex(text: str, family: str) -> str:
    """A linear, RE2-compatible regex for one format: literals (any case, any spacing) and
    captures for the verbs; scheduler clauses must match whole."""
    parts: list[str] = []
    last = 0
    verbs = list(_VERB.finditer(text))
    for number, verb in enumerate(verbs):
        final = number == len(verbs) - 1 and verb.end() == len(text)
        literal = _literal(text[last : verb.start()])
        if final and literal.endswith(r"\s+"):
            # an empty last value ("UID in object meta: ") ends a stripped line; otherwise the space
            # stays needed, so a lazy verb before it cannot stop inside a URL ("https://...: 401")
            literal = literal[:-3] + r"(?:\s+|$)"
        parts.append(literal)
        parts.append(_capture(verb.group(3), final=final, leading=verb.start() == 0))
        last = verb.end()
    parts.append(_literal(text[last:]))
    body = "".join(parts)
    if family != "message":
        body = rf"^\s*{body}\s*$"
    return body


def _literal(text: str) -> str:
    """Literal text: any case, any run of spaces (none needed after a comma)."""
    text = text.replace("%%", "%")
    if not text.strip():
        return r"\s*" if text else ""
    pieces = re.split(r"\s+", text)
    out = re.escape(pieces[0])
    for before, piece in pairwise(pieces):
        out += (r"\s*" if before.endswith(",") else r"\s+") + re.escape(piece)
    return out


def _capture(verb: str, *, final: bool, leading: bool = False) -> str:
    """A verb's capture; a verb that starts the format takes one word (the text before a
    message in a line is a prefix, not the argument).

    No counted repetitions: RE2 is linear whatever the pattern, but `.{0,1000}` compiles to
    a thousand states, the DFA outgrows its memory budget on a long line and RE2 falls back
    to its slower NFA (34 ms for one 834-character line against helm's "already exists"
    format, < 0.1 ms unbounded).  The reader cuts a line at MAX_LINE_CHARS first."""
    if verb == "%":
        return "%"
    if leading and verb in "svw":
        return r"([\w./\"'-]+)"
    if verb == "d":
        return r"(-?\d{1,20})"
    if verb == "t":
        return r"(true|false)"
    if verb == "q":
        return r"(\"[^\"\n]*\"|'[^'\n]*'|\S+)"
    return r"(.*)" if final else r"(.*?)"


def _anchor(fmt: MessageFormat, frequency: dict[str, int]) -> str:
    """The format's rarest literal word (the word a line must hold for the format to be tried)."""
    words = _literal_words(fmt.format)
    if not words:
        return ""
    return min(words, key=lambda w: (frequency[w], -len(w), w))


def _literal_words(text: str) -> list[str]:
    return _WORD.findall(_VERB.sub(" ", text).lower())


def _load_file(path: Path) -> list[MessageFormat]:
    import yaml  # here, not at start-up: a command with a current index cache reads no YAML

    # libyaml's loader when present: the pure-Python one was most of a short `kubemedic match`
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    component, family = str(data["component"]), str(data.get("family", "message"))
    if family not in FAMILIES:
        raise ValueError(f"{path.name}: family {family!r} not one of {FAMILIES}")
    formats = []
    for item in data["formats"]:
        source = str(item["source"])
        rules = tuple(
            ValueRule(
                int(r["arg"]),
                re.compile(str(r["match"]), re.IGNORECASE) if "match" in r else None,
                str(r.get("entry", item["entry"])),
                str(r.get("tier", "")),
                frozenset(str(w).lower() for w in r.get("near", ())),
            )
            for r in item.get("by_value", ())
        )
        tier = str(item.get("tier", "blocker"))
        if tier not in TIERS or any(r.tier and r.tier not in TIERS for r in rules):
            raise ValueError(f"{path.name}: {item['id']}: tier must be one of {TIERS}")
        literals = tuple(str(x) for x in item.get("literals", ())) or (str(item["format"]),)
        within = (
            str(item["within"]) if "within" in item else source.split(":", 1)[1].rsplit("/", 1)[0]
        )
        formats.append(
            MessageFormat(
                component=component,
                family=family,
                id=str(item["id"]),
                format=str(item["format"]),
                source=source,
                versions=str(item.get("versions", "")),
                entry=str(item["entry"]),
                literals=literals,
                within=within,
                by_value=rules,
                cause=int(item.get("cause", 0)),
                recast=tuple((str(k), str(v)) for k, v in dict(item.get("recast") or {}).items()),
                fill=tuple(str(x) for x in item.get("fill", ())),
                nested=bool(item.get("nested", False)),
                manual=bool(item.get("manual", False)),
                tier=tier,
                regex=format_regex(str(item["format"]).strip(), family),
            )
        )
    return formats


_PRELOADED: dict[Path, tuple[MessageFormat, ...]] = {}
"""Formats read earlier and kept with the catalog index (intents.index_cache), by folder."""


def preload_formats(formats: tuple[MessageFormat, ...], folder: Path = DATA) -> None:
    """Use these formats (read from `folder` earlier) instead of reading its YAML again."""
    _PRELOADED[folder] = formats


def format_folders(folder: Path = DATA) -> list[Path]:
    """The folders `load_formats(folder)` reads: the data folder, and with the built-in one every
    built-in pack's `messages/` (a pack switched off keeps its formats: they name entries the
    catalog then lacks, which MessageGrammar.for_catalog leaves unread)."""
    return [folder, *sorted(PACKS.glob("*/messages"))] if folder == DATA else [folder]


@lru_cache(maxsize=1)
def load_formats(folder: Path = DATA) -> tuple[MessageFormat, ...]:
    """Every format in the data folder (and the built-in packs'), with its anchor word chosen."""
    if folder in _PRELOADED:
        return _PRELOADED[folder]
    formats = [
        fmt
        for place in format_folders(folder)
        for path in sorted(place.glob("*.yaml"))
        for fmt in _load_file(path)
    ]
    keys = [fmt.key for fmt in formats]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate format ids: {duplicates}")
    frequency: dict[str, int] = {}
    for fmt in formats:
        for word in set(_literal_words(fmt.format)):
            frequency[word] = frequency.get(word, 0) + 1
    return tuple(_with_anchor(fmt, _anchor(fmt, frequency)) for fmt in formats)


def _with_anchor(fmt: MessageFormat, anchor: str) -> MessageFormat:
    from dataclasses import replace

    return replace(fmt, anchor=anchor)
