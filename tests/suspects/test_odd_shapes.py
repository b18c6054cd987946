"""Bad input gets no traceback: routes, autoscalers, alerts and ConfigMaps of any shape a person
may type into a ticket walk to an answer (none about them) instead of an exception."""

from __future__ import annotations

from typing import Any

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.walk import walked
from tests.suspects import shop as shops

ODD: list[Any] = [
    None,
    "x",
    5,
    [],
    {},
    [None],
    ["x"],
    {"number": "abc"},
    [{"backend": "svc"}],
    [{"http": "x"}],
    [{"http": {"paths": [None, {"backend": {"service": "x"}}]}}],
]


@pytest.mark.parametrize("odd", ODD, ids=[repr(v)[:30] for v in ODD])
def test_odd_shapes_walk_to_no_suspect_about_them(odd: Any, judge: Judge) -> None:
    snapshot = shops.healthy().snapshot()
    snapshot.objects.update(
        {
            "ingresses": [
                {"metadata": {"name": "i"}, "spec": {"rules": odd, "defaultBackend": odd}},
                {"metadata": {"name": "j"}, "spec": odd},
            ],
            "httproutes": [
                {
                    "metadata": {"name": "h"},
                    "spec": {"rules": [{"backendRefs": odd, "matches": odd}]},
                }
            ],
            "virtualservices": [
                {"metadata": {"name": "v"}, "spec": {"hosts": odd, "http": [{"route": odd}]}}
            ],
            "horizontalpodautoscalers": [
                {"metadata": {"name": "a"}, "spec": {"scaleTargetRef": odd, "metrics": odd}}
            ],
        }
    )
    snapshot.alerts = [{"labels": {"alertname": "X", "service": str(odd)}, "annotations": odd}]
    snapshot.config_maps = {"cart-config": {"data": odd}}
    suspects, _notes = walked(snapshot, (), judge=judge, symptom="the shop is slow")
    assert [s for s in suspects if s.confidence in ("high", "medium")] == []
