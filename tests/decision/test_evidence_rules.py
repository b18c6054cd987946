"""The rules on what a paste itself says an answer rests on (intents/decision/evidence_rules.py):
whose component it is about, and whether it asks rather than reports."""

from __future__ import annotations

import pytest

from intents.causality import graph_of
from intents.decision import FindingBoard
from intents.decision.components import known, rivals
from intents.decision.driver import run
from intents.decision.rules import OWN_WORDS
from intents.findings import Finding
from intents.results import EvidenceKind, Match, MatchedLine
from tests.catalogs import builtin_catalog
from tests.cli.runner import kubemedic_in_process, match_json
from tests.decision.boards import finding as made
from tests.decision.test_rule_cases import MYSQL_DROPPED

_DIAL = 'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 10.96.12.4:7233: i/o timeout"'


def finding(entry_id: str, kind: EvidenceKind = EvidenceKind.FUZZY) -> Finding:
    line = MatchedLine("a pasted line", "a symptom", 0.9, kind)
    return Finding(Match(builtin_catalog().entries[entry_id], 0.9, (line,)), (), 0.9)


@pytest.mark.parametrize(
    ("entry_id", "kind", "paste", "named"),
    [
        # a MySQL driver's dropped connection in another component's log: not TiDB's
        (
            "idle-connection-dropped",
            EvidenceKind.FUZZY,
            "kubeflow ml-pipeline: " + MYSQL_DROPPED,
            {"kubeflow"},
        ),
        # the paste names the entry's own product
        ("idle-connection-dropped", EvidenceKind.FUZZY, "our tidb app: " + MYSQL_DROPPED, set()),
        # no component named at all: no disagreement (other rules judge generic words)
        ("idle-connection-dropped", EvidenceKind.FUZZY, MYSQL_DROPPED, set()),
        # one cloud component's IAM refusal is not another's
        (
            "external-dns-provider-access-denied",
            EvidenceKind.FUZZY,
            (
                "aws-load-balancer-controller: AccessDenied: User: arn:aws:sts::1:assumed-role/lbc "
                "is not authorized to perform: elasticloadbalancing:AddTags"
            ),
            {"aws load balancer controller"},  # the ingress pack's product, as pastes spell it
        ),
        # a tag only the entry's product uses (HelmRelease: Flux) states it beside another name
        (
            "flux-helmrelease-failed",
            EvidenceKind.FUZZY,
            '"reconcilerKind":"HelmRelease","name":"cert-manager","error":"install retries exhausted"',
            set(),
        ),
        # a gRPC dial to Temporal is no API server's
        (
            "kubectl-apiserver-unreachable-timeout",
            EvidenceKind.FUZZY,
            "temporal worker: " + _DIAL,
            {"temporal"},
        ),
        # the API server named by its own words, beside Temporal
        (
            "kubectl-apiserver-unreachable-timeout",
            EvidenceKind.FUZZY,
            "temporal deploy: Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout",
            set(),
        ),
        # the API server named by its REST path, beside Temporal
        (
            "kubectl-apiserver-unreachable-timeout",
            EvidenceKind.FUZZY,
            'temporal deploy: Get "https://10.0.0.1/api/v1/nodes": dial tcp 10.0.0.1:443: i/o timeout',
            set(),
        ),
        # the entry's own message format read the line: its component's words
        (
            "external-dns-provider-access-denied",
            EvidenceKind.GRAMMAR,
            "kafka says AccessDenied",
            set(),
        ),
        # an entry of Kubernetes itself has no component to disagree with
        (
            "crashloop-backoff",
            EvidenceKind.FUZZY,
            "alertmanager: back-off restarting failed container",
            set(),
        ),
    ],
)
def test_a_paste_naming_another_component_disagrees_with_an_entry_it_does_not_state(
    entry_id: str, kind: EvidenceKind, paste: str, named: set[str]
) -> None:
    components = known(builtin_catalog().entries)
    assert rivals(finding(entry_id, kind), paste, components) == named


def test_the_component_agreement_rule_keeps_the_entry_where_the_paste_names_its_product() -> None:
    body = match_json(
        "the app in front of our tidb cluster logs this every few minutes:\n" + MYSQL_DROPPED
    )
    assert body["matches"][0]["id"] == "idle-connection-dropped"
    assert body["matches"][0]["confidence"] == "high"


def test_a_question_offers_nothing_and_says_why() -> None:
    body = match_json(
        "how do liveness probes work? do they restart the container when they fail?\n"
    )
    assert all(match["confidence"] == "low" for match in body["matches"])
    assert body["choices"] == []
    assert any("a question about how something works" in note for note in body["notes"])


def test_a_question_about_the_askers_own_failing_probe_is_answered() -> None:
    body = match_json(
        "why does my liveness probe keep failing?\n"
        "Warning  Unhealthy  10s (x3 over 30s)  kubelet  Liveness probe failed: HTTP probe failed "
        "with statuscode: 503\n"
    )
    assert body["matches"][0]["id"] == "liveness-probe-failed"
    assert body["matches"][0]["confidence"] in ("high", "medium")


def test_a_name_inside_the_entrys_own_matched_symptom_is_no_rival() -> None:
    """A line repeating the entry's own symptom words names no other component by them."""
    components = known(builtin_catalog().entries)
    entry = builtin_catalog().entries["keda-scaler-failed"]
    symptom = next(s for s in entry.symptoms if "prometheus metadata" in s)
    own = MatchedLine(symptom, symptom, 0.95, EvidenceKind.FUZZY)
    elsewhere = MatchedLine("a pasted line", "a symptom", 0.9, EvidenceKind.FUZZY)
    paste = "our worker's scaler: " + symptom
    assert rivals(Finding(Match(entry, 0.9, (own,)), (), 0.9), paste, components) == frozenset()
    assert "prometheus" in rivals(
        Finding(Match(entry, 0.9, (elsewhere,)), (), 0.9), paste, components
    )


_SDK_DIAL = (
    "Unable to create SDK client: failed reaching server: last connection error: connection "
    'error: desc = "transport: Error while dialing: dial tcp 10.96.4.2:7233: i/o timeout"'
)


@pytest.mark.parametrize(
    ("paste", "api_server"),
    [
        # an SDK's gRPC dial, no component named: nothing the API server says
        (_SDK_DIAL, False),
        # the API server's REST path in a client's request: its words
        (
            (
                'error listing nodes: Get "https://api.example.com/api/v1/nodes": dial tcp '
                "18.217.140.139:443: i/o timeout"
            ),
            True,
        ),
        # kubectl's own words of the API server
        ("Unable to connect to the server: dial tcp 10.0.0.1:443: i/o timeout", True),
    ],
)
def test_the_api_server_is_answered_only_where_the_paste_shows_its_own_words(
    paste: str, api_server: bool
) -> None:
    body = match_json(paste + "\n")
    sure = [m["id"] for m in body["matches"] if m["confidence"] in ("high", "medium")]
    assert ("kubectl-apiserver-unreachable-timeout" in sure) is api_server


def test_a_question_without_its_mark_gets_no_diagnosis_and_offers_nothing() -> None:
    text = kubemedic_in_process("match", stdin=b"what does CrashLoopBackOff mean\n")
    assert text.code == 0, text.stderr
    assert text.stdout.startswith("No confident match")
    assert "a question about how something works" in text.stdout
    assert "Is it one of these?" not in text.stdout


def test_a_question_that_quotes_its_error_is_answered() -> None:
    text = kubemedic_in_process(
        "match", stdin=b"why do I get `Back-off restarting failed container`?\n"
    )
    assert text.code == 0, text.stderr
    assert "[crashloop-backoff]  confidence: high" in text.stdout


def _own_words(findings: list[Finding]) -> list[str]:
    """The confidence of each finding once the `own words` rule has run on them."""
    entries = builtin_catalog().entries
    board = FindingBoard([], {}, entries, graph_of(entries.values()), paste=True, findings=findings)
    run(OWN_WORDS, board)
    return [f.match.confidence for f in board.findings]


@pytest.mark.parametrize(
    ("rival_named", "context_missing", "said"),
    [
        (False, False, "medium"),  # its own words, the rival's resemblance only: said
        (True, False, "low"),  # the rival shows its own words too: neither is sure
        (False, True, "low"),  # its required context is absent: its words do not make it sure
    ],
)
def test_a_low_answer_showing_its_own_words_clear_of_rivals_is_said_at_medium(
    rival_named: bool, context_missing: bool, said: str
) -> None:
    first = made("image-pull-rate-limited", 0.4, named=True, context_missing=context_missing)
    rival = made("image-not-found", 0.3, named=rival_named)
    assert _own_words([first, rival])[0] == said
