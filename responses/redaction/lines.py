"""Secrets known by their position across lines: a key word on one line, its value on the next.

The position rules (`responses.redaction.positions`) read a value on its key's own line. These read
the lines after a line that says a secret follows:
- a label ending its line (`Password:`, `password:` in YAML, `DB_PASSWORD=`, `[upload-certs]
  Using certificate key:`, or a bare `Password` above a word that looks typed) and one word
  alone on the next line; a container's args listing a secret flag and
  its value as two items (`- --requirepass` / `- x`);
- a prompt ending its line (`Password for user postgres:`, `Enter passphrase for key '...':`)
  and the word typed on the next (a terminal that echoes, or a paste of a session);
- a command that prints a secret, and the one word it printed on the next line: `echo
  $DB_PASSWORD`, `printenv API_TOKEN`, `kubectl get secret ... -o jsonpath='{.data.password}'`,
  `vault kv get -field=password`, `argocd admin initial-password`, `gcloud secrets versions
  access`, `openssl rand`;
- a JWT a line break cut (`eyJ...eyJ...` ending a line): the payload or signature starting the
  next line;
- a YAML block or folded scalar under a secret key (`password: |`, `token: >-`): every more
  indented line below it;
- a netrc entry spread over lines (`machine h` / `login u` / `password x`), a `.pgpass` line
  (`host:port:db:user:password`), and a table whose header names a secret column: a CSV (or
  tab- or semicolon-separated) header such as AWS's `User name,Password,Access key ID,Secret
  access key` makes that column secret in the rows below it, up to a blank or different line.
Only lines holding a credential word are looked at (`flagged_lines`), and the line below one.
"""

from __future__ import annotations

from intents.lazy_re import LazyPattern, lazy_compile
from responses.redaction.grammars import PROMPT_ALONE, typed_at_prompt
from responses.redaction.positions import flagged_lines
from responses.redaction.prose import looks_typed
from responses.redaction.values import REDACTED
from responses.redaction.words import ends_in_secret_word, is_secret_key, names_a_secret

_S = r"[ \t]++"
_LABEL_WORD = r"[^\s:：=\[\]>#\"'{(,;]{1,80}+"
_LABEL = lazy_compile(
    rf"(?:^|[\s\[\]>#\"'{{(,;-])(?P<label>{_LABEL_WORD}(?:{_S}{_LABEL_WORD}){{0,3}}?)"
    r"[\"']?[ \t]*+[:：=][ \t]*+$"
)
_BARE_LABEL = lazy_compile(
    r"\A[ \t]*+(?P<label>[A-Za-z][\w-]{0,40}+"
    r"(?:[ \t][A-Za-z][\w-]{0,40}+){0,2})"
    r"[ \t]*+\r?"
)
"""A line that is only a label, with no colon (`Password`, `Access token`, as a UI shows it)."""
_READS = lazy_compile(
    rf"(?i)\becho{_S}(?:-n{_S})?[\"']?\$\{{?(?P<var>\w{{1,80}}+)|\bprintenv{_S}(?P<env>\w{{1,80}}+)"
    r"|\{\.data\.(?P<key>[\w\\.-]{1,80}+)\}"
    r"|\.data[. ]\"?(?P<go>[\w.-]{1,80}+)\"?[ \t]*+\|[ \t]*+base64decode"
    rf"|-field[= ](?P<field>[\w.-]{{1,80}}+)|(?P<command>\bargocd{_S}admin{_S}initial-password"
    rf"|\bgcloud{_S}secrets{_S}versions{_S}access|\bopenssl{_S}rand\b"
    rf"|--query{_S}[\"']?SecretString|\baz{_S}keyvault{_S}secret{_S}show\b"
    rf"|\bheadscale{_S}(?:preauthkeys|apikeys){_S}create\b)"
    rf"|\bterraform{_S}output{_S}(?:-(?:raw|json){_S})?(?P<output>[\w-]{{1,80}}+)"
)
_WORD = lazy_compile(r"\A(?P<lead>[ \t]*+)(?P<word>[\"'`]?[^\s:\"'`<$#\[{-][^\s]{2,}+)[ \t]*+\r?")
"""One word alone on its line (not a key, a list item, a comment, a placeholder or a map)."""
_PAIR = lazy_compile(r"[a-z][a-z0-9]{0,40}+[._/-][a-z0-9._/-]{0,80}+=")
_BLOCK = lazy_compile(
    r"\A(?P<indent>[ \t]*+)(?P<item>-[ \t]++)?"
    r"(?P<key>[^\s:#'\"][^:#\n]{0,80}?|\"[^\"\n]{1,80}+\"|'[^'\n]{1,80}+')"
    r"[ \t]*+:[ \t]*+[|>][0-9+-]{0,3}+[ \t]*+(?:#.*)?\r?"
)
_FLAG_ITEM = lazy_compile(r"\A[ \t]*+-[ \t]++[\"']?--?(?P<flag>[\w-]{1,60}+)[\"']?[ \t]*+\r?")
_VALUE_ITEM = lazy_compile(r"\A(?P<keep>[ \t]*+-[ \t]++)(?P<value>[\"']?[^\s\"'$<{\[-][^\n]*+)\r?")
"""A YAML list's item: a flag naming a secret (`- --requirepass`), then its value (`- x`)."""
_NETRC = lazy_compile(r"\A(?P<keep>[ \t]*+password[ \t]++)(?P<value>[^\s\[][^\s]*+)[ \t]*+\r?")
_PGPASS = lazy_compile(
    r"\A(?P<keep>[ \t]*+[^\s:#][^\s:]*+:(?:\d{1,5}+|\*):[^\s:]++:[^\s:]++:)"
    r"(?P<value>[^\s\[]\S*+)\r?"
)
_DELIMITERS = (",", "\t", ";")
_QUOTED_BY = lazy_compile(r"[^,\t;:\n]{1,60}+:[ \t]++")
_HEADER_FIELD = lazy_compile(r"\A[ \t]*+\"?[A-Za-z][\w .()/-]{0,40}+\"?[ \t]*+")
_FIELDS = {
    d: lazy_compile(rf"\"(?:[^\"]|\"\")*+\"|'[^'\n]*+'|[^{d}\n]*+") for d in (",", "\\t", ";")
}


def _secret_label(line: str, value: str) -> bool:
    """Whether `line` ends in a label naming a secret (`Password:`, `Using certificate key:`)."""
    found = _LABEL.search(line)
    if found is None:
        return False
    label = found.group("label")
    return is_secret_key(label) and not names_a_secret(label.split()[-1], value)


def _reads_a_secret(line: str) -> bool:
    """Whether `line` runs a command that prints a secret (`echo $DB_PASSWORD`, `-field=token`)."""
    found = _READS.search(line)
    if found is None:
        return False
    named = next(
        (found.group(g) for g in ("var", "env", "key", "go", "field", "output") if found.group(g)),
        None,
    )
    return named is None or is_secret_key(named.replace("\\", ""))


def _next_word(lines: list[str], at: int) -> None:
    """Replace the one word on line `at + 1`, when the line `at` says a secret follows."""
    if at + 1 >= len(lines):
        return
    below = _WORD.fullmatch(lines[at + 1])
    if below is None or below.group("word").endswith(":") or REDACTED in below.group("word"):
        return
    word = below.group("word")
    if _PAIR.match(word):  # a `key=value` of its own (`pod-template-hash=...` under `x-secret=`)
        return
    if (
        _secret_label(lines[at], word.strip("\"'`"))
        or _reads_a_secret(lines[at])
        or _bare_label(lines[at], word)
        or (PROMPT_ALONE.fullmatch(lines[at]) is not None and typed_at_prompt(word))
    ):
        lines[at + 1] = below.group("lead") + REDACTED


_ANNOUNCES = lazy_compile(r"(?i)\b(?:password|passphrase|token|secret)\b[^\n]{0,120}:[ \t]*+\Z")
"""A line saying a secret follows (Jenkins: "Please use the following password to proceed to
installation:"), the value below it, maybe after a blank line."""


def _after_a_blank(lines: list[str], at: int) -> None:
    """Replace the one word below a line that announces a secret, on the next line or after one
    blank line."""
    if at + 1 >= len(lines) or not _ANNOUNCES.search(lines[at]):
        return
    below_at = at + 1 if lines[at + 1].strip() else at + 2
    below = _WORD.fullmatch(lines[below_at]) if below_at < len(lines) else None
    if below is not None and looks_typed(below.group("word"), password=True, words=False):
        lines[below_at] = below.group("lead") + REDACTED


def _bare_label(line: str, word: str) -> bool:
    """Whether `line` is only a label ending in a secret word and `word` below it looks typed."""
    found = _BARE_LABEL.fullmatch(line)
    return (
        found is not None
        and ends_in_secret_word(found.group("label"))
        and looks_typed(word, password=True)
    )


def _list_flag(lines: list[str], at: int) -> None:
    """Replace the list item after `- --password` (a container's args, one flag per item)."""
    flag = _FLAG_ITEM.fullmatch(lines[at])
    if flag is None or at + 1 >= len(lines) or not is_secret_key(flag.group("flag")):
        return
    value = _VALUE_ITEM.fullmatch(lines[at + 1])
    if value is not None and REDACTED not in value.group("value"):
        quote = value.group("value")[:1] if value.group("value")[:1] in "\"'" else ""
        lines[at + 1] = f"{value.group('keep')}{quote}{REDACTED}{quote}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _block_scalar(lines: list[str], at: int) -> None:
    """Replace the lines of a block scalar under a secret key on line `at` (`password: |`)."""
    found = _BLOCK.fullmatch(lines[at])
    if found is None:
        return
    key = found.group("key").strip("\"'")
    if not is_secret_key(key):
        return
    column = len(found.group("indent")) + (len(found.group("item")) if found.group("item") else 0)
    for below in range(at + 1, len(lines)):
        if lines[below].strip() and _indent(lines[below]) <= column:
            break
        if lines[below].strip() and REDACTED not in lines[below]:
            lines[below] = lines[below][: _indent(lines[below])] + REDACTED


_JWT_CUT = lazy_compile(
    r"(?<![A-Za-z0-9_-])(?>[A-Za-z0-9_-]*?(?=eyJ))"
    r"(?P<jwt>eyJ[A-Za-z0-9_-]{4,}+\.(?:eyJ[A-Za-z0-9_-]{4,}+\.?)?[\\ \t]*+\r?$)"
)
"""A JWT cut at a line's end: its header, maybe its payload; the rest starts the next line. Read
from the first `eyJ` of a run of token characters only: a later one ends where it does."""
_JWT_REST = lazy_compile(r"\A(?P<lead>[ \t>]*+)\.?(?:eyJ[A-Za-z0-9_-]{4,}+\.?)?[A-Za-z0-9_-]{8,}+")


def _jwt_rest(text: str) -> str:
    """`text` without the JWTs a line break cut (a copied token, a log that breaks lines at its
    own width): what starts the line after `eyJ...eyJ...` is its payload or signature."""
    if "eyJ" not in text:
        return text
    lines = text.split("\n")
    for at in range(len(lines) - 1):
        cut = _JWT_CUT.search(lines[at])
        if cut is None:
            continue
        rest = _JWT_REST.match(lines[at + 1])
        if rest is not None:
            lines[at] = lines[at][: cut.start("jwt")] + REDACTED + lines[at][cut.end() :]
            lines[at + 1] = rest.group("lead") + REDACTED + lines[at + 1][rest.end() :]
    return "\n".join(lines)


def _fields(line: str, delimiter: str) -> list[tuple[int, int]]:
    """Spans of the fields of one delimited line (quoted fields may hold the delimiter)."""
    pattern = _FIELDS["\\t" if delimiter == "\t" else delimiter]
    spans, at = [], 0
    while at <= len(line):
        found = pattern.match(line, at)
        end = found.end() if found else at
        spans.append((at, end))
        if end >= len(line) or line[end] != delimiter:
            break
        at = end + 1
    return spans


def _table(lines: list[str], at: int) -> int:
    """Replace the secret columns of the rows under a delimited header on line `at`; the last
    line read as a row (`at` when there is no table)."""
    header = lines[at]
    for delimiter in _DELIMITERS:
        if delimiter not in header:
            continue
        names = [header[s:e] for s, e in _fields(header, delimiter)]
        quoted = _QUOTED_BY.match(names[0]) if names else None
        if quoted:  # a header a log quotes: `ValueError: User name,Password`
            names[0] = names[0][quoted.end() :]
        if len(names) < 2 or not all(_HEADER_FIELD.fullmatch(name) for name in names):
            continue
        secret = [i for i, name in enumerate(names) if is_secret_key(name.strip(" \t\"'"))]
        last = at
        for row in range(at + 1, len(lines)) if secret else ():
            spans = _fields(lines[row], delimiter)
            if not lines[row].strip() or len(spans) != len(names):
                break
            last = row
            line = lines[row]
            for index in reversed(secret):
                start, end = spans[index]
                value = line[start:end].strip()
                quote = value[:1] if value[:1] in "\"'" and len(value) > 1 else ""
                if value.strip("\"'") and REDACTED not in value:
                    line = f"{line[:start]}{quote}{REDACTED}{quote}{line[end:]}"
            lines[row] = line
        return last
    return at


def _replace(pattern: LazyPattern, lines: list[str], at: int) -> None:
    """Replace the `value` of the line `at` when `pattern` reads the whole line."""
    found = pattern.fullmatch(lines[at])
    if found is not None and REDACTED not in found.group("value"):
        lines[at] = found.group("keep") + REDACTED


def _flagged_indexes(text: str) -> list[int]:
    """The numbers of the lines holding a credential word."""
    indexes: list[int] = []
    line = done = 0
    for begin, end in flagged_lines(text):
        line += text.count("\n", done, begin)
        unended = end == len(text) and text[end - 1 : end] != "\n"  # the last line, no break
        count = text.count("\n", begin, end) + unended
        indexes.extend(range(line, line + count))
        line += text.count("\n", begin, end)
        done = end
    return indexes


def redact_lines(text: str) -> str:
    """`text` with every value a line before it (or a table's header) marks as secret replaced."""
    if "\n" not in text:
        return text
    text = _jwt_rest(text)
    indexes = _flagged_indexes(text)
    tables = any(d in text for d in _DELIMITERS)
    pgpass = "pgpass" in text.lower()
    if not indexes and not pgpass:
        return text
    lines = text.split("\n")
    netrc = "machine " in text
    read_to = -1  # rows of a table already read are no headers
    for at in indexes:
        if at >= len(lines):
            break
        if at <= read_to:
            continue
        line = lines[at]
        _next_word(lines, at)
        _after_a_blank(lines, at)
        if "-" in line:
            _list_flag(lines, at)
        if line.rstrip()[-1:] in ("|", ">", "-", "+") or line.rstrip()[-1:].isdigit():
            _block_scalar(lines, at)
        if netrc and "password" in line:
            _replace(_NETRC, lines, at)
        if tables:
            read_to = _table(lines, at)
    if pgpass:
        for at, line in enumerate(lines):
            if line.count(":") >= 4:
                _replace(_PGPASS, lines, at)
    return "\n".join(lines)
