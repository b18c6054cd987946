"""A cached answer told with its age: the same words make the same (frozen) result, shared by the
asks that get them, and say exactly what a result made anew for each ask says."""

from __future__ import annotations

from bot.answering.diagnosing import Aged, _aged
from bot.answering.results import DiagnoseResult
from responses.answer_build import answer_view
from responses.diagnosis import Diagnosis


def _result(preface: str = "") -> DiagnoseResult:
    return DiagnoseResult(Diagnosis("pod shop/web-0", preface=preface), "fp")


def test_asks_told_the_same_age_share_one_result_saying_what_a_new_one_says() -> None:
    aged, cached = Aged(), _result("your question names pod shop/web-0")
    first = aged.told(cached, 3.2)
    assert aged.told(cached, 3.4) is first  # "evidence read 3 s ago" both times
    assert first == _aged(cached, 3.2)
    assert answer_view(first.diagnosis) == answer_view(_aged(cached, 3.2).diagnosis)


def test_another_age_or_another_result_is_told_anew() -> None:
    aged, cached = Aged(), _result()
    first = aged.told(cached, 0.5)
    later = aged.told(cached, 2.0)
    assert later is not first
    assert later == _aged(cached, 2.0)
    assert "evidence read 2 s ago" in later.diagnosis.preface
    other = _result()
    assert aged.told(other, 2.0) is not later
    assert aged.told(other, 2.0) == later  # equal words, its own result
