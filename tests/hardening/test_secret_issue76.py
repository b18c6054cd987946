"""Issue 76's secret shapes (tests/hardening/planted_issue76.py) are redacted where they arrive,
what only looks like them stays as pasted, and a traceback's stated cause quotes no secret: it is
read from the paste after redaction, never before (MEDIUM 3 and 4). Every path out of the bot
carries them in tests/hardening/test_secret_paths.py."""

from __future__ import annotations

import pytest

from bot.diagnosis.paste import diagnose_paste
from responses.answer_build import answer_view
from responses.redaction import REDACTED, redact_paste
from responses.text import render_text
from tests.catalogs import builtin_matcher
from tests.hardening.planted_classes import Planted, leaked
from tests.hardening.planted_issue76 import ALL_ISSUE76, TRACES


@pytest.mark.parametrize("item", ALL_ISSUE76, ids=lambda item: f"{item.klass}:{item.secret[:6]}")
def test_every_value_is_redacted_in_its_paste(item: Planted) -> None:
    redacted = redact_paste(item.paste)
    assert not leaked(item.secret, redacted), redacted
    assert REDACTED in redacted


STAYS = [
    "Password expired",  # a word after the key, no value
    "    Passwd_File /etc/fluent-bit/passwd",
    "gcc -pthread -o app main.c",
    "docker run -p8080:80 nginx",
    "nc -p 4444 host 80",
    "stats auth required for the dashboard",
    "user admin has no password set",
    "please login again / refresh the page",
    'MountVolume.SetUp failed for volume "certs" : secret "db-credentials" not found',
    "the password is correct, the user is locked",
    "la clave primaria de la tabla pods es id",
    (
        "Traceback (most recent call last):\n"
        '  File "/app/settings.py", line 9, in <module>\n'
        '    password = os.environ["DB_PASSWORD"]\n'
        "KeyError: 'DB_PASSWORD'"
    ),
    (
        "Traceback (most recent call last):\n"
        '  File "/app/cfg.py", line 9, in load\n'
        "    conf = settings['password']\n"
        "TypeError: 'NoneType' object is not subscriptable"
    ),
]


@pytest.mark.parametrize("line", STAYS)
def test_what_only_looks_like_them_stays_as_pasted(line: str) -> None:
    assert redact_paste(line) == line


@pytest.mark.parametrize("item", TRACES, ids=lambda item: item.paste.split("\n")[-1][:40])
def test_a_traceback_s_stated_cause_quotes_no_secret(item: Planted) -> None:
    """The answer (and its first line, which quotes the app's last exception when no entry
    answers) is made from the redacted paste: nothing of the secret, whatever the runtime wrapped
    the trace in."""
    diagnosis = diagnose_paste(builtin_matcher(), redact_paste(item.paste), top=3)
    shown = render_text(diagnosis, verbose=True) + repr(answer_view(diagnosis))
    assert not leaked(item.secret, shown), shown


def test_the_missing_setting_a_traceback_names_still_reads() -> None:
    """A frame handling a password names the setting it lacks: the name stays, so the answer
    still says which variable to set."""
    paste = STAYS[-2]  # the KeyError of os.environ["DB_PASSWORD"]
    diagnosis = diagnose_paste(builtin_matcher(), redact_paste(paste), top=3)
    assert "DB_PASSWORD" in render_text(diagnosis, verbose=True)
