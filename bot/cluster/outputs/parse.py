"""Read every section of the recorded outputs into one `Recording`.

Each section goes to the reader of its command (get tables, -o yaml|json, describe,
logs, events, top, systemctl/journalctl) or, with no command line, of its shape.
Nothing here raises on bad text: a section (or row) that cannot be read is listed
in `Recording.skipped` with its file, line and why, and the rest is still read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.cluster.outputs import scan
from bot.cluster.outputs.alerts import alerts_command, read_alerts
from bot.cluster.outputs.commands import Command, typed_command
from bot.cluster.outputs.describe import describe_objects
from bot.cluster.outputs.events import describe_events, get_row, table_events
from bot.cluster.outputs.kinds import OUTPUT_KINDS, kind_of, resolve
from bot.cluster.outputs.logs import log_text
from bot.cluster.outputs.node_services import read_services
from bot.cluster.outputs.recording import (
    ALL,
    DESCRIBE,
    LINE,
    MANIFEST,
    TABLE,
    WIDE,
    LogRecord,
    Part,
    Recording,
)
from bot.cluster.outputs.rows import from_row
from bot.cluster.outputs.sections import Section, outputs_in, split_sections
from bot.cluster.outputs.table import (
    Header,
    columns_of,
    default_header,
    is_header,
    read_header,
    split_row,
)
from bot.cluster.seen import EVENTS, EVERY_FACT, mark

_NO_RESOURCES = "No resources found"
_ERRORS = (
    "Error from server",
    "Error: ",
    "error: ",
    "The connection to the server",
    "Unable to connect to the server",
)
_NOT_FOUND = re.compile(r'^Error from server \(NotFound\): (\S+) "([^"]+)" not found')
_UNREAD_OUTPUTS = (
    "jsonpath",
    "custom-columns",
    "go-template",
    "template",
    "jsonpath-file",
    "custom-columns-file",
    "go-template-file",
    "jsonpath-as-json",
)


def read_text(text: str, name: str) -> Recording:
    """Every section of one text held whole (a paste), read into one Recording, with the lines
    each output took."""
    rec = Recording(keep_parts=True)
    for section in split_sections(name, text):
        read_section(section, rec)
    rec.note_dropped(name)
    return rec


def read_section(section: Section, rec: Recording) -> None:
    """Add what one section shows to `rec` (or list it as skipped)."""
    if section.cut:
        rec.skip(
            section.file,
            section.first + len(section.lines),
            section.command_shown,
            f"an output too large to keep whole: its last {section.cut} lines were not read",
        )
    command = section.command
    rec.at = section.first - 1
    if command is None:
        _headless(section, rec)
        return
    rest: list[Section] = []
    if rec.keep_parts:
        section, rest = _command_parts(section, rec, command)
    rec.namespace_named(command.namespace)
    if command.verb == "other" and alerts_command(command.text):
        _alerts(section, rec)
    elif command.verb == "other":
        _rescan(section, rec, "not a command kubemedic reads")
    elif not _kubectl_error(section, rec, command):
        _BY_VERB[command.verb](section, rec, command)
    for part in rest:
        _headless(part, rec, noted=True)


def _command_parts(
    section: Section, rec: Recording, command: Command
) -> tuple[Section, list[Section]]:
    """In a text read whole: the command line's part and its output's, by shape (what follows
    the output is text, a log's lines too); the section cut to its command's output, and the
    outputs pasted after it without their command lines."""
    if typed_command(section.command_shown) is not None:  # kubectl's (not curl's: that is text)
        rec.parts.append(Part(section.line - 1, section.line, "command"))
    at = section.first - 1
    if command.verb == "logs":
        found = _after_log(section.lines)
        if not found:
            return section, []
        found.insert(0, scan.Part(0, found[0].start, "log"))
    else:
        found = _described(command, scan.parts(section.lines), section.lines)
    rec.parts.extend(
        Part(at + part.start, at + part.stop, part.shape) for part in found if part.shape != "log"
    )
    if not found or command.verb == "other":
        return section, []
    own = Section(
        section.file, section.line, command, section.lines[: found[0].stop], section.first
    )
    rest = [
        Section(
            section.file,
            section.first + p.start,
            None,
            section.lines[p.start : p.stop],
            section.first + p.start,
            part=p,
        )
        for p in found[1:]
    ]
    return own, rest


_AFTER_LOG = (scan.EVENTS, scan.DESCRIBE, scan.TABLE)


def _after_log(lines: list[str]) -> list[scan.Part]:
    """The outputs pasted under a log, after a blank line (a describe's Events, a table): a log
    has no shape of its own to end it."""
    found = scan.parts(lines)
    for at, part in enumerate(found):
        if part.shape in _AFTER_LOG and part.start > 0 and not lines[part.start - 1].strip():
            return found[at:]
    return []


def _described(command: Command, found: list[scan.Part], lines: list[str]) -> list[scan.Part]:
    """A describe its shape does not tell (a kind that prints `Reference:` after `Name:`, a
    describe trimmed by hand): its command says its lines, up to the end of its Events."""
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if command.verb != "describe" or not found or found[0].start <= first:
        return found
    if found[0].shape == scan.EVENTS:
        return [scan.Part(first, found[0].stop, scan.DESCRIBE), *found[1:]]
    return [scan.Part(first, found[0].start, scan.DESCRIBE), *found]


def _alerts(section: Section, rec: Recording) -> None:
    found = read_alerts(section.lines)
    if found is None:
        rec.skip(section.file, section.line, section.command_shown, "no alert listing in it")
        return
    rec.alerts.extend(found)
    rec.sections_read += 1


def _kubectl_error_line(section: Section, rec: Recording, command: Command, first: str) -> None:
    """kubectl's error line: `X "name" not found` is that object's absence, anything else is
    listed as skipped."""
    if (m := _NOT_FOUND.match(first)) and (kind := resolve(m[1])) is not None:
        rec.absent.add((kind, command.namespace if kind_of(kind).namespaced else ALL, m[2]))
        rec.sections_read += 1
    else:
        rec.skip(
            section.file,
            section.line,
            command.text,
            f"kubectl printed an error, not output: {first[:200]}",
        )


def _kubectl_error(section: Section, rec: Recording, command: Command) -> bool:
    """True when kubectl printed an error instead of output; `X "name" not found` is kept
    as that object's absence, anything else is listed as skipped."""
    first = next((line.strip() for line in section.lines if line.strip()), "")
    if not first.startswith(_ERRORS):
        return False
    _kubectl_error_line(section, rec, command, first)
    at = next(i for i, line in enumerate(section.lines) if line.strip()) + 1
    rest = Section(section.file, section.first + at, None, section.lines[at:], section.first + at)
    for part in outputs_in(rest):  # what was pasted after the error
        if part.part is not None:
            _headless(part, rec, noted=True)
    return True


def _headless(section: Section, rec: Recording, *, noted: bool = False) -> None:
    """An output without its command line, read by its shape (bot/cluster/outputs/scan.py);
    `noted`: its lines are already in `rec.parts` (the output of a command)."""
    part = section.part
    if part is not None and rec.keep_parts and not noted:
        at = section.first - 1
        rec.parts.append(Part(at, at + len(section.lines), part.shape))
    if part is None:
        rec.skip(
            section.file,
            section.line,
            "",
            "no command line above it, and not an output kubemedic recognises",
        )
    elif part.shape in (scan.TABLE, scan.ROWS):
        _tables(section, rec, None, None, rank=TABLE, headless=part.header)
    elif part.shape == scan.DESCRIBE:
        _describe(section, rec, None, None)
    elif part.shape == scan.EVENTS:
        _orphan_events(section, rec)
    elif part.shape == scan.MANIFEST:
        _manifest(section, rec, None)
    else:
        _services(section, rec, None)


def _orphan_events(section: Section, rec: Recording) -> None:
    """An Events table pasted alone: events about an object the text does not name."""
    numbers = range(section.first - 1, section.first - 1 + len(section.lines))
    for obj in describe_events(section.lines, {"kind": "", "name": ""}, numbers):
        rec.add("events", obj, TABLE)
    rec.sections_read += 1


def _get(section: Section, rec: Recording, command: Command) -> None:
    if command.unknown_kinds and not command.kinds:
        _rescan(section, rec, f"unknown resource {', '.join(command.unknown_kinds)}")
        return
    output = command.output
    if output in ("yaml", "json"):
        if _manifest(section, rec, command) and command.whole and not section.cut:
            _listed(section, rec, command)
    elif output in _UNREAD_OUTPUTS:
        rec.skip(section.file, section.line, command.text, f"-o {output} output is not read")
        _after_unread(section, rec)
    elif output == "name":
        _names(section, rec, command)
    else:
        _get_table(section, rec, command)


def _get_table(section: Section, rec: Recording, command: Command) -> None:
    kinds = command.kinds
    if command.whole and not section.cut:
        _listed(section, rec, command)
    if kinds == ["events"]:
        _events(section, rec, command.namespace, listed=False)
        return
    wide = command.output == "wide"
    headless = (
        default_header(
            kinds[0], wide=wide, labels=command.show_labels, namespaced=command.all_namespaces
        )
        if len(kinds) == 1
        else None
    )
    _tables(
        section,
        rec,
        kinds or None,
        command.namespace,
        rank=WIDE if wide or command.show_labels else TABLE,
        headless=headless,
    )


def _listed(section: Section, rec: Recording, command: Command) -> None:
    """A whole listing shows every object of its kinds, in its namespace (or in all)."""
    namespace = ALL if command.all_namespaces else command.namespace
    if not _has_rows(section.lines):
        namespace = namespace or _said_namespace(section.lines)
    for kind in command.kinds:
        rec.listed(kind, ALL if not kind_of(kind).namespaced else namespace)


def _is_row(line: str) -> bool:
    return bool(line.strip()) and not line.startswith(_NO_RESOURCES)


def _has_rows(lines: Sequence[str]) -> bool:
    return any(_is_row(line) for line in lines)


def _said_namespace(lines: Sequence[str]) -> str | None:
    """`No resources found in shop namespace.` names the namespace kubectl looked in."""
    for line in lines:
        if line.startswith(_NO_RESOURCES + " in ") and line.rstrip(".").endswith(" namespace"):
            return line[len(_NO_RESOURCES) + 4 :].rstrip(".").rsplit(" ", 1)[0]
    return None


def _tables(
    section: Section,
    rec: Recording,
    kinds: list[str] | None,
    namespace: str | None,
    *,
    rank: int,
    headless: Header | None = None,
) -> None:
    header: Header | None = headless
    kind: str | None = (kinds[0] if kinds else headless.kind) if headless else None
    read = 0
    for i, line in enumerate(section.lines):
        if not _is_row(line):
            continue
        if (found := read_header(line, min_names=1)) is not None:
            header = found
            kind = _table_kind(header, kinds)
        elif why := _table_row(
            rec, line, header, kind, namespace=namespace, rank=rank, at=section.first - 1 + i
        ):
            rec.skip(section.file, section.first + i, section.command_shown, why)
        else:
            read += 1
    if read or not _has_rows(section.lines):
        rec.sections_read += 1


def _table_row(
    rec: Recording,
    line: str,
    header: Header | None,
    kind: str | None,
    *,
    namespace: str | None,
    rank: int,
    at: int,
) -> str | None:
    """Add the object of one table row (line `at`) to `rec`; why it could not, or None."""
    if kind == "events" and header is not None:  # read by its tokens: no NAME column
        return _event_row(line, rec, header, namespace, at)
    cells, why = _named_cells(line, header)
    if cells is None:
        return why
    row_kind, name = _row_name(cells["NAME"], kind)
    if row_kind is None:
        return "a table of a kind kubemedic cannot tell"
    obj = from_row(row_kind, {**cells, "NAME": name})
    if obj is None:
        return f"a row that is no {row_kind} row"
    obj[LINE] = at
    rec.add(row_kind, obj, rank, cells.get("NAMESPACE") or namespace)
    return None


def _named_cells(line: str, header: Header | None) -> tuple[dict[str, str] | None, str]:
    """A row's cells, when they fit its header and have a NAME; else why not."""
    cells = split_row(line, header) if header else None
    if cells is None:
        return None, (
            "a row that does not fit the table's header" if header else "rows without a header"
        )
    if "NAME" not in cells:
        return None, "a table without a NAME column"
    return cells, ""


def _event_row(
    line: str, rec: Recording, header: Header, namespace: str | None, at: int
) -> str | None:
    """Add the event of one events table row (line `at`) to `rec`; why it could not, or None."""
    found = get_row(line, namespaced=header.namespaced, wide=header.wide, namespace=namespace)
    if found is None:
        return "an event row that does not fit the events table"
    found[LINE] = at
    rec.add("events", found, TABLE, namespace)
    return None


def _table_kind(header: Header, kinds: list[str] | None) -> str | None:
    """The kind of a table: the one its columns say outright (a table pasted under another
    command's output), else the command's (one kind), else the one its columns suggest."""
    names = set(header.names)
    if kinds and len(kinds) == 1:
        return _said_by_columns(names) or kinds[0]
    for kind, columns in (*_SAID_BY_COLUMNS, *_SUGGESTED_BY_COLUMNS):
        if columns <= names and (kinds is None or kind in kinds):
            return kind
    return None


def _said_by_columns(names: set[str]) -> str | None:
    """The kind a table's columns say outright."""
    return next((kind for kind, columns in _SAID_BY_COLUMNS if columns <= names), None)


_SAID_BY_COLUMNS = (
    ("events", {"LAST SEEN", "REASON", "OBJECT"}),
    ("pods", {"READY", "STATUS", "RESTARTS"}),
    ("daemonsets", {"DESIRED", "NODE SELECTOR"}),
    ("deployments", {"READY", "UP-TO-DATE", "AVAILABLE"}),
    ("replicasets", {"DESIRED", "CURRENT", "READY"}),
    ("services", {"TYPE", "CLUSTER-IP"}),
    ("nodes", {"STATUS", "ROLES", "VERSION"}),
    ("persistentvolumeclaims", {"STATUS", "VOLUME", "CAPACITY"}),
    ("persistentvolumes", {"CAPACITY", "RECLAIM POLICY", "CLAIM"}),
    ("storageclasses", {"PROVISIONER"}),
)
"""Columns only one kind's table prints together."""
_SUGGESTED_BY_COLUMNS = (
    ("endpoints", {"ENDPOINTS"}),
    ("resourcequotas", {"REQUEST", "LIMIT"}),
    ("jobs", {"COMPLETIONS"}),
    ("statefulsets", {"READY"}),
    ("serviceaccounts", {"SECRETS"}),
    ("configmaps", {"DATA"}),
)
"""Columns other kinds' tables may print too (the command says which)."""


def _row_name(cell: str, kind: str | None) -> tuple[str | None, str]:
    """(kind, name) of a NAME cell; `deployment.apps/web` names its own kind."""
    word, slash, name = cell.partition("/")
    if slash and (plural := resolve(word)) is not None:
        return plural, name
    return kind, cell


def _names(section: Section, rec: Recording, command: Command) -> None:
    for line in section.lines:
        word, slash, name = line.strip().partition("/")
        if slash and (plural := resolve(word)) is not None and name:
            rec.add(
                plural,
                mark(
                    {
                        "apiVersion": OUTPUT_KINDS[plural].api_version,
                        "kind": OUTPUT_KINDS[plural].kind,
                        "metadata": {"name": name},
                    },
                    EVERY_FACT,
                ),
                TABLE,
                command.namespace,
            )
    rec.sections_read += 1


def _manifest(section: Section, rec: Recording, command: Command | None) -> bool:
    """Read a YAML or JSON output; False when it does not parse."""
    from bot.cluster.outputs import manifests  # here: YAML loads only for a manifest

    try:
        docs = manifests.load_documents("\n".join(section.lines), cut_ok=rec.keep_parts)
    except manifests.ManifestError as e:
        rec.skip(section.file, section.line, section.command_shown, str(e))
        return False
    dropped = _add_manifests(rec, docs, command)
    if dropped:
        rec.skip(
            section.file,
            section.line,
            section.command_shown,
            f"objects the command did not ask for: {', '.join(dropped[:5])}",
        )
    rec.sections_read += 1
    return True


def _add_manifests(rec: Recording, docs: list[object], command: Command | None) -> list[str]:
    """Add the objects the command asked for; `Kind/name` of each one it did not."""
    from bot.cluster.outputs import manifests

    wanted = set(command.kinds) if command and command.kinds else None
    namespace = command.namespace if command else None
    dropped: list[str] = []
    for doc in docs:
        for kind, obj in manifests.objects(doc):
            if wanted is None or kind in wanted:
                rec.add(kind, mark(obj, [EVENTS]), MANIFEST, namespace)
            else:
                dropped.append(f"{obj.get('kind')}/{obj['metadata'].get('name')}")
    return dropped


def _describe_command(section: Section, rec: Recording, command: Command) -> None:
    kinds = command.kinds
    _describe(section, rec, kinds[0] if len(kinds) == 1 else None, command.namespace)


def _describe(section: Section, rec: Recording, kind: str | None, namespace: str | None) -> None:
    bad: list[tuple[int, str]] = []
    found = describe_objects(kind, section.lines, section.first - 1, bad)
    if not found:
        _nothing_described(section, rec, bad)
        return
    for line, why in bad:
        rec.skip(section.file, line, section.command_shown, why)
    for obj_kind, obj in found:
        rec.add(obj_kind, obj, DESCRIBE if obj_kind != "events" else TABLE, namespace)
    rec.sections_read += 1


def _nothing_described(section: Section, rec: Recording, bad: list[tuple[int, str]]) -> None:
    """A describe with no object read: its rows read again as other outputs after a command,
    else listed as skipped."""
    if section.command is not None and _has_rows(section.lines):
        _rescan(section, rec, "no object in the output")
    elif _has_rows(section.lines):
        for line, why in bad or [(section.line, "no object in the output")]:
            rec.skip(section.file, line, section.command_shown, why)


def _after_unread(section: Section, rec: Recording) -> None:
    """The outputs pasted under an output kubemedic does not read (Events under a
    custom-columns table): each read by its shape."""
    found = outputs_in(section)
    for part in found[1:] if found and found[0].part is None else found:
        if part.part is not None and part.first > section.first:
            _headless(part, rec, noted=True)


def _rescan(section: Section, rec: Recording, why: str) -> None:
    """Read a command's output by the shapes it holds (its Events alone, a table pasted under a
    command that prints none); `why` is listed when it holds none."""
    found = outputs_in(section)
    if not any(part.part is not None for part in found):
        rec.skip(section.file, section.line, section.command_shown, why)
        return
    for part in found:
        if part.part is not None:
            _headless(part, rec, noted=True)


def _events(section: Section, rec: Recording, namespace: str | None, *, listed: bool) -> None:
    bad: list[int] = []
    for obj in table_events(section.lines, namespace, bad):
        obj[LINE] += section.first - 1
        rec.add("events", obj, TABLE, namespace)
    for i in bad:
        if not is_header(section.lines[i]):
            rec.skip(
                section.file,
                section.first + i,
                section.command_shown,
                "an event row that does not fit the events table",
            )
    if listed:
        rec.listed("events", namespace)
    rec.sections_read += 1


def _events_command(section: Section, rec: Recording, command: Command) -> None:
    _events(section, rec, command.namespace, listed=not (command.selector or section.cut))


def _logs(section: Section, rec: Recording, command: Command) -> None:
    kind, name = command.targets[0] if command.targets else (None, None)
    if kind is None or not name:
        why = "logs by label selector are not read" if command.selector else "logs of no pod"
        rec.skip(section.file, section.line, command.text, why)
        return
    rec.logs.append(
        LogRecord(
            command.namespace,
            kind,
            name,
            command.container,
            command.previous,
            log_text(section.lines),
        )
    )
    rec.sections_read += 1


def _top(section: Section, rec: Recording, command: Command) -> None:
    kind = command.kinds[0] if command.kinds else None
    header: Header | None = None
    for line in section.lines:
        if line.split()[:1] in (["NAME"], ["NAMESPACE"]):  # CPU(cores): not all upper case
            header = columns_of(line)
        elif header and line.strip() and (cells := split_row(line, header)):
            rec.metrics.append(
                {
                    "kind": kind,
                    "namespace": cells.get("NAMESPACE", command.namespace),
                    "name": cells["NAME"],
                    "cpu": cells.get("CPU(cores)"),
                    "memory": cells.get("MEMORY(bytes)"),
                    "cpuPercent": cells.get("CPU%"),
                    "memoryPercent": cells.get("MEMORY%"),
                }
            )
    rec.sections_read += 1


def _services(section: Section, rec: Recording, command: Command | None) -> None:
    found = read_services(
        section.lines,
        units=command.units if command else [],
        node=command.node if command else None,
        journal=bool(command and command.verb == "journalctl"),
    )
    if not found:
        rec.skip(section.file, section.line, section.command_shown, "no service state in it")
        return
    rec.services.extend(found)
    rec.sections_read += 1


_BY_VERB: dict[str, Callable[[Section, Recording, Command], None]] = {
    "get": _get,
    "describe": _describe_command,
    "logs": _logs,
    "events": _events_command,
    "top": _top,
    "systemctl": _services,
    "journalctl": _services,
}
"""The reader of each verb `parse_command` gives (all but "other")."""
