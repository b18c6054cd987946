"""Find the kubectl output in a paste and read it into facts.

One pass over the cleaned lines: at each line the readings of bot.paste.registry are tried in
their order and the first that recognises a block consumes it; anything else is left as
residue (chat, logs, error output).  Each reading only moves forward, so the work is linear
in the paste, and every step is bounded (lines, rows, objects).  Then the after-readings look
across what was read.  Nothing here raises on bad input: a shape that does not parse is
simply not recognised.
"""

from __future__ import annotations

import logging

from bot.paste.model import PastedFacts
from bot.paste.reading import scan
from bot.paste.registry import AFTER_READINGS, READINGS
from bot.paste.text import MAX_LINE_CHARS
from intents.normalize import clean_text
from responses.redaction import redacted_again

log = logging.getLogger(__name__)

MAX_PASTE_CHARS = 2_000_000
MAX_SCAN_LINES = 20_000


def parse_paste(text: str) -> PastedFacts:
    """Every recognised block of kubectl output in the paste, with its facts, read from the paste
    as cleaned and then redacted again: the cleaning undoes escapes and wraps, so a secret the
    first redaction could not see (inside a JSON log record) is found before any fact or stated
    cause quotes it."""
    cleaned = redacted_again(text, clean_text(text[:MAX_PASTE_CHARS], keep_json=True))
    lines = [line[:MAX_LINE_CHARS] for line in cleaned.split("\n")]
    facts = PastedFacts(lines)
    try:
        facts.blocks = scan(cleaned, lines, READINGS, MAX_SCAN_LINES)
        for after in AFTER_READINGS:
            after.run(facts)
    except Exception:  # a parser bug must cost the facts, never the answer
        log.exception("paste parsing failed; matching the text alone")
        facts.blocks.clear()
    return facts
