"""With KUBEMEDIC_WATCH=true, doctor also asks for the watcher's streams (deploy/components/watch)."""

from __future__ import annotations

from tests.doctor.install import Install, deploy_rules, lines, status


def test_the_watcher_without_its_component_fails_naming_it(install: Install) -> None:
    install.kube.rbac = deploy_rules("kubemedic-read", "kubemedic-remediate")
    result = install.doctor(KUBEMEDIC_WATCH="true")
    assert result.code == 1
    line = lines(result)["watch permissions (cluster lab)"]
    assert (
        line.startswith("FAIL  watch permissions (cluster lab): missing ") and "watch pods" in line
    )
    assert "deploy/components/watch" in line


def test_the_watcher_with_its_component_passes(install: Install) -> None:
    install.kube.rbac = deploy_rules("kubemedic-read", "kubemedic-remediate", "kubemedic-watch")
    result = install.doctor(KUBEMEDIC_WATCH="true")
    assert status(result)["watch permissions (cluster lab)"] == "ok", result.stdout
    assert "watch permissions (cluster lab)" not in lines(install.doctor())  # only when switched on


def test_alert_routing_is_checked_when_alerts_are_on(install: Install) -> None:
    result = install.doctor(
        KUBEMEDIC_ALERTMANAGER_TOKEN="kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv"
    )
    line = lines(result)["Alert routing"]
    # the optional Secret alone: the bot starts without the receiver, doctor says why and what to set
    assert line.startswith(
        "FAIL  Alert routing: the Alertmanager receiver is off (KUBEMEDIC_ALERTMANAGER_TOKEN "
        "is set): no default channel for the alerts; fix: set KUBEMEDIC_ALERT_CHANNEL"
    ), line
    assert "delete Secret kubemedic-alertmanager" in line
    result = install.doctor(
        KUBEMEDIC_WATCH="true"
    )  # the watcher, switched on by hand, needs its channel
    line = lines(result)["Alert routing"]
    assert (
        line.startswith("FAIL  Alert routing: no default channel")
        and "KUBEMEDIC_ALERT_CHANNEL" in line
    )
    result = install.doctor(
        KUBEMEDIC_ALERTMANAGER_TOKEN="kmsk_mz3wSMlzMFkBREaBCFeZPIPDgg4oJecagr_PEWWE23p519Iv",
        KUBEMEDIC_ALERT_CHANNEL="C0ALERTS01",
    )
    assert (
        lines(result)["Alert routing"]
        == "ok    Alert routing: default channel C0ALERTS01, 0 rule(s)"
    )
    assert "Alert routing" not in lines(install.doctor())
