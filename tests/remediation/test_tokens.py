"""Button values: only a signed id; forged, foreign or oversized values do not verify."""

from __future__ import annotations

import inspect

import pytest

from bot.cluster.writer import KubeWriter
from bot.remediation.actions import ACTIONS
from bot.remediation.tokens import (
    BUTTONS,
    MAX_VALUE,
    KeyRing,
    NoSigningKey,
    sign,
    signing_keys,
    verify,
)
from intents.schema import ACTION_KINDS
from tests.remediation.conftest import settings

KEY = KeyRing(b"k" * 32)
ID = "Zq3kVt1xN0a9bC7dE5fG2h"


def test_round_trip_and_shape() -> None:
    value = sign(ID, KEY)
    assert value.startswith(f"{ID}.") and len(value) <= MAX_VALUE
    assert verify(value, KEY) == ID


@pytest.mark.parametrize(
    "value",
    [
        "",
        "no-dot",
        f"{ID}.",
        f".{sign(ID, KEY).split('.')[1]}",
        sign(ID, KEY) + "x",
        sign(ID, KEY)[:-1],
        sign(ID, KeyRing(b"other key")),
        sign(ID, KEY).replace(ID, ID[::-1]),
        "a" * 5000,
        f"{ID}.{'A' * 22}",
        None,
        7,
        b"bytes",
        " " + sign(ID, KEY),
    ],
)
def test_rejects_anything_else(value: object) -> None:
    assert verify(value, KEY) is None


def test_sign_refuses_odd_ids() -> None:
    for bad in ("", "short", "has.dot.in.it", "x" * 65, "spaces are bad"):
        with pytest.raises(ValueError):
            sign(bad, KEY)


def test_key_is_derived_from_the_slack_secret_and_survives_restarts() -> None:
    first, second = signing_keys(settings(), BUTTONS), signing_keys(settings(), BUTTONS)
    assert first == second and b"test-secret" not in first.current
    assert signing_keys(settings(SLACK_SIGNING_SECRET="rotated"), BUTTONS) != first
    strong = "9b1e4c7a2d5f8e0b3c6a9d2f5e8b1c4a7d0e3f6b9c2e5a8d1f4b7e0c3a6d9f2b"
    explicit = settings(KUBEMEDIC_SIGNING_KEY=strong)
    assert signing_keys(explicit, BUTTONS) == signing_keys(explicit, BUTTONS) != first
    assert strong not in repr(explicit) and strong not in str(explicit.model_dump())
    with pytest.raises(NoSigningKey):
        signing_keys(settings(SLACK_SIGNING_SECRET=""), BUTTONS)


def test_the_allowlist_is_exactly_the_catalog_kinds() -> None:
    assert set(ACTIONS) == set(ACTION_KINDS)
    writes = {
        name
        for name, member in inspect.getmembers(KubeWriter, inspect.iscoroutinefunction)
        if not name.startswith("_")
    }
    assert writes == {
        "delete_pod",
        "delete_pvc",
        "cordon_node",
        "uncordon_node",
        "annotate_pod",
        "rollout_restart",
        "scale_deployment",
        "delete_apiservice",
    }
