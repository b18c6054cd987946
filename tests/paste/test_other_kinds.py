"""`kubectl get -o json|yaml` read as objects whatever their strings hold, and any kind by its
conditions and its deletion, as `kubectl describe` reads them."""

from __future__ import annotations

from pathlib import Path

from bot.diagnosis.paste import diagnose_paste
from bot.diagnosis.paste_read import read_pasted
from intents.facts.model import PodFacts
from intents.matcher import Matcher

PASTES = Path(__file__).parent / "pastes"


def read(name: str) -> str:
    return (PASTES / name).read_text()


def test_json_with_escaped_quotes_in_its_strings_is_still_read_as_an_object(
    matcher: Matcher,
) -> None:
    """A waiting message quoting the image (\\"...\\") used to be unescaped before decoding, which
    broke the JSON and lost the pod's facts."""
    parsed = read_pasted(read("get-pod-errimagepull-json-escaped.txt"))
    assert [s.label for s in parsed.subjects] == ["pod shop/api-7b9c6d5f4-hx2lq"]
    diagnosis = diagnose_paste(matcher, read("get-pod-errimagepull-json-escaped.txt"), top=3)
    assert diagnosis.answer is not None and diagnosis.answer.confirmed
    assert diagnosis.answer.match.id == "image-not-found"
    assert any("ErrImagePull" in fact for fact in diagnosis.answer.evidence)


def test_a_healthy_deployment_as_json_is_read_as_healthy(matcher: Matcher) -> None:
    parsed = read_pasted(read("get-deployment-healthy-json.txt"))
    assert [(s.label, s.healthy) for s in parsed.subjects] == [("Deployment shop/checkout", True)]
    diagnosis = diagnose_paste(matcher, read("get-deployment-healthy-json.txt"), top=3)
    assert diagnosis.answer is None
    assert any("no problem found" in note for note in diagnosis.notes)


def test_a_deployment_as_yaml_is_read_by_its_conditions(matcher: Matcher) -> None:
    parsed = read_pasted(read("get-deployment-deadline-yaml.txt"))
    deployment = next(s for s in parsed.subjects if s.label == "Deployment shop/checkout")
    assert not deployment.healthy
    [owner] = deployment.facts.owners
    assert (
        "Progressing=False" in owner.condition_states
        and "ProgressDeadlineExceeded" in owner.condition_reasons
    )
    diagnosis = diagnose_paste(matcher, read("get-deployment-deadline-yaml.txt"), top=3)
    assert (
        diagnosis.answer is not None and diagnosis.answer.match.id == "deployment-progress-deadline"
    )
    assert diagnosis.answer.confirmed


def test_an_object_being_deleted_is_read_with_its_failing_conditions() -> None:
    text = (
        '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "payments", '
        '"deletionTimestamp": "2024-05-14T08:01:10Z"}, "spec": {"finalizers": ["kubernetes"]}, '
        '"status": {"phase": "Terminating", "conditions": [{"type": "NamespaceContentRemaining", '
        '"status": "True", "reason": "SomeResourcesRemain", "message": "Some resources are remaining: '
        'kafkatopics.kafka.strimzi.io has 3 resource instances"}, {"type": "NamespaceDeletionDiscoveryFailure", '
        '"status": "False", "reason": "ResourcesDiscovered", "message": "All resources successfully discovered"}]}}'
    )
    namespace = read_pasted(text).subjects[0]
    assert not namespace.healthy and isinstance(namespace.facts, PodFacts)
    [owner] = namespace.facts.owners
    assert (owner.kind, owner.name, owner.deleting) == ("Namespace", "payments", True)
    # a deletion condition False is the healthy state: only the content remaining is failing
    assert owner.condition_states == ("NamespaceContentRemaining=True",)


def test_a_described_service_with_no_endpoints_is_said_sure_from_its_own_endpoints(
    matcher: Matcher,
) -> None:
    # `describe service` prints `Endpoints: <none>`: the Service's own fact, read once by the
    # outputs reader, confirms the entry (the benchmark's selector faults pasted this way were
    # left quiet); a fact of the surroundings names no entry its text did not match (no Envoy)
    diagnosis = diagnose_paste(matcher, read("describe-service-selector-matches-no-pod.txt"))
    answer = diagnosis.answer
    assert answer is not None and answer.match.id == "service-endpoints-empty"
    assert answer.match.confidence == "high"
    assert any("cartservice has no ready endpoints" in fact for fact in answer.evidence)
    assert all(f.match.id != "envoy-no-healthy-upstream" for f in diagnosis.findings)


def test_a_described_service_with_an_endpoint_is_not_confirmed_empty(matcher: Matcher) -> None:
    diagnosis = diagnose_paste(matcher, read("describe-service-with-endpoints.txt"))
    assert all(
        not (f.match.id == "service-endpoints-empty" and f.confirmed) for f in diagnosis.findings
    )
