"""Fields are values: a line stating a field with a healthy value never satisfies a failure
symptom about the same field, and a describe setting with another value is another fact."""

from __future__ import annotations

from bot.diagnosis.paste import diagnose_paste
from intents.fields import erase_healthy_fields
from intents.matcher import Matcher

HEALTHY_SERVICE = """Name:                     web
Namespace:                default
Selector:                 app=web
Type:                     NodePort
IP:                       10.96.204.209
Port:                     <unset>  8080/TCP
TargetPort:               8080/TCP
NodePort:                 <unset>  30760/TCP
Endpoints:                10.0.0.5:8080,10.0.0.6:8080
Session Affinity:         None
External Traffic Policy:  Cluster
Events:                   <none>"""

DOCKER_INSPECT = """        "State": {
            "Status": "running",
            "Running": true,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": 4242,
            "ExitCode": 0,"""


def _answer(matcher: Matcher, text: str) -> str | None:
    diagnosis = diagnose_paste(matcher, text, top=3)
    return diagnosis.answer.match.id if diagnosis.answer is not None else None


def test_a_healthy_service_with_endpoints_gets_no_answer(matcher: Matcher) -> None:
    assert _answer(matcher, HEALTHY_SERVICE) is None
    empty = HEALTHY_SERVICE.replace("10.0.0.5:8080,10.0.0.6:8080", "<none>")
    assert _answer(matcher, empty) == "service-endpoints-empty"


def test_oomkilled_false_is_not_an_oom_kill(matcher: Matcher) -> None:
    assert _answer(matcher, DOCKER_INSPECT) is None
    assert (
        _answer(
            matcher,
            DOCKER_INSPECT.replace('"OOMKilled": false', '"OOMKilled": true').replace(
                '"ExitCode": 0', '"ExitCode": 137'
            ),
        )
        == "oom-killed"
    )


def test_another_traffic_policy_value_is_another_fact(matcher: Matcher) -> None:
    local = HEALTHY_SERVICE.replace("Cluster", "Local")
    assert (
        matcher.match(HEALTHY_SERVICE)[0].id != "nodeport-external-traffic-local"
        or matcher.match(HEALTHY_SERVICE)[0].confidence == "low"
    )
    assert matcher.match(local)[0].id == "nodeport-external-traffic-local"


def test_only_the_healthy_statement_is_erased() -> None:
    assert (
        erase_healthy_fields('{"OOMKilled": false, "Error": "exec failed"}').strip(" {,}")
        == '"Error": "exec failed"'
    )
    assert erase_healthy_fields("Endpoints:  <none>") == "Endpoints:  <none>"
    assert erase_healthy_fields("    Exit Code:    137") == "    Exit Code:    137"
    assert erase_healthy_fields("  Ready            True") == ""
    assert erase_healthy_fields("  Ready            False") == "  Ready            False"
