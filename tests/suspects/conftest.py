from __future__ import annotations

import pytest

from bot.diagnosis.pod import Judge
from intents.matcher import Matcher


@pytest.fixture(scope="session")
def judge(matcher: Matcher) -> Judge:
    return Judge(matcher)
