"""Every message format Kubernetes components print (intents/messages/data) is answered as mapped.

Each format is instantiated (its verbs filled with its `fill` values or plain
defaults), wrapped as its component prints it (a scheduler clause inside
"0/3 nodes are available: ..."), and run through the product's paste path:
the first answer must be the mapped catalog entry, and a format marked
`not-a-problem` or `uncovered` must get no answer (nothing guessed about a
line the grammar knows).  The data itself must carry its provenance and name
only real (or planned) catalog ids.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.loaded import LoadedCatalog
from intents.matcher import Matcher
from intents.messages.formats import _VERB as VERB
from intents.messages.formats import NOT_A_PROBLEM, SYMPTOM, UNCOVERED, MessageFormat, load_formats
from intents.messages.reader import MessageGrammar
from tests.real_corpus import planned_ids

FORMATS = load_formats()
PLANNED = planned_ids()
NO_ANSWER = {NOT_A_PROBLEM, UNCOVERED}


def instantiate(fmt: MessageFormat) -> str:
    """The format with its verbs filled by `fill` (or plain defaults): a message as printed."""
    values = list(fmt.fill)
    position = 0

    def value(match: re.Match[str]) -> str:
        nonlocal position
        if match.group(3) == "%":
            return "%"
        position += 1
        if position <= len(values):
            return values[position - 1]
        return {"d": "3", "q": '"app-7d4b9"', "t": "true"}.get(match.group(3), "example")

    return VERB.sub(value, fmt.format)


def instance(fmt: MessageFormat) -> str:
    """The message as the component prints it."""
    text = instantiate(fmt)
    if fmt.family == "scheduler-reason":
        return f"0/3 nodes are available: 3 {text}."
    if fmt.family == "scheduler-predicate":
        return f"No nodes are available that match all of the following predicates:: {text} (3)."
    return text


def expected(fmt: MessageFormat) -> str:
    """The answer the grammar gives the instance (a wrapper's is its cause's)."""
    if fmt.family != "message":
        return fmt.answer(fmt.fill)
    verdict = MessageGrammar.default().read(instance(fmt))
    assert verdict is not None, f"{fmt.key} does not read its own instance"
    return (
        verdict.answers[0]
        if verdict.answers
        else (SYMPTOM if not verdict.claimed else NOT_A_PROBLEM)
    )


def test_every_format_has_provenance_and_a_known_meaning(builtin_catalog: LoadedCatalog) -> None:
    ids = set(builtin_catalog.entries) | PLANNED | {NOT_A_PROBLEM, UNCOVERED, SYMPTOM}
    assert len(FORMATS) >= 150
    for fmt in FORMATS:
        assert fmt.component and fmt.path and fmt.versions, f"{fmt.key}: provenance missing"
        assert fmt.answers() <= ids, f"{fmt.key}: unknown answer {fmt.answers() - ids}"


def test_every_format_reads_its_own_instance() -> None:
    for fmt in FORMATS:
        text = instantiate(fmt)
        assert fmt.pattern.search(text), f"{fmt.key}: {fmt.pattern.pattern!r} misses {text!r}"
        # the cheap word check before a pattern is compiled never hides a message, in any case
        assert fmt.may_match(text.upper().casefold()), (
            f"{fmt.key}: {fmt.needles} not all in {text!r}"
        )


def test_a_line_is_tried_only_against_formats_whose_words_it_holds() -> None:
    formats = tuple(replace(f) for f in load_formats())  # copies: no pattern compiled yet
    grammar = MessageGrammar(formats)
    line = "Back-off restarting failed container app in pod web-1_shop(5f1c)"
    assert grammar.read(line) is not None
    unrelated = "the pod was created by a failed job"  # holds anchor words, not whole formats
    grammar.read(unrelated)
    tried = [f for f in formats if "pattern" in f.__dict__]
    assert tried and all(
        f.may_match(line.casefold()) or f.may_match(unrelated.casefold()) for f in tried
    )


def test_every_format_compiles_to_a_small_program() -> None:
    """RE2 is linear in the line whatever the pattern, but a counted repetition (`.{0,1000}`)
    compiles to a program of thousands of states whose DFA outgrows its memory on a long line,
    and RE2 then falls back to its slower NFA (34 ms for one 834-character line before)."""
    sizes = {f.key: f.pattern._compiled.programsize for f in FORMATS}  # type: ignore[attr-defined]
    largest = max(sizes, key=sizes.__getitem__)
    assert sizes[largest] < 2_000, f"{largest} compiles to {sizes[largest]} RE2 instructions"


@pytest.mark.parametrize("fmt", [f for f in FORMATS if not f.nested], ids=lambda f: f.key)
def test_the_product_answers_each_format_as_mapped(
    fmt: MessageFormat, matcher: Matcher, builtin_catalog: LoadedCatalog
) -> None:
    want = expected(fmt)
    if want == SYMPTOM or (want not in NO_ANSWER and want not in builtin_catalog.entries):
        pytest.skip(f"{fmt.key}: {want} (a symptom, or an entry not in the catalog yet)")
    diagnosis = diagnose_paste(matcher, instance(fmt), top=3)
    got = diagnosis.answer.match.id if diagnosis.answer is not None else None
    if want in NO_ANSWER:
        assert got is None, f"{fmt.key} ({want}): answered {got} on {instance(fmt)!r}"
    else:
        assert got == want, f"{fmt.key}: answered {got}, mapped {want}, on {instance(fmt)!r}"


def test_a_wrapper_answers_with_the_cause_it_wraps() -> None:
    pulled = (
        'Failed to pull image "web:1.0": rpc error: code = NotFound desc = failed to pull and unpack image'
        ' "docker.io/library/web:1.0": failed to resolve reference "docker.io/library/web:1.0":'
        " docker.io/library/web:1.0: not found"
    )
    verdict = MessageGrammar.default().read(pulled)
    assert verdict is not None and verdict.answers == ("image-not-found",) and verdict.claimed
    denied = pulled.replace(
        "docker.io/library/web:1.0: not found",
        "pull access denied, repository does not exist or may require authorization: "
        "server message: insufficient_scope: authorization failed",
    )
    verdict = MessageGrammar.default().read(denied)
    assert verdict is not None and verdict.answers == ("image-pull-unauthorized",)


def test_a_wrapper_whose_detail_is_unread_leaves_the_line_to_the_matcher() -> None:
    line = (
        'admission webhook "validation.gatekeeper.sh" denied the request: [require-owner] you must provide'
        ' labels: {"owner"}'
    )
    verdict = MessageGrammar.default().read(line)
    assert verdict is not None and verdict.answers == ("admission-webhook-denied",)
    assert not verdict.claimed and verdict.open_answers == {"admission-webhook-denied"}


def test_a_webhook_denial_answers_with_the_controller_reason_it_carries() -> None:
    line = (
        'admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "a.example.com"'
        ' and path "/" is already defined in ingress default/web'
    )
    verdict = MessageGrammar.default().read(line)
    assert (
        verdict is not None
        and verdict.answers == ("ingress-nginx-duplicate-host-path",)
        and verdict.claimed
    )


def test_a_grammar_bound_to_a_catalog_claims_only_what_it_can_answer() -> None:
    line = "Liveness probe failed: HTTP probe failed with statuscode: 500"
    assert MessageGrammar.for_catalog(["liveness-probe-failed"]).read(line).claimed  # type: ignore[union-attr]
    verdict = MessageGrammar.for_catalog(["other"]).read(line)
    assert verdict is not None and not verdict.claimed and not verdict.answers
