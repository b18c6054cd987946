"""Issue 83's LOW: a ticket's wiki text (Jira Server/Data Center, REST v2) is closed under Jira's
rules: read back as Jira reads wiki markup, it is the text, with no markup of its own.

The escaping put a backslash before each markup character but left the text's own backslashes:
`\\!http://x/a.png\\!` became `\\\\!...`, which Jira reads as a line break and an image."""

from __future__ import annotations

import random
import re

from responses.ticket_text import _wiki

SPECIAL = "*_{}[]|!#^+-~?"
_TOKEN = re.compile(
    r"\\\\|\\(.)|&#92;|&amp;|&#?\w+;|([" + re.escape(SPECIAL + "\\&") + r"])|(.)", re.DOTALL
)


def as_jira_reads(markup: str) -> str:
    """The text Jira shows for `markup`; AssertionError where markup would act (a line break, a
    bare markup character, an entity the escaping did not write)."""
    shown = []
    for found in _TOKEN.finditer(markup):
        whole, escaped, bare, plain = found.group(0), found.group(1), found.group(2), found.group(3)
        assert whole != "\\\\", f"a line break in {markup!r}"
        assert bare is None, f"{bare!r} acts as markup in {markup!r}"
        if escaped is not None:
            assert escaped in SPECIAL, f"\\{escaped} in {markup!r}"
            shown.append(escaped)
        elif whole in ("&#92;", "&amp;"):
            shown.append({"&#92;": "\\", "&amp;": "&"}[whole])
        else:
            assert plain is not None, f"the entity {whole!r} in {markup!r}"
            shown.append(plain)
    return "".join(shown)


def test_the_issues_title_reads_as_itself() -> None:
    title = "\\!http://evil.example/a.png\\! and C:\\\\temp &amp; [x|y]"
    assert as_jira_reads(_wiki(title)) == title


def test_any_text_of_markup_characters_reads_as_itself() -> None:
    rng = random.Random(83)
    alphabet = SPECIAL + "\\&#;a 9\n"
    for _ in range(2_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16)))
        assert as_jira_reads(_wiki(text)) == text
