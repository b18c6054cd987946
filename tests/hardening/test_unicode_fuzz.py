"""Issue 83: text outside the Basic Multilingual Plane, lone surrogates and invalid UTF-8 get an
answer or a one-line reason from every reader, never a traceback.

An emoji escaped in a JSON log line (`\\ud83d\\ude00`) was decoded by redaction's escape reader
into two lone surrogates, and RE2 (which encodes what it reads to UTF-8) raised
`UnicodeEncodeError` out of `kubemedic match`. JSON's `"\\ud800"` alone decodes to a lone
surrogate too, so a webhook body could carry one into any reader. Each reader here reads texts
drawn (seeded) from pieces an attacker mixes: emoji raw and escaped once or twice, halves of a
pair, HTML and percent escapes of one, NUL, invalid UTF-8 bytes, JSON log records.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.alerting.payload import BadPayload
from bot.alerting.payload import parse as parse_alert
from bot.diagnosis.paste import diagnose_paste
from bot.incidents.opsgenie_webhook import parse_opsgenie
from bot.incidents.pagerduty_webhook import parse_pagerduty
from bot.incidents.pages import BadPage
from intents.matcher import Matcher
from intents.normalize import clean_text
from responses.redaction import REDACTED, redact, redact_json, redact_paste

PIECES = (
    "😀",
    "\\ud83d\\ude00",
    "\\\\ud83d\\\\ude00",
    "\\ud83d",
    "\\ude00",
    "\ud800",
    "\udfff",
    "\\u00e9",
    "é",
    "a\u0301",
    "\\n",
    '\\"',
    "\\\\",
    "%F0%9F%98%80",
    "&#128512;",
    "&#xD83D;",
    "\x00",
    "\ufffd",
    "password=",
    "token: ",
    '"secret": "',
    "{",
    "}",
    "\n",
    " ",
    "hunter2x",
    "OOMKilled",
)
FUZZED = 150


def fuzzed() -> Iterator[str]:
    """Texts of 1-12 pieces, each raw, as a JSON log message and as a container runtime's record."""
    rng = random.Random(83)
    for _ in range(FUZZED):
        body = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        yield body
        yield json.dumps({"level": "error", "msg": body}, ensure_ascii=rng.random() < 0.5)
        yield '{"log":"' + body + '"}'


def _encodable(value: object) -> None:
    """What a reader gives back can be written anywhere (UTF-8: a chat API, a database, a log)."""
    json.dumps(value, ensure_ascii=False, default=str).encode()


def _alert(raw: bytes) -> object:
    return parse_alert(
        b'{"version":"4","groupKey":"g","status":"firing","alerts":[{"status":"firing",'
        b'"labels":{"alertname":"X","r":"' + raw + b'"},"annotations":{"d":"' + raw + b'"},'
        b'"startsAt":"2026-11-28T10:00:00Z"}]}'
    )


def _pagerduty(raw: bytes) -> object:
    return parse_pagerduty(
        b'{"event":{"id":"E","event_type":"incident.triggered","occurred_at":'
        b'"2026-11-28T10:00:00Z","data":{"id":"P","title":"' + raw + b'"}}}'
    )


def _opsgenie(raw: bytes) -> object:
    body = b'{"action":"Create","alert":{"alertId":"a","message":"' + raw + b'"}}'
    return parse_opsgenie(body, now=datetime.now(UTC))


def test_the_issues_paste_is_answered_and_its_secret_redacted() -> None:
    """The issue's crash: an emoji escaped inside a JSON log line, a secret beside it."""
    paste = '{"log":"{\\"msg\\":\\"\\\\ud83d\\\\ude00 db down password=hunter2x\\"}"}'
    for read in (redact, redact_paste):
        read_back = read(paste)
        assert "hunter2x" not in read_back and REDACTED in read_back
        _encodable(read_back)
    assert "\U0001f600 x" in clean_text('{"log":"\\ud83d\\ude00 x\\n","stream":"stderr"}')


def test_redaction_and_the_text_readers_never_raise(matcher: Matcher) -> None:
    readers: dict[str, Callable[[str], object]] = {
        "redact": redact,
        "redact_paste": redact_paste,
        "redact_json": lambda text: redact_json({"a": text, text: [text]}),
        "clean_text": clean_text,
        "match": matcher.match,
        "diagnose_paste": lambda text: diagnose_paste(matcher, redact_paste(text), top=3),
    }
    for text in fuzzed():
        for read in readers.values():
            _encodable(read(text))


@pytest.mark.parametrize("reader", [_alert, _pagerduty, _opsgenie], ids=lambda read: read.__name__)
def test_the_webhook_readers_answer_or_refuse_in_one_line(
    reader: Callable[[bytes], object],
) -> None:
    for text in fuzzed():
        for raw in (
            text.encode("utf-8", "surrogatepass"),
            json.dumps(text)[1:-1].encode(),
            text.encode("utf-8", "surrogatepass") + b"\xff\xfe\xc3",
        ):
            try:
                _encodable(reader(raw))
            except (BadPayload, BadPage) as refused:
                assert "\n" not in str(refused)


def test_kubemedic_match_reads_invalid_utf8_and_escaped_surrogates() -> None:
    paste = (
        b"Last State: Terminated\n  Reason: OOMKilled \xff\xfe\xc3 \xed\xa0\x80\n"
        b'{"log":"\\\\ud83d password=hunter2x \\\\ude00\\n"}\n'
    )
    ran = subprocess.run(
        [str(Path(sys.executable).parent / "kubemedic"), "match", "-"],
        input=paste,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr.decode(errors="replace")
    assert b"Traceback" not in ran.stderr and b"hunter2x" not in ran.stdout
    assert b"OOMKilled" in ran.stdout
