"""Matcher behaviour a user notices: right answer, quiet on noise, bounded work."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest

from intents.checked import validate
from intents.index import CatalogIndex
from intents.loaded import LoadedCatalog
from intents.matcher import Matcher
from intents.policy import POLICY
from intents.schema import CatalogEntry


def _weight(matcher: Matcher, token: str) -> float:
    return matcher.index.weights[matcher.index.vocab[token]]


@pytest.mark.parametrize(
    "rare", ["runasnonroot", "multi-attach", "disk-pressure", "mismatch", "deadline"]
)
@pytest.mark.parametrize("common", ["error", "failed", "pod"])
def test_discriminating_tokens_outweigh_common_words(
    matcher: Matcher, rare: str, common: str
) -> None:
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
        (
            (
                '[ERROR] [util.rs:462] [\\"request failed, retry\\"] [err_code=KV:Pd:Grpc] '
                '[err=\\"Grpc(RpcFailure(RpcStatus { code: 4-DEADLINE_EXCEEDED, message: \\\\\\"Deadline Exceeded\\\\\\" }))\\"]'
            ),
            "tikv-pd-grpc-deadline-exceeded",
        ),
        # the scheduler message from seed 001, inside a Slack code fence
        (
            (
                "```Warning  FailedScheduling  4m38s (x426 over 8h)  default-scheduler  0/1 nodes are available: "
                "1 node(s) had taint {node.kubernetes.io/disk-pressure: }, that the pod didn't tolerate.```"
            ),
            "node-disk-pressure",
        ),
        # the runAsNonRoot message from seed 001 with a different user name
        (
            "Error: container has runAsNonRoot and image has non-numeric user (nginx), cannot verify user is non-root",
            "run-as-non-root-non-numeric-user",
        ),
    ],
)
def test_seed_messages_find_their_entry_with_high_confidence(
    matcher: Matcher, paste: str, expected: str
) -> None:
    top = matcher.match(paste, top=1)[0]
    assert (top.id, top.confidence) == (expected, "high")


def test_the_match_explains_which_line_matched(matcher: Matcher) -> None:
    paste = 'all good\nWarning FailedAttachVolume Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node and can\'t be attached to another\nbye'
    top = matcher.match(paste, top=1)[0]
    assert top.id == "volume-multi-attach"
    assert "Multi-Attach" in top.matched[0].line
    assert 0 < top.matched[0].score <= 1


def _scaled_catalog(catalog: LoadedCatalog, copies: int) -> list[CatalogEntry]:
    """The real catalog plus `copies` renamed copies of every entry, with unrelated wording."""
    entries = list(catalog.entries.values())
    for copy in range(copies):
        entries += [
            replace(
                entry,
                id=f"{entry.id}-c{copy}",
                symptoms=[f"widget{copy}x{n} sprocket{copy}y{n} flux{copy}" for n in range(3)],
                patterns=[],
            )
            for entry in entries[: len(catalog.entries)]
        ]
    return entries


def test_work_is_bounded_by_the_shortlist_not_the_catalog(builtin_catalog: LoadedCatalog) -> None:
    small = CatalogIndex(list(builtin_catalog.entries.values()))
    large = CatalogIndex(_scaled_catalog(builtin_catalog, 30))
    paste = (
        "Last State: Terminated\n Reason: OOMKilled\n Exit Code: 137\n"
        + "INFO request served\n" * 300
    )
    scored: dict[str, int] = {}
    for name, index in (("small", small), ("large", large)):
        matcher = Matcher(index)
        original = matcher._score_symptom
        calls = []
        matcher._score_symptom = lambda s, p, h, _o=original, _c=calls: (_c.append(s), _o(s, p, h))[
            1
        ]  # type: ignore[method-assign]
        assert matcher.match(paste, top=1)[0].id == "oom-killed"
        scored[name] = len(calls)
    assert large.symptom_count > 10 * small.symptom_count
    assert scored["large"] <= POLICY.shortlist_symptoms
    assert scored["large"] <= 2 * scored["small"]  # 10x the catalog, not 10x the work


def _entry(entry_id: str, symptoms: list[str], **extra: object) -> CatalogEntry:
    return validate(
        CatalogEntry,
        {
            "id": entry_id,
            "title": entry_id,
            "summary": "s",
            "symptoms": symptoms,
            "root_cause": "r",
            "fix": [{"text": "f"}],
            "links": [{"url": "https://example.org/x", "title": "x"}],
            "sources": ["k8s"],
            **extra,
        },
    )


def test_a_line_showing_the_healthy_opposite_is_never_evidence() -> None:
    # `kubectl describe node` of a healthy node lists NodeHasNoDiskPressure; it must not
    # count for an entry about disk pressure, while the unhealthy line still does.
    pressure = _entry(
        "disk",
        ["Normal NodeHasDiskPressure Node status is now: NodeHasDiskPressure"],
        excludes=[r"NodeHasNoDiskPressure"],
    )
    other = _entry("other", ["Back-off restarting failed container"])
    matcher = Matcher.from_entries([pressure, other])
    healthy = "Normal  NodeHasNoDiskPressure  kubelet  Node status is now: NodeHasNoDiskPressure"
    assert all(m.id != "disk" for m in matcher.match(healthy))
    sick = "Normal  NodeHasDiskPressure  kubelet  Node status is now: NodeHasDiskPressure"
    assert matcher.match(sick)[0].id == "disk"


def test_an_entry_whose_required_words_are_absent_is_never_answered() -> None:
    # an HPA scale-up event alone says nothing about Istio: without "istio" or "envoy"
    # anywhere in the paste the Istio entry stays low.
    istio = _entry(
        "istio-hpa",
        [
            "New size: 4; reason: cpu resource utilization above target",
            "istio-proxy sidecar uses the cpu",
        ],
        requires=[r"(?i)istio|envoy"],
    )
    matcher = Matcher.from_entries(
        [istio, _entry("other", ["Back-off restarting failed container"])]
    )
    # (the rescale message as an HPA's status shows it; a "Normal SuccessfulRescale" event row
    # would not count at all: see test_a_normal_event_row_counts_only_through_a_pattern)
    event = "horizontal-pod-autoscaler: New size: 4; reason: cpu resource utilization (percentage of request) above target"
    top = matcher.match(event)[0]
    assert (top.id, top.confidence) == ("istio-hpa", "low")
    assert (
        matcher.match(event + "\nthe istio-proxy container is the one using cpu")[0].confidence
        != "low"
    )


def test_a_normal_event_row_counts_only_through_a_pattern() -> None:
    # "Normal Pulled ... Successfully pulled image" shares its words with a slow-pull entry's
    # symptom; a Normal event reports progress, so only the entry's own regex may claim it.
    slow = _entry(
        "slow-pulls",
        ['Normal Pulled 3m kubelet Successfully pulled image "app:1" in 11m12s'],
        patterns=[r"Successfully pulled image .{0,300} in [0-9]+m[0-9.]+s"],
    )
    matcher = Matcher.from_entries(
        [slow, _entry("other", ["Back-off restarting failed container"])]
    )
    quick = 'Normal  Pulled  43s  kubelet  Successfully pulled image "shop/cart:2.14.1" in 1.2s'
    assert all(m.id != "slow-pulls" for m in matcher.match(quick))
    queued = 'Normal  Pulled  43s  kubelet  Successfully pulled image "shop/cart:2.14.1" in 9m3.1s'
    assert matcher.match(queued)[0].id == "slow-pulls"
    # a Normal event whose reason names a failure (FailedBinding) still counts as usual
    binding = _entry(
        "binding", ["Warning FailedBinding no persistent volumes available for this claim"]
    )
    matcher = Matcher.from_entries(
        [binding, _entry("other", ["Back-off restarting failed container"])]
    )
    normal = "Normal  FailedBinding  8s (x42 over 10m)  persistentvolume-controller  no persistent volumes available for this claim"
    assert matcher.match(normal)[0].id == "binding"


def test_a_pattern_whose_rarest_word_is_a_number_still_fires() -> None:
    # Numbers become placeholders in a paste, so "413" or "x509" can never anchor a regex;
    # two patterns sharing such a number once crashed the index and one never fired.
    big = _entry(
        "too-large",
        ["nginx rejects the upload"],
        patterns=[
            r"(?i)413 Request Entity Too Large",
            r"(?i)client intended to send too large body",
        ],
    )
    gone = _entry("gone", ["the proxy answers 503"], patterns=[r"(?i)\b503 UC upstream_reset"])
    cert = _entry("cert", ["tls handshake fails"], patterns=[r"(?i)x509: certificate has expired"])
    matcher = Matcher.from_entries(
        [big, gone, cert, _entry("other", ["Back-off restarting failed container"])]
    )
    for paste, expected in [
        # a 413 alone fires the regex but is a keyword alone (intents/keywords.py): low
        ("<head><title>413 Request Entity Too Large</title></head>", ("too-large", "low")),
        (
            '"GET /v1 HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination}',
            ("gone", "high"),
        ),
        (
            "Unable to connect to the server: x509: certificate has expired or is not yet valid",
            ("cert", "high"),
        ),
    ]:
        top = matcher.match(paste)[0]
        assert (top.id, top.confidence) == expected


def test_a_regex_of_alternatives_runs_even_when_no_symptom_shares_a_word_with_the_paste() -> None:
    # the entry's symptoms say nothing like the paste; only the second branch of its regex does
    dns = _entry(
        "dns",
        ["coredns lookup timeout on the cluster resolver"],
        patterns=[r"(?i)temporary failure in name resolution|getaddrinfo EAI_AGAIN"],
    )
    matcher = Matcher.from_entries([dns, _entry("other", ["Back-off restarting failed container"])])
    top = matcher.match(
        "Error: getaddrinfo EAI_AGAIN api.stripe.com at GetAddrInfoReqWrap.onlookup"
    )[0]
    assert (top.id, top.confidence) == ("dns", "high")


_INDEX_DIGEST = """
import hashlib, pickle
from intents.index import CatalogIndex
from intents.loader import load_catalog
index = CatalogIndex(sorted(load_catalog().entries.values(), key=lambda entry: entry.id))
parts = (index.vocab, list(index.token_ids), index.pattern_anchors, index.postings, index.weights)
print(hashlib.sha256(pickle.dumps(parts)).hexdigest())
"""


def test_every_process_builds_the_same_index_whatever_its_hash_seed() -> None:
    # Two replicas (or a rebuilt cache) must number words alike, so ties break alike and the
    # same paste gets the same reply everywhere.
    digests = {
        subprocess.run(
            [sys.executable, "-c", _INDEX_DIGEST],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
