"""Matcher behaviour a user notices: right answer, quiet on noise, bounded work."""

from __future__ import annotations

import pytest

from intents.index import CatalogIndex
from intents.loader import LoadedCatalog
from intents.matcher import SHORTLIST_SYMPTOMS, Matcher
from intents.schema import CatalogEntry


def _weight(matcher: Matcher, token: str) -> float:
    return matcher.index.weights[matcher.index.vocab[token]]


@pytest.mark.parametrize("rare", ["runasnonroot", "multi-attach", "disk-pressure", "mismatch", "deadline"])
@pytest.mark.parametrize("common", ["error", "failed", "pod"])
def test_discriminating_tokens_outweigh_common_words(matcher: Matcher, rare: str, common: str) -> None:
    assert _weight(matcher, rare) > 2 * _weight(matcher, common)


@pytest.mark.parametrize(
    "paste",
    [
        "error: failed to start pod, container error, failed again",  # only common words
        "the deploy failed, can someone look at the pod?",  # chat with Kubernetes words
        "Error: connect ECONNREFUSED 127.0.0.1:5432 at TCPConnectWrap.afterConnect",  # Node.js app error
    ],
)
def test_common_words_alone_never_give_a_confident_answer(matcher: Matcher, paste: str) -> None:
    matches = matcher.match(paste, top=1)
    assert not matches or matches[0].confidence == "low"


@pytest.mark.parametrize(
    ("paste", "expected"),
    [
        # the TiKV line from seed 000, JSON-escaped as it appears in the alarm
        (('[ERROR] [util.rs:462] [\\"request failed, retry\\"] [err_code=KV:Pd:Grpc] '
          '[err=\\"Grpc(RpcFailure(RpcStatus { code: 4-DEADLINE_EXCEEDED, message: \\\\\\"Deadline Exceeded\\\\\\" }))\\"]'),
         "tikv-pd-grpc-deadline-exceeded"),
        # the scheduler message from seed 001, inside a Slack code fence
        (("```Warning  FailedScheduling  4m38s (x426 over 8h)  default-scheduler  0/1 nodes are available: "
          "1 node(s) had taint {node.kubernetes.io/disk-pressure: }, that the pod didn't tolerate.```"),
         "node-disk-pressure"),
        # the runAsNonRoot message from seed 001 with a different user name
        ("Error: container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root",
         "run-as-non-root-non-numeric-user"),
    ],
)
def test_seed_messages_find_their_entry_with_high_confidence(matcher: Matcher, paste: str, expected: str) -> None:
    top = matcher.match(paste, top=1)[0]
    assert (top.id, top.confidence) == (expected, "high")


def test_the_match_explains_which_line_matched(matcher: Matcher) -> None:
    paste = "all good\nWarning FailedAttachVolume Multi-Attach error for volume \"pvc-1\" Volume is already exclusively attached to one node and can't be attached to another\nbye"
    top = matcher.match(paste, top=1)[0]
    assert top.id == "volume-multi-attach"
    assert "Multi-Attach" in top.matched[0].line
    assert 0 < top.matched[0].score <= 1


def _scaled_catalog(catalog: LoadedCatalog, copies: int) -> list[CatalogEntry]:
    """The real catalog plus `copies` renamed copies of every entry, with unrelated wording."""
    entries = list(catalog.entries.values())
    for copy in range(copies):
        entries += [
            entry.model_copy(update={
                "id": f"{entry.id}-c{copy}",
                "symptoms": [f"widget{copy}x{n} sprocket{copy}y{n} flux{copy}" for n in range(3)],
                "patterns": [],
            })
            for entry in entries[: len(catalog.entries)]
        ]
    return entries


def test_work_is_bounded_by_the_shortlist_not_the_catalog(builtin_catalog: LoadedCatalog) -> None:
    small = CatalogIndex(list(builtin_catalog.entries.values()))
    large = CatalogIndex(_scaled_catalog(builtin_catalog, 30))
    paste = "Last State: Terminated\n Reason: OOMKilled\n Exit Code: 137\n" + "INFO request served\n" * 300
    scored: dict[str, int] = {}
    for name, index in (("small", small), ("large", large)):
        matcher = Matcher(index)
        original = matcher._score_symptom
        calls = []
        matcher._score_symptom = lambda s, p, h, _o=original, _c=calls: (_c.append(s), _o(s, p, h))[1]  # type: ignore[method-assign]
        assert matcher.match(paste, top=1)[0].id == "oom-killed"
        scored[name] = len(calls)
    assert large.symptom_count > 10 * small.symptom_count
    assert scored["large"] <= SHORTLIST_SYMPTOMS
    assert scored["large"] <= 2 * scored["small"]  # 10x the catalog, not 10x the work
