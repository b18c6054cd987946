"""The routing file: rules in order, allow/deny lists, and every problem named at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.noise.routing import Facts, RoutingProblems, load_routing

EXAMPLE = """\
default: {channel: C0ALERTS}
deny:
  namespaces: [kube-system, "dev-*"]
  reasons: [KubeCPUOvercommit, exit-code-143-sigterm]
rules:
  - match: {namespace: [payments, "payments-*"], severity: [critical]}
    channel: C0PAYCRIT
    mention: "<!subteam^S0PAYONCALL|payments-oncall>"
  - match: {namespace: payments}
    channel: C0PAYMENTS
  - match: {cluster: "prod-*", catalog_id: [oom-killed, crashloop-backoff], source: watch}
    channel: "#prod-workloads"
  - match: {labels: {team: "data*"}}
    channel: C0DATA001
"""

ROUTES = [
    # critical payments alerts: the first rule, with its mention
    (
        Facts("alertmanager", namespace="payments-eu", severity="critical"),
        ("C0PAYCRIT", "<!subteam^S0PAYONCALL|payments-oncall>"),
    ),
    # the same namespace at warning: the first rule does not hold, the second does
    (Facts("alertmanager", namespace="payments", severity="warning"), ("C0PAYMENTS", None)),
    # watcher findings of a prod cluster by catalog id
    (
        Facts("watch", cluster="prod-eu", namespace="shop", catalog_id="oom-killed"),
        ("#prod-workloads", None),
    ),
    # ...but not an alert (source) nor another catalog id: the default
    (
        Facts("alertmanager", cluster="prod-eu", namespace="shop", catalog_id="oom-killed"),
        ("C0ALERTS", None),
    ),
    (
        Facts("watch", cluster="prod-eu", namespace="shop", catalog_id="pod-evicted"),
        ("C0ALERTS", None),
    ),
    # an alert label
    (Facts("alertmanager", namespace="etl", labels={"team": "data-platform"}), ("C0DATA001", None)),
    # a rule condition on a fact the finding does not have never holds
    (Facts("alertmanager", namespace=None, labels={}), ("C0ALERTS", None)),
]


@pytest.mark.parametrize(("facts", "expected"), ROUTES)
def test_the_first_matching_rule_routes_else_the_default(
    tmp_path: Path, facts: Facts, expected: tuple[str, str | None]
) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text(EXAMPLE)
    destination = load_routing(path, fallback_channel=None).destination(facts)
    assert destination is not None and (destination.channel, destination.mention) == expected


FILTERS = [
    (
        Facts("watch", namespace="kube-system", reasons=("OOMKilled",)),
        "namespace kube-system is denied",
    ),
    (
        Facts("watch", namespace="dev-alice", reasons=("OOMKilled",)),
        "namespace dev-alice is denied",
    ),
    (Facts("alertmanager", namespace=None, reasons=("KubeCPUOvercommit",)), "reason denied"),
    (Facts("watch", namespace="shop", reasons=("Error", "exit-code-143-sigterm")), "reason denied"),
    (Facts("watch", namespace="shop", reasons=("OOMKilled", "oom-killed")), None),
]


@pytest.mark.parametrize(("facts", "refusal"), FILTERS)
def test_deny_lists_by_namespace_and_reason(
    tmp_path: Path, facts: Facts, refusal: str | None
) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text(EXAMPLE)
    assert load_routing(path, fallback_channel=None).refusal(facts) == refusal


def test_an_allow_list_keeps_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text("allow: {namespaces: [shop], reasons: [OOMKilled, KubePod*]}\n")
    routing = load_routing(path, fallback_channel="C0FALLBACK")
    assert routing.refusal(Facts("watch", namespace="shop", reasons=("OOMKilled",))) is None
    assert (
        routing.refusal(Facts("alertmanager", namespace="shop", reasons=("KubePodNotReady",)))
        is None
    )
    assert (
        routing.refusal(Facts("watch", namespace="blog", reasons=("OOMKilled",)))
        == "namespace blog is not allowed"
    )
    assert (
        routing.refusal(Facts("watch", namespace="shop", reasons=("Evicted",)))
        == "reason not allowed"
    )
    destination = routing.destination(Facts("watch", namespace="shop"))
    assert (
        destination is not None and destination.channel == "C0FALLBACK"
    )  # KUBEMEDIC_ALERT_CHANNEL


def test_every_problem_of_a_broken_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text("""\
default: {channel: alerts}
dney: {namespaces: [x]}
rules:
  - match: {namespace: shop, severty: critical}
    channel: C0SHOP001
  - channel: C0OTHER
    mention: "@oncall"
  - match: {source: slack}
""")
    with pytest.raises(RoutingProblems) as caught:
        load_routing(path, fallback_channel="C0FALLBACK")
    text = "\n".join(caught.value.problems)
    for expected in (
        "default.channel: 'alerts' is not a Slack channel id",
        "dney: Extra inputs",
        "rules.0.match.severty: Extra inputs",
        "rules.1.mention: '@oncall' is not a Slack mention",
        "rules.2.channel: Field required",
        "rules.2.match.source: Input should be",
    ):
        assert expected in text, (expected, text)
    assert all(problem.startswith(str(path)) for problem in caught.value.problems)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("rules: [", "invalid YAML"),
        ("- a\n- b\n", "expected a mapping"),
        ("", "no default channel"),
    ],
)
def test_unusable_files_get_one_line(tmp_path: Path, content: str, said: str) -> None:
    path = tmp_path / "routing.yaml"
    path.write_text(content)
    with pytest.raises(RoutingProblems, match=said):
        load_routing(path, fallback_channel=None)
    with pytest.raises(RoutingProblems, match="cannot read"):
        load_routing(tmp_path / "missing.yaml", fallback_channel="C0ALERTS")


def test_the_routing_examples_in_the_docs_and_examples_are_valid(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    load_routing(root / "examples" / "routing.yaml", fallback_channel=None)
    readme = (root / "docs" / "alerts-and-watcher.md").read_text()
    snippet = readme[readme.index("**Routing file**") :].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "routing.yaml"
    path.write_text(snippet)
    routing = load_routing(path, fallback_channel=None)
    destination = routing.destination(
        Facts("alertmanager", namespace="payments-eu", severity="critical")
    )
    assert (
        destination is not None
        and destination.mention == "<!subteam^S0123PAYONCALL|payments-oncall>"
    )
