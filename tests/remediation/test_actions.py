"""Each allowlisted action states exactly what it will change, within Slack's confirm limits."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.remediation.actions import ACTIONS
from bot.remediation.planning import Offer
from bot.remediation.service import RemediationService
from bot.remediation.targets import PodTarget
from responses.buttons import ConfirmSpec
from tests.remediation.conftest import Clock, settings, sqlite_store, stored_buttons

SAMPLES: dict[str, dict[str, Any]] = {
    "delete-pod": {"namespace": "shop", "name": "web-0", "owner": "ReplicaSet/web-5f7b9"},
    "delete-pvc-and-pod": {
        "namespace": "tidb",
        "name": "basic-tikv-1",
        "owner": "StatefulSet/basic-tikv",
        "pvc": "tikv-basic-tikv-1",
    },
    "annotate-debug": {"namespace": "tidb", "name": "basic-pd-1"},
    "rollout-restart": {"kind": "StatefulSet", "namespace": "tidb", "name": "basic-tikv"},
    "cordon-node": {"name": "worker-3"},
    "uncordon-node": {"name": "worker-3"},
    "scale-deployment": {"namespace": "shop", "name": "api", "replicas": 3},
    "delete-apiservice": {"name": "v1beta1.metrics.k8s.io"},
}


@pytest.mark.parametrize("kind", sorted(ACTIONS))
def test_confirm_text_names_every_object_and_fits(kind: str) -> None:
    spec = ACTIONS[kind]
    target = spec.parse({"cluster": "prod", **SAMPLES[kind]})
    text = spec.describe(target)
    ConfirmSpec(f"{spec.verb}?", text, confirm=spec.verb)  # raises when over Slack's limits
    for value in SAMPLES[kind].values():
        if isinstance(value, str) and "/" not in value and value not in ("StatefulSet",):
            assert value in text, (kind, value)
    assert "`prod`" in text


@pytest.mark.parametrize(
    "raw",
    [
        {"cluster": "prod", "namespace": "Shop", "name": "web-0"},
        {"cluster": "prod", "namespace": "shop", "name": "web_0"},
        {"cluster": "prod", "namespace": "shop", "name": "web-0", "extra": "x"},
        {"cluster": "prod `@here`", "namespace": "shop", "name": "web-0"},
        {"cluster": "prod", "namespace": "shop", "name": "web-0", "owner": "Bad Owner"},
        {"namespace": "shop", "name": "web-0"},
    ],
)
def test_targets_are_strict(raw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PodTarget.model_validate(raw)


async def test_an_offer_whose_confirm_text_would_not_fit_is_not_offered(tmp_path: Path) -> None:
    long = "x" * 120
    target = ACTIONS["delete-pvc-and-pod"].parse(
        {"cluster": "prod", "namespace": "tidb", "name": long + "-0", "pvc": long + "-1"}
    )
    async with sqlite_store(tmp_path) as store:
        unused: Any = None  # no click happens here: no writer is needed
        svc = RemediationService(store, lambda cluster: unused, settings(), clock=Clock())
        offer = Offer("delete-pvc-and-pod", "Delete", target, "tikv-cluster-id-mismatch")
        short = Offer(
            "delete-pod",
            "Delete",
            ACTIONS["delete-pod"].parse({"cluster": "prod", "namespace": "tidb", "name": "x-0"}),
            "pod-evicted",
        )
        buttons = await stored_buttons(
            svc, [offer, short], diagnosis_id=None, channel=None, thread_ts=None, user=None
        )
        assert [b.kind for b in buttons] == ["delete-pod"]
        stored = await store.get_pending_action(buttons[0].pending_id)
        assert stored is not None and stored.expires_at - Clock().now == timedelta(minutes=30)
