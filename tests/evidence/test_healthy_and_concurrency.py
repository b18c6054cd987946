"""A healthy pod gets no guess; a diagnosis overlaps its requests."""

from __future__ import annotations

from bot.diagnosis.pod import Judge, diagnose_pod
from tests.evidence.conftest import Live, run
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn


def test_healthy_pod_gets_no_problem_found(live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    found = scenarios.healthy(si)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, found.namespace, str(found.pod), judge=judge))
    assert diagnosis.findings == () and diagnosis.answer is None
    assert diagnosis.notes[0].startswith("no problem found: pod shop/")


def test_healthy_pod_with_a_warning_event_is_looked_at(live: Live, judge: Judge) -> None:
    # Running and ready, but the kubelet reported failing readiness probes: not "no problem"
    from tests.standins import kube_cluster as kc

    si = KubeStandIn(latency=0.0)
    found = scenarios.healthy(si)
    pod = si.get_object("Pod", found.namespace, str(found.pod))
    si.add(
        kc.event(
            involved=pod,
            reason="Unhealthy",
            count=3,
            message="Readiness probe failed: HTTP probe failed with statuscode: 503",
        )
    )
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, found.namespace, str(found.pod), judge=judge))
    assert diagnosis.findings[0].match.id == "readiness-probe-failed"
    assert not any(note.startswith("no problem") for note in diagnosis.notes)


def test_collectors_run_concurrently(live: Live, judge: Judge) -> None:
    # Everything after the pod GET hangs. Run one after another, the second request would
    # arrive only after the first timed out (2 s later); run together, all arrive at once.
    si = KubeStandIn(latency=0.0)
    found = scenarios.tikv_cluster_id_mismatch(si)
    si.hang(r"^/api(s)?/(?!v1/namespaces/tidb/pods/basic-tikv-1$)")
    with live(si, timeout=2.0) as gateway:
        diagnosis = run(diagnose_pod(gateway, found.namespace, str(found.pod), judge=judge))
    families = (
        r"/api/v1/namespaces/tidb/events$",
        r"/log$",
        r"/persistentvolumeclaims/",
        r"/services$",
        r"/resourcequotas$",
        r"^/api/v1/nodes/",
        r"/statefulsets/",
    )
    firsts = [min(r.at for r in si.requests_to("GET", family)) for family in families]
    assert max(firsts) - min(firsts) < 2.0, "collectors waited for each other"
    assert len(diagnosis.gaps) >= 5  # every collector timed out, and said so
