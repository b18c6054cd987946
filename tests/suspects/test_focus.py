"""Focus: of two independent faults, the one the symptom (or the question, or the alert's
subject) names leads; the other follows as "also broken"."""

from __future__ import annotations

import pytest

from bot.diagnosis.pod import Judge
from tests.suspects import shop as shops
from tests.suspects.faults import env_typo, image_missing, slow_cart, target_port
from tests.suspects.ranked import suspects_of


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


def test_an_object_off_the_chain_never_leads_while_one_on_it_has_evidence(judge: Judge) -> None:
    """The symptom names checkout; frontend (which calls checkout: above it, off its chain)
    cannot pull its image, stated outright; cart (which checkout calls: on its chain) shows only
    in checkout's timed-out calls. The weaker evidence on the chain leads, the stronger off it
    follows as "also broken"."""
    shop = shops.healthy()
    image_missing(shop)
    slow_cart(shop)
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="checkout is slow")
    assert suspects[0].object == "service/cart", [(s.object, s.score) for s in suspects]
    frontend = next(s for s in suspects if s.object == "service/frontend")
    assert frontend.score > suspects[0].score  # stronger evidence, still not first
    assert frontend.lower == "also broken, not on the chain of what the symptom names"


def test_with_nothing_on_the_chain_the_object_off_it_is_named(judge: Judge) -> None:
    """The same image fault and a symptom naming checkout, where nothing on checkout's chain
    shows trouble: the rule never hides the only evidence there is."""
    shop = shops.healthy()
    image_missing(shop)
    suspects = suspects_of(shop.snapshot(), (), judge=judge, symptom="checkout is slow")
    assert suspects[0].object == "service/frontend"
