"""`systemctl status` of a node component: its Active line is the component's state now."""

from __future__ import annotations

from tests.cli.runner import match_json


def status(unit: str, description: str, active: str, journal: str = "") -> str:
    return (
        f"$ systemctl status {unit}\n"
        f"\u25cf {unit}.service - {description}\n"
        f"     Loaded: loaded (/etc/systemd/system/{unit}.service; enabled; vendor preset: enabled)\n"
        f"     Active: {active}\n"
        "       Docs: https://kubernetes.io/docs/\n"
        f"   Main PID: 1240 ({unit})\n"
        "     CGroup: /system.slice/{unit}.service\n"
        f"             \u2514\u25001240 /usr/local/bin/{unit} --v=2\n\n{journal}"
    )


def test_a_stopped_scheduler_unit_is_no_scheduler() -> None:
    paste = status(
        "kube-scheduler",
        "Kubernetes Scheduler",
        "inactive (dead) since Tue 2025-12-02 21:13:59 CST; 1min 50s ago",
        "Dec 02 21:13:59 cp-1 systemd[1]: Stopped Kubernetes Scheduler.\n",
    )
    assert match_json(paste)["answer"] == "scheduler-not-running"


def test_a_stopped_kubelet_unit_is_a_node_not_ready() -> None:
    paste = status(
        "kubelet",
        "kubelet: The Kubernetes Node Agent",
        "inactive (dead) since Tue 2025-12-02 21:13:59 CST",
    )
    assert match_json(paste)["answer"] == "node-not-ready"


def test_a_running_unit_is_healthy() -> None:
    paste = status(
        "kubelet",
        "kubelet: The Kubernetes Node Agent",
        "active (running) since Fri 2026-01-02 11:52:39 CST; 41min ago",
    )
    body = match_json(paste)
    assert body["answer"] is None


def test_a_kubelet_failing_to_start_is_answered_by_the_cause_in_its_journal() -> None:
    journal = (
        'Jan 02 12:00:01 node-1 kubelet[1240]: E0102 12:00:01.000000    1240 run.go:74] "command failed" '
        'err="failed to run Kubelet: running with swap on is not supported, please disable swap! or set '
        "--fail-swap-on flag to false. /proc/swaps contained: [Filename\\t\\t\\t\\tType\\t\\tSize\\tUsed"
        '\\tPriority /swap.img file\\t\\t4194300\\t0\\t-2]"\n'
        "Jan 02 12:00:01 node-1 systemd[1]: kubelet.service: Main process exited, code=exited, "
        "status=1/FAILURE\n"
    )
    paste = status(
        "kubelet",
        "kubelet: The Kubernetes Node Agent",
        "activating (auto-restart) (Result: exit-code) since Fri 2026-01-02 12:00:01 UTC; 4s ago",
        journal,
    )
    assert match_json(paste)["answer"] == "kubelet-swap-enabled"
