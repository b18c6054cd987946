"""The answer every chat renders leads with the first suspect and its fix (Block Kit shown),
then says why each other suspect ranks lower."""

from __future__ import annotations

import json

from bot.diagnosis.pod import Judge
from responses.block_kit import diagnosis_blocks
from responses.diagnosis import Diagnosis
from tests.suspects import shop as shops
from tests.suspects.faults import FAULTS
from tests.suspects.ranked import suspects_of


def test_slack_leads_with_the_suspect_its_fix_and_the_others(judge: Judge) -> None:
    shop = shops.healthy()
    FAULTS["quota"][0](shop)
    found = suspects_of(shop.snapshot(), (), judge=judge, symptom="checkout is failing")
    blocks = diagnosis_blocks(
        Diagnosis(subject="namespace shop", cluster="lab", suspects=found, counts=(("Running", 2),))
    )
    texts = [json.dumps(block) for block in blocks]
    lead = next(number for number, text in enumerate(texts) if "Most likely" in text)
    assert "namespace/shop" in texts[lead] and "resource-quota-exceeded" in texts[lead]
    assert "Fix: Raise compute's hard limit for requests.cpu" in texts[lead]
    assert "a symptom that resource-quota-exceeded on namespace/shop explains" in texts[lead + 1]
    assert lead <= 2, "the suspect comes right after the header"
