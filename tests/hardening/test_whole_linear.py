"""Issue 83: redaction and every reader are linear as whole functions, not only pattern by pattern.

`test_regex_linear.py` times each pattern alone, so it could not see a loop that searched again
from just after a key it judged not secret: each search read the rest of the line, and
`key=key=key=...` cost `redact` 0.06 s of CPU on 10,000 characters, 0.6 s on 40,000 and 2.3 s on
80,000 (one Alertmanager label froze the bot). Here whole functions read adversarial texts built
per rule (`whole_linearity.py`) at n and 8n characters; thread CPU must grow at most MAX_GROWTH
times (linear: about 8; quadratic: 64). A ratio, not a time bound: it does not move with the
machine's load, and one over the bound is measured again before it counts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.alerting.payload import parse as parse_alert
from bot.diagnosis.paste import diagnose_paste
from bot.incidents.opsgenie_webhook import parse_opsgenie
from bot.incidents.pagerduty_webhook import parse_pagerduty
from intents.matcher import Matcher
from intents.normalize import clean_text
from responses.redaction import redact, redact_paste
from responses.redaction.positions import RULES, key_head
from responses.redaction.values import KEY_JUDGES
from tests.hardening.regex_linearity import MAX_GROWTH
from tests.hardening.whole_linearity import Adversary, growth, rule_adversaries, superlinear

ISSUE_KEYS = (
    "key=",
    "KEY=",
    "mykey=",
    "--key=",
    "-Dkey=",
    "secret_name=",
    "auth_method=",
    "keyid=",
    "keystore=",
    "private=",
)
"""The issue's keys: each holds a gate word and is judged not secret."""
FAMILIES = (
    *(Adversary("issue", key) for key in ISSUE_KEYS),
    Adversary("kubectl", "--from-literal=a="),
    Adversary("armour", "---- END OpenVPN tls-crypt-v2 server key-----"),
    Adversary("quoted keys", '"key": "'),
    Adversary("nested quotes", '\\"key\\":\\"'),
    Adversary("separators", " ", "password"),
    Adversary("separators", "=", "key"),
)
"""The families a fast run reads (at 5,000 and 40,000 characters, where a quadratic cost shows
whole); the slow run reads every rule's."""
FAMILY_LENGTH = 5_000


def _alert(text: str) -> object:
    return parse_alert(
        json.dumps(
            {
                "version": "4",
                "groupKey": "g",
                "status": "firing",
                "alerts": [
                    {
                        "status": "firing",
                        "labels": {"alertname": "KubePodCrashLooping", "reason": text},
                        "annotations": {"description": text},
                        "startsAt": "2026-11-28T10:00:00Z",
                    }
                ],
            }
        ).encode()
    )


def _pagerduty(text: str) -> object:
    event = {
        "id": "E1",
        "event_type": "incident.triggered",
        "occurred_at": "2026-11-28T10:00:00Z",
        "data": {"id": "P1", "title": text, "body": {"details": {"log": text}}},
    }
    return parse_pagerduty(json.dumps({"event": event}).encode())


def _opsgenie(text: str) -> object:
    alert = {"alertId": "a1", "message": text, "description": text, "details": {"log": text}}
    return parse_opsgenie(
        json.dumps({"action": "Create", "alert": alert}).encode(), now=datetime.now(UTC)
    )


READERS: dict[str, Callable[[str], object]] = {
    "redact": redact,
    "redact_paste": redact_paste,
    "clean_text": clean_text,
    "an Alertmanager payload": _alert,
    "a PagerDuty webhook": _pagerduty,
    "an Opsgenie webhook": _opsgenie,
}


@pytest.mark.parametrize("adversary", FAMILIES, ids=lambda adversary: adversary.unit[:24])
def test_redact_costs_linear_cpu_on_each_family(adversary: Adversary) -> None:
    ratio = growth(redact, adversary, FAMILY_LENGTH)
    assert ratio is None or ratio <= MAX_GROWTH, f"{ratio:.0f} times the CPU for 8 times the text"


@pytest.mark.parametrize("reader", READERS, ids=str)
def test_each_reader_costs_linear_cpu_on_the_issue_keys(reader: str) -> None:
    problems = superlinear(READERS[reader], FAMILIES[:4], FAMILY_LENGTH)
    assert not problems, "\n".join(problems)


def test_every_rule_that_judges_a_key_reads_the_key_before_its_value() -> None:
    """A judged rule without a key part would read each refused key's value again."""
    judged = [rule for _gate, rule in RULES if rule[1] in KEY_JUDGES]
    assert len(judged) >= 15
    assert all(key_head(pattern) is not None for pattern, _replace in judged)


@pytest.mark.slow
@pytest.mark.parametrize("reader", ("redact", "redact_paste", "clean_text"))
def test_every_rule_of_the_room_is_linear_as_a_whole(reader: str) -> None:
    """Every rule's key part and match, with each key word, nested and separator runs: about
    1,600 texts, each at 2,500 and 20,000 characters (about 25 s of CPU a reader)."""
    problems = superlinear(READERS[reader], rule_adversaries())
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_matching_and_the_paste_reading_are_linear_as_a_whole(matcher: Matcher) -> None:
    families = FAMILIES + tuple(
        adversary for adversary in rule_adversaries() if adversary.name in ("nested", "separators")
    )
    problems = superlinear(matcher.match, families)
    problems += superlinear(lambda text: diagnose_paste(matcher, redact_paste(text)), families)
    assert not problems, "\n".join(problems)
