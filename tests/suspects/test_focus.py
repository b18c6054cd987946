"""Focus: of two independent faults, the one the symptom (or the question, or the alert's
subject) names leads; the other follows as "also broken"."""

from __future__ import annotations

import pytest

from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.walk import suspects_of
from tests.suspects import shop as shops
from tests.suspects.faults import env_typo, target_port


@pytest.mark.parametrize(
    ("symptom", "first", "other"),
    [
        # the person asks about checkout: its env names a Service that does not exist
        ("checkout is failing", "service/checkout", "service/cart"),
        # the person asks about cart: its Service's targetPort is no container port
        ("cart is unreachable", "service/cart", "service/checkout"),
    ],
)
def test_the_object_asked_about_leads_and_the_other_is_also_broken(
    symptom: str, first: str, other: str, judge: Judge
) -> None:
    shop = shops.healthy()
    target_port(shop)
    env_typo(shop)
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom=symptom)
    assert [s.object for s in suspects[:2]] == [first, other]
    assert suspects[1].lower.startswith("also broken"), suspects[1].lower
