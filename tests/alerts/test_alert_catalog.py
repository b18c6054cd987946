"""Alerts map to catalog entries in catalog data (`alerts:`), checked by `kubemedic catalog check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents.alert_map import AlertIndex
from intents.loaded import LoadedCatalog
from tests.cli.runner import kubemedic
from tests.cli.test_catalog_cli import GOOD_ENTRY

# (alert name, labels, the entry that explains it): one row per alert the issue lists.
MIXIN = [
    ("KubePodCrashLooping", {"namespace": "shop", "pod": "web-1"}, "crashloop-backoff"),
    ("KubePodNotReady", {"namespace": "shop", "pod": "web-1"}, "readiness-probe-failed"),
    # the waiting reason picks the entry; reasons no entry names stay unmapped (a notice)
    ("KubeContainerWaiting", {"reason": "ImagePullBackOff"}, "image-not-found"),
    ("KubeContainerWaiting", {"reason": "ErrImagePull"}, "image-not-found"),
    (
        "KubeContainerWaiting",
        {"reason": "CreateContainerConfigError"},
        "create-container-config-error",
    ),
    ("KubeContainerWaiting", {"reason": "InvalidImageName"}, "invalid-image-name"),
    ("KubeContainerWaiting", {"reason": "ContainerCreating"}, None),
    ("KubeDeploymentReplicasMismatch", {}, "deployment-progress-deadline"),
    ("KubeDeploymentRolloutStuck", {}, "deployment-progress-deadline"),
    ("KubeStatefulSetReplicasMismatch", {}, "statefulset-rollout-stuck"),
    ("KubeStatefulSetUpdateNotRolledOut", {}, "statefulset-rollout-stuck"),
    ("KubeDaemonSetRolloutStuck", {}, "daemonset-rollout-stuck"),
    ("KubeDaemonSetNotScheduled", {}, "daemonset-rollout-stuck"),
    ("KubeJobFailed", {}, "job-backoff-limit"),
    ("KubeJobNotCompleted", {}, "job-not-completed"),
    ("KubeHpaMaxedOut", {}, "hpa-maxed-out"),
    ("KubePersistentVolumeFillingUp", {}, "filesystem-full"),
    ("KubePersistentVolumeErrors", {}, "pvc-pending"),
    ("KubeNodeNotReady", {}, "node-not-ready"),
    ("KubeNodeUnreachable", {}, "node-not-ready"),
    ("KubeletTooManyPods", {}, "too-many-pods"),
    ("KubeNodeReadinessFlapping", {}, "node-not-ready"),
    ("KubeNodePressure", {"condition": "DiskPressure"}, "node-disk-pressure"),
    ("KubeNodePressure", {"condition": "MemoryPressure"}, "node-memory-pressure"),
    ("CPUThrottlingHigh", {}, "cpu-throttling-high"),
    ("KubeCPUOvercommit", {}, "cluster-requests-overcommitted"),
    ("KubeMemoryOvercommit", {}, "cluster-requests-overcommitted"),
    ("KubeQuotaExceeded", {}, "resource-quota-exceeded"),
    ("KubeAPIErrorBudgetBurn", {}, "apiserver-error-budget-burn"),
    ("KubeAggregatedAPIDown", {}, "aggregated-apiservice-unavailable"),
    ("KubeClientCertificateExpiration", {}, "x509-certificate-error"),
    ("etcdNoLeader", {}, "etcd-request-timeout"),
    ("etcdMembersDown", {}, "etcd-request-timeout"),
    ("etcdHighFsyncDurations", {}, "etcd-slow-disk"),
    ("etcdDatabaseQuotaLowSpace", {}, "etcd-space-exceeded"),
    ("NodeFilesystemSpaceFillingUp", {}, "filesystem-full"),
    ("NodeFilesystemAlmostOutOfSpace", {}, "filesystem-full"),
    ("TargetDown", {}, "prometheus-target-down"),
    # heartbeats are never explained: the receiver ignores them
    ("Watchdog", {}, None),
    ("InfoInhibitor", {}, None),
]


@pytest.mark.parametrize(
    ("alert", "labels", "expected"), MIXIN, ids=[f"{a}-{e}" for a, _, e in MIXIN]
)
def test_the_catalog_explains_the_kubernetes_mixin_alerts(
    builtin_catalog: LoadedCatalog, alert: str, labels: dict[str, str], expected: str | None
) -> None:
    claim = AlertIndex(builtin_catalog.entries.values()).claim_for(alert, labels)
    assert (claim.entry_id if claim else None) == expected


BAD_TARGET = GOOD_ENTRY + "alerts: [{{name: KubePodCrashLooping, target: [namespace, podd]}}]\n"
CLAIM = GOOD_ENTRY + "alerts: [{{name: KubeHpaMaxedOut}}]\n"
CLAIM_WITH_PRIORITY = GOOD_ENTRY + "alerts: [{{name: KubeHpaMaxedOut, priority: 5}}]\n"


def test_catalog_check_names_unknown_target_labels_and_untied_claims(tmp_path: Path) -> None:
    (tmp_path / "bad-target.yaml").write_text(BAD_TARGET.format(id="bad-target", title="T"))
    (tmp_path / "second-claim.yaml").write_text(CLAIM.format(id="second-claim", title="C"))
    result = kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 2
    assert "unknown target label(s) 'podd'" in result.stderr
    assert "KubeHpaMaxedOut is also claimed by hpa-maxed-out" in result.stderr
    assert "second-claim.yaml" in result.stderr


def test_a_priority_breaks_the_tie_and_wins(tmp_path: Path) -> None:
    (tmp_path / "team-hpa.yaml").write_text(CLAIM_WITH_PRIORITY.format(id="team-hpa", title="Ours"))
    result = kubemedic("catalog", "check", env={"KUBEMEDIC_CATALOG_DIRS": str(tmp_path)})
    assert result.code == 0, result.stderr
    from intents.loader import load_catalog

    catalog = load_catalog([tmp_path])
    claim = AlertIndex(catalog.entries.values()).claim_for("KubeHpaMaxedOut", {})
    assert claim is not None and claim.entry_id == "team-hpa"
