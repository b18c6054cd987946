"""A structured logger's message and error field read as one wrapped error (intents.messages.frames).

Traefik v3 logs "Cannot create service" with the reason in an `error` field
(console and JSON), where v2 printed "Cannot create service: service not
found": the paste path must answer both alike, and a plain line with no
frame must not be rewritten.
"""

from __future__ import annotations

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.matcher import Matcher
from intents.messages.frames import joined

V3_CONSOLE = (
    '2024-05-01T10:00:00Z ERR Cannot create service error="service not found" ingress=whoami'
    " namespace=default providerName=kubernetes serviceName=whoami servicePort=80"
)
V3_JSON = (
    '{"level":"error","ingress":"whoami","namespace":"default","providerName":"kubernetes",'
    '"serviceName":"whoami","servicePort":"80","error":"service not found",'
    '"time":"2024-05-01T10:00:00Z","message":"Cannot create service"}'
)
V2_LOGFMT = (
    'time="2022-03-01T09:48:49Z" level=error msg="Cannot create service: service not found"'
    " ingress=whoami namespace=default providerName=kubernetes"
)


@pytest.mark.parametrize(
    "line", [V3_CONSOLE, V3_JSON, V2_LOGFMT], ids=["zerolog-console", "zerolog-json", "logfmt"]
)
def test_every_frame_of_one_traefik_error_gets_the_same_answer(line: str, matcher: Matcher) -> None:
    diagnosis = diagnose_paste(
        matcher, f"$ kubectl logs -n traefik deploy/traefik\n{line}\n", top=3
    )
    assert diagnosis.answer is not None
    assert diagnosis.answer.match.id == "ingress-backend-service-not-found"


def test_the_error_field_decides_between_causes(matcher: Matcher) -> None:
    line = V3_CONSOLE.replace('error="service not found"', 'error="endpoints not found"')
    diagnosis = diagnose_paste(matcher, line, top=3)
    assert diagnosis.answer is not None and diagnosis.answer.match.id == "service-endpoints-empty"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (V3_CONSOLE, "Cannot create service: service not found"),
        (V3_JSON, "Cannot create service: service not found"),
        (
            (
                'E0101 12:00:00.000000       7 main.go:96] "invalid ingress configuration" err="host "a" and path "/"'
                ' is already defined in ingress default/web" ingress="default/web2"'
            ),
            'invalid ingress configuration: host "a" and path "/" is already defined in ingress default/web',
        ),
        (
            'level=error msg="Error while building TraefikService" error="kubernetes service not found: default/s1"',
            "Error while building TraefikService: kubernetes service not found: default/s1",
        ),
    ],
)
def test_message_and_error_are_joined_as_go_wraps_them(line: str, expected: str) -> None:
    assert joined(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        'error: unable to recognize "ingress.yaml": no matches for kind "Ingress"',
        V2_LOGFMT,  # the message already carries its error
        "the controller logs an error=... field when something breaks",
    ],
)
def test_a_line_without_a_structured_error_field_is_left_alone(line: str) -> None:
    assert joined(line) is None
