"""The close-call rule: a medium guess from the words alone is not said when another reading is as near.

The paste cases are written here (not copied from the corpus); the rule's figures come from
`python -m bench.carryover` (docs/matching.md).
"""

from __future__ import annotations

from intents.policy import POLICY
from tests.cli.runner import match_json, rules_matches
from tests.decision.boards import after_close_call, finding


def test_a_medium_guess_with_a_rival_as_near_is_not_said() -> None:
    # "killed, exit code 137": OOMKilled and a plain SIGKILL read almost alike from the words
    answer = match_json("the init container was killed, exit code 137, no idea why\n")
    assert answer["answer"] is None
    first, second = rules_matches(answer)[:2]
    assert {first["id"], second["id"]} == {"oom-killed", "exit-code-137-sigkill"}
    assert first["confidence"] == second["confidence"] == "low"
    assert first["text_score"] >= 0.5, "the text score the guess had is kept"
    assert any("too close to choose between" in note for note in answer["notes"])


def test_a_clear_lead_is_still_said() -> None:
    held, notes = after_close_call(
        [
            finding("oom-killed", 0.60),
            finding("exit-code-137-sigkill", 0.60 - POLICY.clear_lead - 0.05),
        ]
    )
    assert held[0].match.confidence == "medium"
    assert notes == []


def test_a_close_rival_holds_back_the_first_and_any_guess_as_near() -> None:
    held, notes = after_close_call(
        [
            finding("oom-killed", 0.60),
            finding("exit-code-137-sigkill", 0.55),
            finding("crashloop-backoff", 0.30),
        ]
    )
    assert [f.match.score for f in held] == [POLICY.quiet_score, POLICY.quiet_score, 0.30]
    assert [f.text_score for f in held] == [0.60, 0.55, 0.30]
    assert "oom-killed (0.60) and exit-code-137-sigkill (0.55)" in notes[0]


def test_confirmed_named_and_high_findings_are_never_held_back() -> None:
    rival = finding("exit-code-137-sigkill", 0.58)
    for first in (
        finding(
            "oom-killed", 0.60, evidence=("container app last terminated with reason OOMKilled",)
        ),
        finding("oom-killed", 0.60, named=True),
        finding("oom-killed", 0.80),
    ):
        assert after_close_call([first, rival])[0][0].match.score == first.match.score


def test_a_symptom_the_first_explains_is_no_rival() -> None:
    # the crash loop a missing ConfigMap causes tells the same story from its end
    held, _notes = after_close_call(
        [
            finding("create-container-config-error", 0.60),
            finding("crashloop-backoff", 0.58, because=("create-container-config-error",)),
        ]
    )
    assert held[0].match.confidence == "medium"


def test_an_outranked_entry_is_no_rival_but_a_catch_all_is() -> None:
    # liveness-probe-failed outranks readiness-probe-failed (two problems, liveness first)
    held, _notes = after_close_call(
        [finding("liveness-probe-failed", 0.60), finding("readiness-probe-failed", 0.58)]
    )
    assert held[0].match.confidence == "medium"
    # the registry's certificate entry just ahead of the x509 catch-all is still a close call
    held, _notes = after_close_call(
        [
            finding("image-registry-untrusted-certificate", 0.60),
            finding("x509-certificate-error", 0.58),
        ]
    )
    assert held[0].match.confidence == "low"


def test_a_lone_medium_guess_is_said() -> None:
    assert after_close_call([finding("oom-killed", 0.55)])[0][0].match.confidence == "medium"


def test_an_entry_capped_for_missing_context_is_no_rival() -> None:
    # a pull's back-off reads as refused credentials only in a paste about credentials (the
    # entry's `requires`); capped without them, it does not hold back the reading the words give
    capped = finding("image-pull-unauthorized", 0.45, context_missing=True)
    held, notes = after_close_call([finding("image-not-found", 0.54), capped])
    assert held[0].match.confidence == "medium"
    assert notes == []
    # the same score as a reading of the paste is a rival
    held, notes = after_close_call(
        [finding("image-not-found", 0.54), finding("image-pull-unauthorized", 0.45)]
    )
    assert held[0].match.confidence == "low"
