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
from bot.runtime import signing_key
from intents.schema import ACTION_KINDS
from tests.remediation.conftest import TEST_SIGNING_KEY, settings

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


def test_the_key_is_the_configured_one_and_nothing_signs_without_a_key() -> None:
    first, second = signing_keys(settings(), BUTTONS), signing_keys(settings(), BUTTONS)
    assert first == second and TEST_SIGNING_KEY.encode() not in first.current
    other = settings(KUBEMEDIC_SIGNING_KEY=signing_key.generate())
    assert signing_keys(other, BUTTONS) != first
    assert TEST_SIGNING_KEY not in repr(other) and TEST_SIGNING_KEY not in str(
        settings().model_dump()
    )
    with pytest.raises(NoSigningKey):  # the chat's secret no longer stands in for a key
        signing_keys(settings(KUBEMEDIC_SIGNING_KEY=""), BUTTONS)


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
