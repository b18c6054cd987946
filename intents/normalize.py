"""Turn a raw paste into comparable text.

Two levels: `clean_text` undoes transport damage (Slack formatting, HTML
entities, JSON string escaping, ANSI colours, control and invisible
characters, markdown bold and quoting, smart quotes, tabs, log-shipper line
prefixes and JSON log records, a terminal's hard wrapping) and keeps meaning, so catalog regexes run on it; `canonical`
then replaces what varies between two sightings of the same error
(timestamps, klog headers, IPs, UUIDs, hex ids, pod-name hashes, numbers,
object names in quotes) with placeholders, so symptoms and pastes compare
on what stays the same; exit codes, status codes, errno and signal numbers
keep their value (exit code 137 is not exit code 1).  Every regex here is linear: no nested quantifiers.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Callable

from intents.lazy_re import lazy_compile
from intents.partial_json import block_end, cut_short, cut_value

_ANSI = lazy_compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
_INVISIBLE = lazy_compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_CONTROL = lazy_compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = lazy_compile("[\ud800-\udfff]")
_SLACK_LINK = lazy_compile(r"<((?:https?|mailto):[^|>\s]{1,2000})\|([^>]{0,2000})>")
_SLACK_BARE_LINK = lazy_compile(r"<((?:https?|mailto):[^>\s]{1,2000})>")
_SLACK_MENTION = lazy_compile(r"<[@!#][A-Za-z0-9^_.-]{1,80}(?:\|([^>]{0,200}))?>")
_FENCE = lazy_compile(r"```")
_ESCAPED_NEWLINE = lazy_compile(r"(?<!\\)\\++(?:r\\++)?n")
_ESCAPED_QUOTE = lazy_compile(r"(?<!\\)\\++\"")
_ESCAPED_TAB = lazy_compile(r"(?<!\\)\\++t")
"""An escape (`\\n`, `\\r\\n`, `\\"`, `\\t`, escaped once or more): read from the first backslash of
its run only, each backslash once (a run of thousands split every way took minutes, issue 76)."""
_SMART_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
    }
)
_QUOTE_MARK = lazy_compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_FRAME_LEFT = lazy_compile(r"^[ \t]*[\u2502\u2503\u2551] ?", re.MULTILINE)
_FRAME_RIGHT = lazy_compile(r"(?<![ \t])[ \t]*[\u2502\u2503\u2551][ \t]*$", re.MULTILINE)
_FRAMES = frozenset("\u2502\u2503\u2551")
"""The vertical borders a terminal UI draws around a pane (k9s, tmux, dialog boxes)."""
_BOLD = lazy_compile(r"_?\*\*_?")
"""Markdown bold, and bold italic written with underscores outside (`_**ErrImageNeverPull**_`)."""
_YAML_SINGLE_QUOTED = lazy_compile(
    r"^([ \t]*(?:- )?[A-Za-z_][\w.-]{0,60}: ')(.*)'[ \t]*$", re.MULTILINE
)
"""A YAML single-quoted scalar (`message: 'container''s runAsUser ...'`, as `-o yaml` prints a
value holding an apostrophe): its only escape is a doubled quote. One line each: the spaces
around it never reach into the next line."""
_SHIPPER = lazy_compile(
    r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)? (?:stdout|stderr) [FP] ",
    re.MULTILINE,
)
_JSON_LOG = lazy_compile(
    r'^\{"log": ?"((?:[^"\\\n]|\\.){0,100000})", ?"stream": ?"(?:stdout|stderr)"(?:, ?"time": ?"[^"\n]{0,64}")?\}$',
    re.MULTILINE,
)
_NEW_RECORD = lazy_compile(
    r"\s\s|\d{4}-\d\d-\d\d|[IWEF]\d{4} |\[?(?:INFO|WARN|ERROR|DEBUG|FATAL)|(?:Warning|Normal) "
)
WRAP_WIDTHS = frozenset({80, 100, 110, 120, 132, 140, 150, 160, 180, 200, 240})
"""Terminal widths whose hard wrapping is undone (see `unwrap`)."""

# Speed: Python's regex engine skips quickly to a possible match only when a
# pattern starts with a character set.  So "\bX..." (X a word character) is
# written "X(?<!\wX)...": the first character, then a look-behind saying the
# character before it is not a word character, which is exactly what \b
# means there.  tests/intents/test_normalize.py checks each against its
# plain "\b" form on the corpus and on random text.
_KLOG_HEADER = lazy_compile(
    r"[iwef](?<!\w[iwef])\d{4} \d{2}:\d{2}:\d{2}\.\d+[ \t]+\d+ [\w.-]{1,80}:\d+\]"
)
_ISO_TIME = lazy_compile(
    r"\d(?<!\w\d)\d{3}[-/]\d{2}[-/]\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:[Zz]|[ ]?[+-]\d{2}:?\d{2})?"
)
_CLOCK = lazy_compile(r"\d(?<!\w\d)\d?:\d{2}:\d{2}(?:[.,]\d+)?\b")
_SYSLOG_DATE = lazy_compile(
    r"(?:j(?<!\wj)an|f(?<!\wf)eb|m(?<!\wm)ar|a(?<!\wa)pr|m(?<!\wm)ay|j(?<!\wj)un|j(?<!\wj)ul"
    r"|a(?<!\wa)ug|s(?<!\ws)ep|o(?<!\wo)ct|n(?<!\wn)ov|d(?<!\wd)ec) +\d{1,2}\b"
)
_MONTHS = (
    "jan ",
    "feb ",
    "mar ",
    "apr ",
    "may ",
    "jun ",
    "jul ",
    "aug ",
    "sep ",
    "oct ",
    "nov ",
    "dec ",
)
_UUID = lazy_compile(
    r"[0-9a-f](?<!\w[0-9a-f])[0-9a-f]{7}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
)
_IPV4 = lazy_compile(r"\d(?<!\w\d)\d{0,2}(?:\.\d{1,3}){3}(?::\d{1,5})?\b")
_IPV6 = lazy_compile(r"[0-9a-f](?<!\w[0-9a-f])[0-9a-f]{0,3}:(?:[0-9a-f]{1,4}:){2,6}[0-9a-f]{1,4}\b")
_HEX_ID = lazy_compile(
    r"[0-9a-fs](?<!\w[0-9a-fs])(?:(?<=s)ha256:[0-9a-f]{12,}|(?<=[0-9a-f])[0-9a-f]{11,})\b"
)
_POD_HASH = lazy_compile(
    r"-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\b"
    r"|-(?=[bcdfghjklmnpqrstvwxz]{0,4}[2456789])[bcdfghjklmnpqrstvwxz2456789]{5}\b"
)
_DURATION = lazy_compile(
    r"\d(?<!\w\d)\d*(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d)(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d)){0,3}\b"
)
_NUMBER = lazy_compile(r"[x#\d](?:(?<=x)(?<!\wx)\d+|(?<=\w#)\d+|(?<=\d)(?<!\w\d)\d*)(?:\.\d+)*\b")
_QUOTED_NAME = lazy_compile(
    r"\b(image|pod|pods|configmap|configmaps|secret|secrets|node|nodes|service|services|"
    r"namespace|namespaces|deployment|deployments|statefulset|statefulsets|daemonset|"
    r"daemonsets|replicaset|job|jobs|persistentvolumeclaim|persistentvolumeclaims|"
    r"pvc|volume|volumes|storageclass|container|user|serviceaccount|lease|key|"
    r"apiservice|endpoints|hostname|host)[ \t]+[\"'][^\"'\s]{1,253}[\"']"
)
SIGNIFICANT_NUMBER = lazy_compile(
    r"(c(?<!\wc)ode|s(?<!\ws)tatus|e(?<!\we)rrno|s(?<!\ws)ignal|s(?<!\ws)tatuscode|e(?<!\we)xitcode)"
    r"(\"?[ \t]{0,16}[:=]?[ \t]{0,16})(\d{1,4})\b"
)
"""A number after code/status/errno/signal keeps its value ("exit code: n137"), also in
`kubectl describe`'s aligned columns ("Exit Code:    137") and JSON ("exitCode": 137)."""
_GET_ROW_NAME = lazy_compile(
    r"^[ \t]*[a-z0-9][a-z0-9._-]{0,252}(?=[ \t]+num/num[ \t])", re.MULTILINE
)
_SPACES = lazy_compile(r"[ \t]+")
_REDACTED_ASSIGNMENT = lazy_compile(r"[\w.-]{0,80}\s?[=:]?\s?[\"']?\[redacted\][\"']?")
"""A secret the redaction replaced, with the name it was assigned to (`DB_PASSWORD=[REDACTED]`):
never a symptom, so its words (password, token) never resemble one."""

PLACEHOLDERS = frozenset({"ts", "ip", "uuid", "hexid", "num", "dur", "name"})


def scalar_text(text: str) -> str:
    """`text` with each UTF-16 surrogate read as U+FFFD, one for one: JSON's `"\\ud800"` decodes
    to one, and no encoder (RE2, a database, a chat API) takes it."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


MAX_REMEMBERED_CLEAN_CHARS = 65_536
"""Texts up to this long are cleaned once for a few readers of one paste (the paste reader,
the matcher, the learned model, its signs): the last few kept, at most a few MB."""


def clean_text(raw: str, *, keep_json: bool = False) -> str:
    """Undo Slack/JSON/terminal/markdown formatting; keep the words and their case.

    With `keep_json`, a JSON value printed from the first column (`kubectl get -o json`)
    keeps its escapes (\\" and \\n inside its strings), so it still decodes; the escapes
    of everything else are undone as usual."""
    if (
        type(raw) is str and len(raw) <= MAX_REMEMBERED_CLEAN_CHARS
    ):  # a subclass (Redacted) as it is
        return _remembered_clean(raw, keep_json)
    return _clean(raw, keep_json)


@functools.lru_cache(maxsize=8)
def _remembered_clean(raw: str, keep_json: bool) -> str:
    return _clean(raw, keep_json)


def _clean(raw: str, keep_json: bool) -> str:
    text = unicodedata.normalize("NFKC", scalar_text(raw))
    text = _ANSI.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SMART_QUOTES)
    if '{"log":"' in text:
        text = _JSON_LOG.sub(_json_log_line, text)
    if " std" in text:
        text = _SHIPPER.sub("", text)
    if not _FRAMES.isdisjoint(text):  # before unwrapping: padded panes look terminal-wrapped
        text = _unframe(text)
    text = unwrap(text)
    text = _CONTROL.sub(" ", text)
    text = _SLACK_LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _SLACK_BARE_LINK.sub(r"\1", text)
    text = _SLACK_MENTION.sub(lambda m: m.group(1) or " ", text)
    text = html.unescape(text) if "&" in text else text
    text = _FENCE.sub("\n", text).replace("`", "")
    if ">" in text:
        text = _unquote(text)
    if "**" in text:
        text = _BOLD.sub("", text)
    if "\t" in text:
        text = text.replace("\t", "    ")
    if "\\" in text:
        text = _outside_json(text, _unescape) if keep_json else _unescape(text)
    if "''" in text:
        text = _YAML_SINGLE_QUOTED.sub(
            lambda m: m.group(1) + m.group(2).replace("''", "'") + "'", text
        )
    return text


def _unescape(text: str) -> str:
    text = _ESCAPED_NEWLINE.sub("\n", text)
    text = _ESCAPED_QUOTE.sub('"', text)
    return _ESCAPED_TAB.sub(" ", text)


_JSON_START = lazy_compile(r"^[{\[]", re.MULTILINE)
_JSON = json.JSONDecoder()


def _outside_json(text: str, rewrite: Callable[[str], str]) -> str:
    """`rewrite` applied to the text between the JSON values that start a line and decode."""
    parts: list[str] = []
    done = tried = 0
    for start in _JSON_START.finditer(text):
        if start.start() < done:
            continue
        try:
            _value, end = _JSON.raw_decode(text, start.start())
        except json.JSONDecodeError as error:
            if start.start() < tried or not cut_short(text, start.start(), error.pos):
                continue  # broken JSON (or inside a block already tried)
            cut = cut_value(text, start.start())
            if cut is None:
                tried = block_end(text, start.start())
                continue
            end = cut.end  # `-o json` cut short by the paste: its lines keep their escapes
        except (ValueError, RecursionError):
            continue
        parts += [rewrite(text[done : start.start()]), text[start.start() : end]]
        done = end
    return "".join(parts) + rewrite(text[done:])


def _json_log_line(found: re.Match[str]) -> str:
    """The message of one container-runtime JSON log record ({"log":"...\\n","stream":...})."""
    try:
        value = json.loads(f'"{found.group(1)}"')
    except ValueError:
        return found.group(0)
    return scalar_text(str(value)).rstrip("\n")


def _unframe(text: str) -> str:
    """A terminal UI's pane borders ("│ ... │" around each line, as k9s draws its describe
    view) removed, when most lines carry one: the columns inside keep their alignment."""
    lines = [line for line in text.split("\n") if line.strip()]
    framed = sum(1 for line in lines if _FRAME_LEFT.match(line) or _FRAME_RIGHT.search(line))
    if framed < max(1, len(lines) // 2):
        return text
    return _FRAME_RIGHT.sub("", _FRAME_LEFT.sub("", text))


def _unquote(text: str) -> str:
    """Markdown/Slack quoting ("> " before every line of a block) removed."""
    lines = text.split("\n")
    quoted = sum(1 for line in lines if _QUOTE_MARK.match(line))
    if quoted < max(1, len([line for line in lines if line.strip()]) // 2):
        return text
    return _QUOTE_MARK.sub("", text)


def starts_record(line: str) -> bool:
    """Whether `line` starts a new record (a timestamp, a klog header, an event row), so the line
    before it did not wrap onto it."""
    return _NEW_RECORD.match(line) is not None


def unwrap(text: str) -> str:
    """Undo a terminal's hard wrapping: when no line is longer than a usual terminal width W
    and some line is exactly W long, each W-long line continues on the next (a single one only
    when the next line does not start a new record: a timestamp, a klog header, an event row)."""
    if len(text) <= min(WRAP_WIDTHS):
        return text
    lines = text.split("\n")
    width = max(len(line) for line in lines)
    if width not in WRAP_WIDTHS:
        return text
    several = sum(1 for line in lines if len(line) == width) >= 2
    joined: list[str] = []
    carry = ""
    for line in lines:
        if carry and not several and (not line.strip() or starts_record(line)):
            joined.append(carry)  # one full-width line followed by a new record: not a wrap
            carry = ""
        if len(line) == width:
            carry += line
            continue
        joined.append(carry + line)
        carry = ""
    if carry:
        joined.append(carry)
    return "\n".join(joined)


MISSPELLINGS = {
    "liveliness": "liveness",
    "readyness": "readiness",
    "readines": "readiness",
    "rediness": "readiness",
    "persistant": "persistent",
    "unscheduable": "unschedulable",
    "scheduable": "schedulable",
    "resouce": "resource",
    "resouces": "resources",
    "recource": "resource",
    "recources": "resources",
    "carshing": "crashing",
    "crahsing": "crashing",
    "crashs": "crashes",
    "doamin": "domain",
    "doamins": "domains",
    "domian": "domain",
    "domians": "domains",
    # British spellings of the words Kubernetes prints with a z
    "finaliser": "finalizer",
    "finalisers": "finalizers",
    "initialised": "initialized",
    "uninitialised": "uninitialized",
    "unauthorised": "unauthorized",
    "authorisation": "authorization",
}
"""Kubernetes words people misspell in chat ("liveliness probe", "readyness probe failure",
"persistant volume", the British "finaliser"), folded to the spelling the catalog is written in."""
_MISSPELLED = lazy_compile(r"\b(?:" + "|".join(MISSPELLINGS) + r")\b", re.IGNORECASE)


_SPLIT_STATUS = lazy_compile(
    r"\bimage[ -]?pull[ -]back[ -]?off\b|\bimagepull[ -]?back[ -]?off\b|\bimage[ -]?pull[ -]?back-off\b",
    re.IGNORECASE,
)
"""The STATUS word ImagePullBackOff written as words ("imagepull backoff", "image pull back-off")."""


_PROBE_CUT_SHORT = lazy_compile(r"prob\b", re.IGNORECASE)
"""The end of a probe's name with its last letter dropped ("readiness prob is failing"): a literal
start, so Python's regex engine skips to it quickly; the probe's kind is checked before it."""
_PROBE_KINDS = ("liveness ", "readiness ", "startup ")


def fold_misspellings(text: str) -> str:
    """The text with each word of MISSPELLINGS spelled right (a leading capital kept), the
    ImagePullBackOff status written as words folded to it, and a probe's name cut short
    ("readiness prob") written whole.  Each rewrite runs only when a
    substring scan finds its word (a megabyte paste costs a few substring scans)."""
    lowered = text.lower()
    if any(word in lowered for word in MISSPELLINGS):

        def spelled(found: re.Match[str]) -> str:
            word = MISSPELLINGS[found.group(0).lower()]
            return word.capitalize() if found.group(0)[0].isupper() else word

        text = _MISSPELLED.sub(spelled, text)
        lowered = text.lower()
    if "pull" in lowered and "back" in lowered:
        text = _SPLIT_STATUS.sub("ImagePullBackOff", text)
        lowered = text.lower()
    if " prob" not in lowered:
        return text
    cuts = [
        found.end()
        for found in _PROBE_CUT_SHORT.finditer(text)
        if _after_probe_kind(lowered, found.start())
    ]
    for end in reversed(cuts):
        text = text[:end] + "e" + text[end:]
    return text


def _after_probe_kind(lowered: str, start: int) -> bool:
    """A whole word "liveness", "readiness" or "startup" and one space end just before `start`."""
    for kind in _PROBE_KINDS:
        begin = start - len(kind)
        if (
            begin >= 0
            and lowered.startswith(kind, begin)
            and (begin == 0 or not lowered[begin - 1].isalnum())
        ):
            return True
    return False


_DIGIT = lazy_compile(r"\d")


def _replace_varying(text: str, *, names: bool = True) -> str:
    """Placeholders for values (with `names`, a `kubectl get` row's object name too); each pass
    runs only when its marker character is present."""
    if ":" in text:
        text = _KLOG_HEADER.sub(" ", text)
        text = _ISO_TIME.sub(" ts ", text)
        text = _IPV6.sub(" ip ", text)
        text = _CLOCK.sub(" ts ", text)
    text = SIGNIFICANT_NUMBER.sub(r"\1\2n\3", text)
    if "-" in text:
        text = _UUID.sub(" uuid ", text)
        text = _POD_HASH.sub("", text)
    if "." in text:
        text = _IPV4.sub(" ip ", text)
    text = _HEX_ID.sub(" hexid ", text)
    if any(month in text for month in _MONTHS):
        text = _SYSLOG_DATE.sub(" ts ", text)
    text = _DURATION.sub(" dur ", text)
    text = _NUMBER.sub("num", text)
    return _GET_ROW_NAME.sub("name", text) if names else text


def canonical(line: str) -> str:
    """Lower-case one cleaned line and replace what varies with placeholders."""
    text = line.lower()
    if "[redacted]" in text:
        text = _REDACTED_ASSIGNMENT.sub(" ", text)
    if _DIGIT.search(text):
        text = _replace_varying(text)
    if '"' in text or "'" in text:
        text = _QUOTED_NAME.sub(r"\1 name", text)
    return _SPACES.sub(" ", text).strip()


def canonical_lines(text: str, *, names: bool = True) -> list[str]:
    """`canonical` of every line of a cleaned text, one regex pass per rule over the lines it
    can change (lines with a digit; lines with a quote). Without `names`, object names (a
    `kubectl get` row's, a quoted one) are kept: two tables of other pods read differently.

    Every rule is line-local (no pattern matches a newline), so the result
    has exactly one canonical line per input line.
    """
    lines = text.lower().split("\n")
    _apply_to(
        lines,
        [n for n, line in enumerate(lines) if "[redacted]" in line],
        lambda block: _REDACTED_ASSIGNMENT.sub(" ", block),
    )
    _apply_to(
        lines,
        [n for n, line in enumerate(lines) if _DIGIT.search(line)],
        lambda block: _replace_varying(block, names=names),
    )
    quoted = [n for n, line in enumerate(lines) if names and ('"' in line or "'" in line)]
    _apply_to(lines, quoted, lambda block: _QUOTED_NAME.sub(r"\1 name", block))
    block = _SPACES.sub(" ", "\n".join(lines))
    return [line.strip() for line in block.split("\n")]


def _apply_to(lines: list[str], numbers: list[int], rewrite: Callable[[str], str]) -> None:
    """Rewrite the chosen lines in one pass over their block, in place."""
    if numbers:
        rewritten = rewrite("\n".join(lines[n] for n in numbers)).split("\n")
        for number, line in zip(numbers, rewritten):
            lines[number] = line
