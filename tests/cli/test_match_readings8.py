"""Readings of the eighth pass (issue 21), each case written from the component's format, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json

CA_EVENT = "  Normal   NotTriggerScaleUp  2m (x31 over 12m)  cluster-autoscaler  pod didn't trigger scale-up{}: {}\n"
"""cluster-autoscaler's NotTriggerScaleUp (core/scaleup status: the reasons joined per node group)."""


def ca_events(reasons: str, *, older: bool = False) -> str:
    return ("Events:\n  Type     Reason             Age                From                Message\n"
            "  ----     ------             ----               ----                -------\n"
            + CA_EVENT.format(" (it wouldn't fit if a new node is added)" if older else "", reasons))


@pytest.mark.parametrize(("reasons", "named"), [
    ("2 node(s) had volume node affinity conflict", "pending-volume-node-affinity-conflict"),
    ("2 node(s) didn't match Pod's node affinity/selector", "pending-node-selector-mismatch"),
    ("8 node(s) had taint {capacityType: SPOT}, that the pod didn't tolerate", "pending-untolerated-taint"),
    ("3 Insufficient nvidia.com/gpu", "pending-insufficient-resources"),
])
def test_the_autoscaler_leads_and_names_the_predicates_its_node_groups_failed(reasons: str, named: str) -> None:
    # a group's template may lack the labels or taints its nodes get: the autoscaler leads, the
    # predicate follows, confirmed by the event (before, a lone NotTriggerScaleUp was read as healthy)
    body = match_json(ca_events(reasons))
    assert body["answer"] == "cluster-autoscaler-no-scale-up"
    second = next(m for m in body["matches"] if m["id"] == named)
    assert second["confidence"] == "high" and second["evidence"]


def test_the_older_wording_with_its_reasons_is_read_the_same() -> None:
    body = match_json(ca_events("4 node(s) didn't match node selector", older=True))
    assert [m["id"] for m in body["matches"]][:2] == ["cluster-autoscaler-no-scale-up", "pending-node-selector-mismatch"]


@pytest.mark.parametrize("reasons", [
    "1 max node group size reached",
    "12 node(s) didn't match Pod's node affinity/selector, 3 max node group size reached",
    "2 in backoff after failed scale-up",
])
def test_a_refusal_of_the_autoscaler_s_own_stays_the_autoscaler(reasons: str) -> None:
    assert match_json(ca_events(reasons))["answer"] == "cluster-autoscaler-no-scale-up"


def failed_scheduling(reasons: str) -> str:
    return ("Events:\n  Type     Reason            Age   From               Message\n"
            "  ----     ------            ----  ----               -------\n"
            f"  Warning  FailedScheduling  71s   default-scheduler  0/4 nodes are available: {reasons}. "
            "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.\n")


def test_between_as_many_cordoned_as_unmatched_nodes_the_cordon_leads() -> None:
    # NodeUnschedulable filters before NodeAffinity: a cordoned node was never checked against the
    # selector and may be the pod's one node; a node reported not matching is not
    both = "2 node(s) didn't match Pod's node affinity/selector, 2 node(s) were unschedulable"
    assert match_json(failed_scheduling(both))["answer"] == "pending-node-unschedulable"


def test_a_majority_of_unmatched_nodes_still_leads() -> None:
    majority = "1 node(s) were unschedulable, 3 node(s) didn't match Pod's node affinity/selector"
    assert match_json(failed_scheduling(majority))["answer"] == "pending-node-selector-mismatch"


def test_a_prompt_with_a_conda_environment_is_a_command_line() -> None:
    from bot.paste.text import is_command
    assert is_command("(base) ana@build-01:~$ kubectl -n kube-system get all")
    assert is_command("(venv) $ helm status cilium")
    assert not is_command("(base) the pods restart after kubectl apply")


HELM_INSTALL = ("    $ helm install cilium cilium/cilium --namespace kube-system\n    NAME: cilium\n"
                "    LAST DEPLOYED: Tue Jul  8 18:28:55 2025\n    NAMESPACE: kube-system\n    STATUS: deployed\n"
                "    REVISION: 1\n    NOTES:\n    You have successfully installed Cilium.\n\n")


def test_indented_helm_output_ends_where_the_text_resumes() -> None:
    # before, the helm block ran to the next command line and swallowed the table below as healthy
    paste = (HELM_INSTALL + "But the agents keep restarting:\n\n"
             "    NAME                 READY   STATUS                  RESTARTS      AGE\n"
             "    pod/cilium-2gnk9     0/1     Init:CrashLoopBackOff   6 (60s ago)   6m54s\n")
    assert match_json(paste)["answer"] == "init-container-failed"


def test_a_tolerations_list_is_configuration_not_node_pressure() -> None:
    paste = ("QoS Class:       Burstable\nNode-Selectors:  kubernetes.io/os=linux\n"
             "Tolerations:     :NoSchedule\n                 CriticalAddonsOnly\n"
             "                 node.kubernetes.io/disk-pressure:NoSchedule\n"
             "                 node.kubernetes.io/pid-pressure:NoSchedule op=Exists\n"
             "                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
             "Events:\n  Type    Reason   Age   From     Message\n  ----    ------   ----  ----     -------\n"
             "  Normal  Started  51m   kubelet  Started container install-cni\n")
    assert match_json(paste)["answer"] is None


def test_a_long_tolerations_list_is_configuration_to_its_end() -> None:
    # a DaemonSet pod tolerating every taint lists dozens; its pressure tolerations near the end
    # are configuration too (the list had borrowed the 20-line bound of an event's message)
    custom = "".join(f"                 example.com/dedicated-{n}:NoSchedule op=Exists\n" for n in range(24))
    paste = ("QoS Class:       Burstable\n"
             "Tolerations:     :NoSchedule\n" + custom
             + "                 node.kubernetes.io/pid-pressure:NoSchedule op=Exists\n"
             "                 node.kubernetes.io/memory-pressure:NoSchedule op=Exists\n"
             "Events:          <none>\n")
    assert match_json(paste)["answer"] is None
