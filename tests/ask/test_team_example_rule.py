"""The decision's "team example" rule: a paste that reads the same as one a person chose an entry for
gets that entry first, at high confidence, saying who chose it; anything else is left alone."""

from __future__ import annotations

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.decision.explain import why_line
from intents.decision.rules import RULES
from intents.examples import TeamExample, lookup, reads_the_same, words_of
from intents.policy import POLICY
from responses.redaction import redact
from tests.noise import TRANSFORMATIONS
from tests.slack.harness import shared_matcher

ASKED = (
    "the init container was killed, exit code 137, no idea why. it happens every night "
    "on node worker-3 after the backup job starts, and the main container never gets to run "
    "so the checkout service stays down until morning"
)


def example(
    text: str = ASKED,
    entry: str = "exit-code-137-sigkill",
    chooser: str = "alice",
    day: str = "2026-11-26",
) -> TeamExample:
    return TeamExample(entry, words_of(redact(text)), chooser, day)


def answer_id(text: str, *examples: TeamExample) -> str | None:
    answer = diagnose_paste(shared_matcher(), redact(text), examples=examples).answer
    return answer.match.id if answer else None


def test_the_rule_is_one_named_rule_of_the_decision_after_named_outright_and_before_close_call() -> (
    None
):
    names = [rule.name for rule in RULES]
    assert names.count("team example") == 1
    assert names.index("named outright") < names.index("team example") < names.index("close call")
    assert next(rule for rule in RULES if rule.name == "team example").paste_only


def test_the_chosen_entry_answers_at_high_confidence_and_says_who_chose_it() -> None:
    # without the example the words alone do not give the chosen entry (the rules call it a close
    # call with oom-killed, which the learned decision may answer at medium)
    assert answer_id(ASKED) != "exit-code-137-sigkill"
    diagnosis = diagnose_paste(shared_matcher(), redact(ASKED), examples=[example()])
    answer = diagnosis.answer
    assert answer is not None and answer.match.id == "exit-code-137-sigkill"
    assert answer.match.score >= POLICY.high
    assert "chosen by @alice on 2026-11-26 for the same error" in why_line(answer)
    # the last step that changed it (the learned rule only notes that it abstains while the model
    # is older than the catalog for a candidate: a catalog edit before the retrain)
    changed = [step.rule for step in answer.match.why if not step.effect.startswith("abstained:")]
    assert changed[-1] == "team example"


@pytest.mark.parametrize("noise", sorted(TRANSFORMATIONS))
def test_the_same_error_pasted_through_any_usual_noise_reads_the_same(noise: str) -> None:
    # each way people paste the text again: markdown, Slack escaping, a terminal's wrapping, a log shipper...
    assert answer_id(TRANSFORMATIONS[noise](ASKED), example()) == "exit-code-137-sigkill"


@pytest.mark.parametrize(
    ("later", "why"),
    [
        ("the init container was killed, exit code 137, no idea why", "only part of the example"),
        (
            ASKED
            + " and then the whole node went NotReady and every pod on it was evicted while the kubelet kept "
            "restarting on it",
            "more other words than half the example's",
        ),
        (
            ASKED.replace("exit code 137", "exit code 1"),
            "a different exit code is a different error",
        ),
        ("Back-off restarting failed container app in pod web-0", "another error altogether"),
    ],
)
def test_a_paste_that_does_not_read_the_same_is_left_to_the_words(later: str, why: str) -> None:
    assert answer_id(later, example()) == answer_id(later), why


def test_other_values_in_the_same_error_read_the_same() -> None:
    # the numbers, times and a restarted pod's generated suffix vary between two sightings of one error
    later = ASKED.replace("worker-3", "worker-12") + " (pod checkout-7d9f8c6b5-x2kq4, 03:12:44)"
    assert (
        answer_id(later, example(ASKED + " (pod checkout-5c4b9d7f6-p8zrt, 02:01:09)"))
        == "exit-code-137-sigkill"
    )


def test_a_table_of_other_pods_in_the_same_state_does_not_read_the_same() -> None:
    table = "NAME                        READY   STATUS             RESTARTS   AGE\n{} 0/1     CrashLoopBackOff   {}          {}m\n"
    chosen = example(table.format("checkout-7d9f8c6b5-x2kq4  ", 9, 12) * 4, entry="oom-killed")
    restarted = table.format("checkout-5c4b9d7f6-p8zrt  ", 11, 30) * 4
    assert reads_the_same(chosen.words, words_of(redact(restarted)))  # same pod, restarted
    other = table.format("payments-6f5d8b7c9-q2w3e  ", 9, 12) * 4
    assert not reads_the_same(
        chosen.words, words_of(redact(other))
    )  # another pod may crash for another reason
    assert answer_id(other, chosen) == answer_id(other)


def test_an_example_never_outranks_a_confirmed_catalog_match_and_says_so() -> None:
    # the pasted table confirms a crash loop at high confidence: a person's choice does not move it
    table = "NAME                        READY   STATUS             RESTARTS   AGE\n{} 0/1     CrashLoopBackOff   {}          {}m\n"
    paste = table.format("checkout-7d9f8c6b5-x2kq4  ", 9, 12) * 4
    alone = diagnose_paste(shared_matcher(), redact(paste)).answer
    assert alone is not None and alone.match.score >= POLICY.high
    taught = diagnose_paste(
        shared_matcher(), redact(paste), examples=[example(paste, entry="oom-killed")]
    ).answer
    assert taught is not None and taught.match.id == alone.match.id
    assert "kept before oom-killed, which @alice chose for the same error" in why_line(taught)
    assert "a team example never outranks a confirmed match" in why_line(taught)  # by its own facts


def test_an_example_too_short_to_tell_errors_apart_answers_nothing() -> None:
    short = "pods are restarting again"
    assert len(words_of(short)) < POLICY.example_min_words
    assert not reads_the_same(words_of(short), words_of(short)) and lookup(words_of(short)) is None
    assert answer_id(short, example(short, "crashloop-backoff")) == answer_id(short)


def test_the_newest_example_wins_and_an_entry_gone_from_the_catalog_is_skipped() -> None:
    newer, older = example(entry="oom-killed", day="2026-11-27"), example(day="2026-11-20")
    assert answer_id(ASKED, newer, older) == "oom-killed"  # the caller passes them newest first
    assert answer_id(ASKED, example(entry="no-such-entry")) == answer_id(ASKED)


def test_a_long_paste_is_found_by_its_first_words_and_its_length() -> None:
    words = words_of(ASKED)
    found = lookup(words)
    assert found is not None and found.shortest <= len(words) <= found.longest
    assert (
        len(found.leads)
        == min(POLICY.example_extra_words, len(words) - POLICY.example_min_words) + 1
    )
