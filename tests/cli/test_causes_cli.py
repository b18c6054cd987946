"""Causes above symptoms, and product advice only in its context, through `kubemedic`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli.runner import Result, kubemedic_in_process
from tests.cli.test_catalog_cli import GOOD_ENTRY

NOT_READY_CNI = b"""\
NAME       STATUS     ROLES    AGE   VERSION
worker-1   NotReady   <none>   12m   v1.29.2

$ journalctl -u kubelet | tail -1
Jan 12 10:01:02 worker-1 kubelet[812]: E0112 10:01:02.123456     812 kubelet.go:2855] "Container runtime \
network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin \
returns error: cni plugin not initialized"
"""


def _by_id(matches: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(match["id"]): match for match in matches}


def test_a_cause_in_the_paste_leads_the_symptom_it_explains() -> None:
    result = kubemedic_in_process("match", "--json", "-", stdin=NOT_READY_CNI)
    assert result.code == 0, result.stderr
    view = result.json()
    assert view["answer"] == "cni-network-plugin-not-ready"
    matches = _by_id(view["matches"])
    assert matches["node-not-ready"]["because"] == ["cni-network-plugin-not-ready"]
    assert matches["cni-network-plugin-not-ready"]["because"] == []
    text = kubemedic_in_process("match", "-", stdin=NOT_READY_CNI).stdout
    assert "Node NotReady because: " in text


def test_a_symptom_named_in_the_chain_is_not_listed_again_as_another_match() -> None:
    result = kubemedic_in_process("match", "--verbose", "-", stdin=NOT_READY_CNI)
    assert "Node NotReady because: " in result.stdout
    others = result.stdout.partition("Close to the answer:")[2]
    assert "node-not-ready:" not in others


def test_a_symptom_alone_is_still_answered_and_names_no_cause() -> None:
    paste = b"NAME       STATUS     ROLES    AGE   VERSION\nworker-1   NotReady   <none>   12m   v1.29.2\n"
    view = kubemedic_in_process("match", "--json", "-", stdin=paste).json()
    assert view["answer"] == "node-not-ready"
    assert view["matches"][0]["because"] == []


def _entry(entry_id: str, extra: str) -> str:
    return GOOD_ENTRY.format(id=entry_id, title=entry_id) + extra


def _catalog_check(tmp_path: Path, extras: dict[str, str]) -> Result:
    """`catalog check` over one user entry per id, each the good entry plus its extra lines."""
    for entry_id, extra in extras.items():
        (tmp_path / f"{entry_id}.yaml").write_text(_entry(entry_id, extra))
    return kubemedic_in_process("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})


def test_catalog_check_refuses_causes_it_cannot_follow(tmp_path: Path) -> None:
    result = _catalog_check(
        tmp_path,
        {
            "ghost": "explains: [no-such-entry]\n",
            "plain": "explains: [oom-killed]\n",  # not a symptom
            "loop-a": "symptom: A\nexplains: [loop-b]\n",
            "loop-b": "symptom: B\nexplains: [loop-a]\n",
            "selfish": "symptom: S\nexplains: [selfish]\n",
            "fine": "explains: [node-not-ready]\n",
        },
    )
    assert result.code == 2
    assert "ghost.yaml:9: explains: unknown entry 'no-such-entry'" in result.stderr
    assert "plain.yaml:9: explains: oom-killed is not declared a symptom" in result.stderr
    assert "loop-a.yaml:10: explains: cycle loop-a -> loop-b -> loop-a" in result.stderr
    assert "loop-b.yaml:10: explains: cycle" in result.stderr
    assert "selfish.yaml:10: entry: explains: an entry cannot explain itself" in result.stderr
    assert "fine.yaml" not in result.stderr


def test_catalog_check_refuses_an_order_it_cannot_follow(tmp_path: Path) -> None:
    result = _catalog_check(
        tmp_path,
        {
            "ghost": "outranks: [no-such-entry]\n",
            "tie-a": "outranks: [tie-b]\n",
            "tie-b": "outranks: [tie-a]\n",
            "twice": "explains: [node-not-ready]\noutranks: [node-not-ready]\n",
            "fine": "outranks: [oom-killed]\n",
        },
    )
    assert result.code == 2
    assert "ghost.yaml:9: outranks: unknown entry 'no-such-entry'" in result.stderr
    assert "tie-a.yaml:9: outranks: tie-b also outranks tie-a" in result.stderr
    assert (
        "twice.yaml:10: entry: outranks: names the entry itself or an entry it already explains"
        in result.stderr
    )
    assert "fine.yaml" not in result.stderr


def test_product_advice_needs_a_context_that_applies_everywhere_too(tmp_path: Path) -> None:
    only_tidb = _entry("only-tidb", "").replace(
        'links: [{url: "https://runbooks.example.com/frob", title: Runbook}]',
        'links: [{url: "https://runbooks.example.com/frob", title: Runbook, context: {text: tidb}}]',
    )
    (tmp_path / "only-tidb.yaml").write_text(only_tidb)
    result = kubemedic_in_process("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 2
    assert "only-tidb.yaml:7: entry: links: every link has a context" in result.stderr


CRASHLOOP = "NAME                   READY   STATUS             RESTARTS   AGE\n{pod}   0/1     CrashLoopBackOff   12         30m\n"


def _advice(view: dict[str, Any], entry_id: str) -> str:
    match = _by_id(view["matches"])[entry_id]
    return repr(match["fix"]) + repr(match["links"])


def test_a_plain_crashloop_gets_no_tidb_advice_and_a_tikv_pod_does() -> None:
    plain = kubemedic_in_process(
        "match", "--json", "-", stdin=CRASHLOOP.format(pod="web-7c5ddbdf54-x2v7k").encode()
    ).json()
    assert plain["answer"] == "crashloop-backoff"
    assert "runmode=debug" not in _advice(plain, "crashloop-backoff")
    assert "pingcap" not in _advice(plain, "crashloop-backoff")
    assert "logs -p web-7c5ddbdf54-x2v7k" in _advice(
        plain, "crashloop-backoff"
    )  # the generic step, in the pod's name
    tidb = kubemedic_in_process(
        "match", "--json", "-", stdin=CRASHLOOP.format(pod="basic-tikv-1        ").encode()
    ).json()
    assert "runmode=debug" in _advice(tidb, "crashloop-backoff")
    assert "docs.pingcap.com" in _advice(tidb, "crashloop-backoff")


def test_a_failed_scheduling_fix_shows_a_tidbcluster_spec_only_for_tidb() -> None:
    event = (
        "Warning  FailedScheduling  2m  default-scheduler  0/3 nodes are available: "
        "3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found "
        "for incoming pod.\n"
    )
    plain = kubemedic_in_process("match", "--json", "-", stdin=event.encode()).json()
    assert plain["answer"] == "pending-insufficient-resources"
    assert "tikv:" not in _advice(plain, "pending-insufficient-resources")
    assert "requests:" in _advice(plain, "pending-insufficient-resources")
    tidb = kubemedic_in_process(
        "match", "--json", "-", stdin=("pod/basic-tikv-2 " + event).encode()
    ).json()
    assert "tikv:" in _advice(tidb, "pending-insufficient-resources")


def test_catalog_check_refuses_watch_states_it_cannot_tell_apart(tmp_path: Path) -> None:
    (tmp_path / "twin.yaml").write_text(
        _entry("twin", "watch: [{kind: node, node_condition: DiskPressure=True}]\n")
    )
    (tmp_path / "muddled.yaml").write_text(
        _entry("muddled", "watch: [{kind: pod, node_condition: Ready=False}]\n")
    )
    result = kubemedic_in_process("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 2
    assert "twin.yaml:9: watch: the same state is declared by node-disk-pressure" in result.stderr
    assert "muddled.yaml:9: watch.0: watch on pod cannot use node_condition" in result.stderr


CASES = Path(__file__).resolve().parents[1] / "corpus" / "cases"


def test_issue_examples_a_service_without_endpoints_names_why_its_pods_were_never_created() -> None:
    for paste, cause in (
        (
            "serviceaccount-not-found/svc-no-endpoints-pods-never-created.txt",
            "serviceaccount-not-found",
        ),
        ("resource-quota-exceeded/svc-no-endpoints-quota.txt", "resource-quota-exceeded"),
    ):
        view = kubemedic_in_process("match", "--json", str(CASES / paste)).json()
        assert view["answer"] == cause
        symptom = _by_id(view["matches"]).get("service-endpoints-empty")
        assert symptom is None or symptom["because"][0] == cause


def test_issue_example_a_sandbox_whose_init_was_oom_killed_is_not_a_cni_failure() -> None:
    view = kubemedic_in_process(
        "match", "--json", str(CASES / "pod-sandbox-oom/describe-events-runc-oom.txt")
    ).json()
    assert view["answer"] == "pod-sandbox-oom"
    assert _by_id(view["matches"])["cni-sandbox-failed"]["because"] == ["pod-sandbox-oom"]


def test_top_n_lists_n_matches_even_when_a_cause_explains_a_symptom() -> None:
    # without --top the symptom comes along with its cause; asked for one match, one is listed
    whole = kubemedic_in_process("match", "--json", "-", stdin=NOT_READY_CNI).json()["matches"]
    assert {"cni-network-plugin-not-ready", "node-not-ready"} <= {m["id"] for m in whole}
    one = kubemedic_in_process("match", "--json", "--top", "1", "-", stdin=NOT_READY_CNI).json()[
        "matches"
    ]
    assert [m["id"] for m in one] == ["cni-network-plugin-not-ready"]


ROLLOUT_STUCK_ON_TAINT = b"""\
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      False   MinimumReplicasUnavailable
  Progressing    False   ProgressDeadlineExceeded
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  2m    default-scheduler  0/3 nodes are available: 3 node(s) had untolerated \
taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
"""

CRASHLOOP_ON_A_FULL_DISK = b"""\
NAME     READY   STATUS             RESTARTS   AGE
loki-0   0/1     CrashLoopBackOff   12         40m
$ kubectl logs loki-0 --previous
level=error ts=2023-03-01T10:00:01Z caller=main.go:130 msg="error running loki" err="mkdir /data/loki/chunks: \
no space left on device"
"""

PLAIN_HTTP_PULL = b"""\
Error: failed to pull image: failed to do request: Head https://registry.lan:5000/v2/team/agent/manifests/latest: \
http: server gave HTTP response to HTTPS client
"""


def test_pods_that_cannot_schedule_explain_the_stuck_rollout() -> None:
    view = kubemedic_in_process("match", "--json", "-", stdin=ROLLOUT_STUCK_ON_TAINT).json()
    assert view["answer"] == "pending-untolerated-taint"
    assert _by_id(view["matches"])["deployment-progress-deadline"]["because"] == [
        "pending-untolerated-taint"
    ]


def test_a_full_disk_explains_the_crash_loop() -> None:
    view = kubemedic_in_process("match", "--json", "-", stdin=CRASHLOOP_ON_A_FULL_DISK).json()
    assert view["answer"] == "filesystem-full"
    assert _by_id(view["matches"])["crashloop-backoff"]["because"] == ["filesystem-full"]


def test_a_symptom_the_paste_does_not_show_is_named_in_no_chain() -> None:
    # the pull error explains stuck rollouts and empty Services, but this paste shows neither
    view = kubemedic_in_process("match", "--json", "-", stdin=PLAIN_HTTP_PULL).json()
    assert view["answer"] == "image-registry-plain-http"
    assert all(not match["because"] for match in view["matches"])
    text = kubemedic_in_process("match", "-", stdin=PLAIN_HTTP_PULL).stdout
    assert " because: " not in text
