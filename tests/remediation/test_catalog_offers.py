"""What an entry offers is catalog data: every `when` fact is checked, every bad block refused."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.remediation.conditions import OFFER_FACTS, holds
from bot.remediation.planners import TARGETS
from intents.checked import validate
from intents.facts.model import ContainerFacts, NodeCondition, NodeFacts, PodFacts
from intents.packs import builtin_entry_files
from intents.schema import OfferTarget, OfferWhen, RemediationAction

ROOT = Path(__file__).resolve().parents[2]


def test_every_when_field_has_a_predicate_and_every_target_a_resolver() -> None:
    # a field without a predicate would be silently ignored, offering a button on less evidence
    assert set(OFFER_FACTS) == {field.name for field in dataclasses.fields(OfferWhen)}
    assert set(TARGETS) == set(OfferTarget.__args__)  # type: ignore[attr-defined]


def test_no_catalog_id_is_named_in_remediation_code() -> None:
    ids = [path.stem for path in builtin_entry_files()]
    for source in (ROOT / "bot" / "remediation").glob("*.py"):
        text = source.read_text()
        assert [i for i in ids if f'"{i}"' in text or f"'{i}'" in text] == [], source.name


def _action(**fields: Any) -> RemediationAction:
    return validate(
        RemediationAction,
        {"kind": "delete-pod", "label": "Delete", "effect": "fixes", "target": "pod", **fields},
    )


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"kind": "cordon-node"}, "cannot target 'pod'"),
        ({"kind": "rollout-restart", "target": "owner"}, "needs when.owner_kinds"),
        (
            {"kind": "rollout-restart", "target": "owner", "when": {"owner_kinds": ["Job"]}},
            "acts only on",
        ),
        ({"kind": "scale-deployment"}, "allowed: none"),
        ({"claim_prefix": "tikv"}, "delete-pvc-and-pod only"),
        (
            {"when": "pod_reason=Evicted and owner exists"},
            "should be a dictionary",
        ),  # the old prose form
        ({"when": {"pod_phase": "Failed"}}, "Unexpected keyword argument"),
        ({"when": {"node_conditions": ["Ready is True"]}}, "pattern"),
        ({"target": "everything"}, "target"),
        ({"effect": None}, "effect"),  # every action says whether it fixes the cause
        ({"effect": "helps"}, "effect"),
    ],
)
def test_bad_remediation_blocks_are_refused_with_the_reason(
    fields: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        _action(**fields)


def _pod(**fields: Any) -> PodFacts:
    return PodFacts(namespace="shop", name="web-0", **fields)


def _between_crashes(*, restarts: int, exit_code: int, ago: timedelta) -> ContainerFacts:
    finished = (datetime.now(UTC) - ago).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ContainerFacts(
        name="app",
        ready=True,
        state="running",
        restarts=restarts,
        last_reason="Error",
        last_exit_code=exit_code,
        last_finished=finished,
    )


@pytest.mark.parametrize(
    ("when", "pod", "node", "expected"),
    [
        # the pod's reason must match exactly
        ({"pod_reason": "Evicted"}, _pod(reason="Evicted"), None, True),
        ({"pod_reason": "Evicted"}, _pod(reason="OutOfpods"), None, False),
        # a pod fact does not hold without a pod (a pasted error, a node diagnosis)
        ({"pod_reason": "Evicted"}, None, None, False),
        ({"has_owner": True}, _pod(owner_refs=[("ReplicaSet", "web-1")]), None, True),
        ({"has_owner": True}, _pod(), None, False),
        (
            {"crash_looping": True},
            _pod(containers=[ContainerFacts(name="app", reason="CrashLoopBackOff")]),
            None,
            True,
        ),
        (
            {"crash_looping": True},
            _pod(containers=[ContainerFacts(name="app", ready=True)]),
            None,
            False,
        ),
        # between two crashes the kubelet may post the newest run as up and ready: the failed
        # runs before it, the last one recent, still make it a crash loop (seen on CI's real node)
        (
            {"crash_looping": True},
            _pod(containers=[_between_crashes(restarts=3, exit_code=1, ago=timedelta(0))]),
            None,
            True,
        ),
        (
            {"crash_looping": True},
            _pod(containers=[_between_crashes(restarts=3, exit_code=1, ago=timedelta(hours=2))]),
            None,
            False,
        ),
        (
            {"crash_looping": True},
            _pod(containers=[_between_crashes(restarts=3, exit_code=0, ago=timedelta(0))]),
            None,
            False,
        ),
        (
            {"crash_looping": True},
            _pod(containers=[_between_crashes(restarts=1, exit_code=1, ago=timedelta(0))]),
            None,
            False,
        ),
        ({"pod_labels": {"app": ["a", "b"]}}, _pod(labels={"app": "b"}), None, True),
        ({"pod_labels": {"app": ["a", "b"]}}, _pod(labels={"app": "c"}), None, False),
        ({"owner_kinds": ["StatefulSet"]}, _pod(owner_refs=[("StatefulSet", "db")]), None, True),
        ({"owner_kinds": ["StatefulSet"]}, _pod(owner_refs=[("ReplicaSet", "web-1")]), None, False),
        # "!=" needs the condition reported with another status; an unreported one does not hold
        (
            {"node_conditions": ["Ready!=True"]},
            None,
            NodeFacts("n", [NodeCondition("Ready", "Unknown")]),
            True,
        ),
        ({"node_conditions": ["Ready!=True"]}, None, NodeFacts("n", []), False),
        (
            {"node_conditions": ["DiskPressure=True"]},
            None,
            NodeFacts("n", [NodeCondition("DiskPressure", "True")]),
            True,
        ),
        ({"node_cordoned": False}, None, NodeFacts("n", unschedulable=True), False),
        ({"node_cordoned": False}, None, None, False),
        # every fact named must hold
        ({"pod_reason": "Evicted", "has_owner": True}, _pod(reason="Evicted"), None, False),
    ],
)
def test_each_when_fact(
    when: dict[str, Any], pod: PodFacts | None, node: NodeFacts | None, expected: bool
) -> None:
    assert holds(validate(OfferWhen, when), pod, node) is expected
