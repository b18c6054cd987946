"""Read a paste: its kubectl output as one recording, the objects it shows as subjects.

The one reader of kubectl output (bot/cluster/outputs) reads the paste as it reads a ticket's
folder of outputs: each output wherever it stands, the lines it took (`Recording.parts`), the
line each object was read from, what each view did not show. The store it makes is what the
suspects walk reads too (bot.diagnosis.paste_walk), and the subjects the rules read come from
it through the functions a cluster read uses (bot.diagnosis.paste_subjects). Each output's lines
are then judged: a healthy object's, a header's, a describe's configuration are quiet (the
matcher never reads them). The lines no output holds are text, where section readers still find
commands, statuses and sentences that retell a status (bot.diagnosis.paste_sections).

Nothing here raises on bad input: a shape that does not read is text, and a reader's bug costs
the facts, never the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

from bot.cluster.outputs.ages import Clock
from bot.cluster.outputs.kinds import OUTPUT_KINDS, kind_of
from bot.cluster.outputs.parse import read_text
from bot.cluster.outputs.recording import Part as Output
from bot.cluster.outputs.recording import Recording
from bot.cluster.outputs.scan import DESCRIBE as DESCRIBED
from bot.cluster.outputs.scan import EVENTS as EVENTS_ALONE
from bot.cluster.outputs.scan import MANIFEST as MANIFESTS
from bot.cluster.outputs.scan import ROWS, TABLE, UNIT, headerless
from bot.cluster.outputs.store import Store, store_of
from bot.cluster.outputs.table import Header, read_header
from bot.cluster.reader import JsonObject
from bot.cluster.seen import EVENTS, POD_EVENTS, unseen
from bot.diagnosis import paste_links as links
from bot.diagnosis.paste_lines import describe_quiet
from bot.diagnosis.paste_looks import VOLUME_KINDS, Looks
from bot.diagnosis.paste_model import COMMAND, Part, PasteReading, Recorded, Subject
from bot.diagnosis.paste_objects import Shown, object_subject
from bot.diagnosis.paste_quota import declared, listed, refused_subjects, said_missing
from bot.diagnosis.paste_rows import row_healthy, row_subject
from bot.diagnosis.paste_sections import read_sections
from bot.diagnosis.paste_subjects import (
    Events,
    Key,
    cut_short,
    event_subjects,
    events_of,
    node_subject,
    pod_subject,
    volume_subject,
)
from intents.facts.model import NodeFacts, UnitFacts
from intents.normalize import clean_text
from responses.redaction import redacted_again

log = logging.getLogger(__name__)

NAME = "the pasted text"
MAX_PASTE_CHARS = 2_000_000
MAX_LINE_CHARS = 4000
"""A longer line is cut before the matcher or a section reader looks at it."""


def read_pasted(text: str, *, at: datetime | None = None) -> PasteReading:
    """Every output in the paste read as one recording, with its subjects, judged at `at`
    (default: the moment the outputs show). The paste is read as cleaned and then redacted
    again: the cleaning undoes escapes and wraps, so a secret the first redaction could not
    see (inside a JSON log record) is found before any fact or stated cause quotes it."""
    cleaned = redacted_again(text, clean_text(text[:MAX_PASTE_CHARS], keep_json=True))
    lines = [line[:MAX_LINE_CHARS] for line in cleaned.split("\n")]
    try:
        return _read(cleaned, lines, at)
    except Exception:  # a reader's bug must cost the facts, never the answer
        log.exception("reading the paste's outputs failed; matching the text alone")
        return PasteReading(lines)


def _read(cleaned: str, lines: list[str], at: datetime | None) -> PasteReading:
    rec = read_text(cleaned, NAME)
    looks = Looks.of(rec, lines)
    quota = (declared(rec.views), listed(rec.views, rec), said_missing(lines, rec))
    clock = Clock(at)
    store = store_of(rec, clock)
    for _key, _line, obj in looks.earlier:
        clock.resolve(obj)
    events = events_of(store, looks.naming)
    subjects = Subjects(looks, events)
    subjects.read(store, rec, clock.now)
    subjects.extra.extend(refused_subjects(store, *quota, "kubectl get resourcequota"))
    judged = (Judging(looks, output, subjects, events).part() for output in rec.parts)
    outputs = [part for part in judged if part is not None]
    reading = PasteReading(
        lines, outputs, subjects.all, looks.views_shown, Recorded(rec, store, clock)
    )
    for section in read_sections(lines, [(p.start, p.stop) for p in outputs]):
        reading.parts.append(section.part)
        reading.subjects.extend(section.subjects)
    reading.parts.sort(key=lambda part: part.start)
    return reading


class Subjects:
    """The subjects of a paste's store, by the object each is about."""

    def __init__(self, looks: Looks, events: Events) -> None:
        self.looks, self.events = looks, events
        self.by_key: dict[Key, Subject | None] = {}
        self.extra: list[Subject] = []

    @property
    def all(self) -> list[Subject]:
        return [s for s in self.by_key.values() if s is not None] + self.extra

    def healthy(self, key: Key) -> bool | None:
        """The verdict of the object's subject (None: no subject judges it)."""
        subject = self.by_key.get(key)
        return None if subject is None else subject.healthy

    def read(self, store: Store, rec: Recording, now: datetime) -> None:
        """Every object's subject, then what the objects say of each other (bot.diagnosis.
        paste_links), then what the events about each show."""
        self._objects(store, rec, now)
        templates = list(links.templates(store))
        linked = links.link_services(store, self.all, templates)
        links.service_endpoints(store, self.all)
        self.looks.views_shown |= {subject.shown for subject in linked}
        self.extra.extend(t for t in templates if not t.healthy)
        self.extra.extend(event_subjects(self.events, self.looks.naming))
        self.extra.extend(_units(rec))
        links.init_waits_on_a_crash(self.all)
        links.check_classes(store, self.all)
        links.check_static_claims(store, self.all)
        missing = links.missing_network(store, self.looks.every_namespace)
        self.extra.extend([missing] if missing is not None else [])
        self._events_shown()

    def _events_shown(self) -> None:
        """What the events about an object show (and their absence refutes): not when one was
        cut short (what is missing was maybe only cut off)."""
        for key, items in self.events.by_object.items():
            if items and not cut_short([event for _key, event in items]):
                pods = key[0] in ("Pod", "")
                self.looks.views_shown.add(frozenset({EVENTS, POD_EVENTS} if pods else {EVENTS}))

    def _objects(self, store: Store, rec: Recording, now: datetime) -> None:
        """The store's objects, the earlier looks kept apart, the objects shown without a name."""
        self._named(store, now)
        for key, line, obj in self.looks.earlier:
            earlier = self._subject(key, obj, None, now)
            if earlier is not None and not earlier.healthy:
                self.looks.by_line[line] = earlier
                self.extra.append(earlier)
        for key, subject in self._unnamed(rec, now):
            subject.key = key
            if self.by_key.setdefault(key, subject) is not subject:
                self.extra.append(subject)  # (another part of a pod whose name is not shown)

    def _named(self, store: Store, now: datetime) -> None:
        """Each named object's subject, but the events' and the ones looked at again later."""
        for kind, objects in store.objects.items():
            for (namespace, name), obj in objects.items() if kind != "events" else ():
                key = (kind, namespace, name)
                if key not in self.looks.written:
                    self.by_key[key] = subject = self._subject(key, obj, store, now)
                    if subject is not None:
                        subject.key = key

    def _subject(
        self, key: Key, obj: JsonObject, store: Store | None, now: datetime
    ) -> Subject | None:
        try:
            return self._judged(key, obj, store, now)
        except (AttributeError, TypeError, ValueError, KeyError):
            return None  # an object that is not what its kind says (hand-edited, cut): no facts

    def _judged(
        self, key: Key, obj: JsonObject, store: Store | None, now: datetime
    ) -> Subject | None:
        naming, events = self.looks.naming, self.events
        missing = store.unseen.get(key, frozenset()) if store is not None else unseen(obj)
        kind = key[0]
        if kind == "pods":
            return pod_subject(key, obj, missing, now=now, naming=naming, events=events)
        if kind == "nodes":
            return node_subject(key, obj, missing, naming=naming, events=events)
        if kind in VOLUME_KINDS:
            return volume_subject(key, obj, missing, naming=naming, events=events)
        word = str(obj.get("kind") or kind_of(kind).kind)
        shape = naming.shapes.get(key, f"kubectl get {kind}")
        found = Shown(
            kind,
            word,
            key[2],
            naming.namespace(key),
            naming.label(word, key),
            shape,
            events.of((word, key[1], key[2])),
            shape.startswith("kubectl describe") and self.looks.described(key),
        )
        return object_subject(obj, found, now)

    def _unnamed(self, rec: Recording, now: datetime) -> Iterator[tuple[Key, Subject]]:
        """The objects a part of an output shows without their name (a describe's Containers)."""
        naming, events = self.looks.naming, self.events
        for view in rec.unnamed:
            key = self.looks.key(view)
            if view.kind == "pods":
                yield (
                    key,
                    pod_subject(
                        key, view.obj, unseen(view.obj), now=now, naming=naming, events=events
                    ),
                )
            elif view.kind == "nodes":
                missing = unseen(view.obj)
                yield key, node_subject(key, view.obj, missing, naming=naming, events=events)
            elif view.kind != "events" and (found := self._subject(key, view.obj, None, now)):
                yield key, found


def _units(rec: Recording) -> Iterator[Subject]:
    """Each node service `systemctl status` showed, its state a fact of its node."""
    for service in rec.services:
        state = str(service.get("active") or "unknown")
        unit = UnitFacts(str(service["service"]), state, str(service.get("sub") or ""))
        facts = NodeFacts(name=str(service.get("node") or ""), units=[unit])
        yield Subject(
            f"unit {unit.name}.service", "systemctl status", facts, set(), state == "active"
        )


class Judging:
    """One output's lines, each judged by the object read from it."""

    def __init__(self, looks: Looks, output: Output, subjects: Subjects, events: Events) -> None:
        self.looks, self.output, self.subjects, self.events = looks, output, subjects, events
        self.verdicts: dict[int, bool] = {}
        self.event_lines: dict[int, bool] = {}

    def part(self) -> Part | None:
        """The output's part: healthy or not, its quiet lines (None: nothing in it was read)."""
        output, lines = self.output, self.looks.lines
        start, stop = output.start, min(output.stop, len(lines))
        if output.shape == COMMAND:
            return Part(start, stop, COMMAND, True, set(range(start, stop)))
        if output.shape == UNIT:  # its journal lines after a blank line are text
            stop = next((n for n in range(start, stop) if not lines[n].strip()), stop)
            healthy = all(
                subject.healthy
                for subject in self.subjects.extra
                if subject.shape == "systemctl status"
            )
            return Part(start, stop, "systemctl status", healthy, set(range(start, stop)))
        for number in range(start, stop):
            for key in self.looks.at_line.get(number, ()):
                self._verdict(number, key)
        if output.shape in (TABLE, ROWS):
            self._rows(start, stop)
        if not self.verdicts:
            return None
        kind = self.looks.kind_at(start, stop)
        healthy = all(self.verdicts.values())
        quiet = set(range(start, stop)) if healthy else self._quiet(start, stop, kind)
        return Part(start, stop, self.looks.shape(output, kind), healthy, quiet)

    def _verdict(self, number: int, key: Key) -> None:
        if key[0] == "events":
            healthy: bool | None = self.events.verdicts.get((key[1], key[2]), True)
            self.event_lines[number] = bool(healthy)
        elif (earlier := self.looks.by_line.get(number)) is not None:
            healthy = earlier.healthy
        else:
            healthy = self.subjects.healthy(key)
        if healthy is not None:  # (None: a row judged by its words, or a manifest as written)
            self.verdicts[number] = self.verdicts.get(number, True) and healthy

    def _header(self, start: int) -> tuple[Header | None, int]:
        """The rows' header and their first line (a headerless listing's header is guessed)."""
        header = read_header(self.looks.lines[start])
        if header is None and self.output.shape == ROWS:
            return headerless(self.looks.lines[start]), start
        return header, start + 1

    def _rows(self, start: int, stop: int) -> None:
        """Rows no object's verdict judges, by their words (and what failing ones state)."""
        header, first = self._header(start)
        if header is None:
            return
        shape = self.looks.shape(self.output, self.looks.kind_at(start, stop) or header.kind)
        for number in range(first, stop):
            line = self.looks.lines[number]
            if number in self.verdicts or not line.strip() or read_header(line) is not None:
                continue
            self.verdicts[number] = row_healthy(line, header)
            if not self.verdicts[number] and (found := row_subject(line, header, shape)):
                self.subjects.extra.append(found)

    def _quiet(self, start: int, stop: int, kind: str) -> set[int]:
        shape, lines = self.output.shape, self.looks.lines
        if shape in (TABLE, ROWS):
            return {n for n in range(start, stop) if self.verdicts.get(n, True)}
        if shape == MANIFESTS or (shape == DESCRIBED and kind not in OUTPUT_KINDS):
            return set()  # (a custom resource's describe: its status is its own words)
        alone = shape == EVENTS_ALONE
        return describe_quiet(
            lines, start, stop, self.event_lines, node=kind == "nodes", alone=alone
        )
