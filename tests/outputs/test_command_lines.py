"""Which lines of a recording are command lines, and what each command asks for."""

from __future__ import annotations

import pytest

from bot.cluster.outputs.commands import command_text, parse_command
from bot.cluster.outputs.kinds import ALL_KINDS

CASES = [
    # the common prompt, an alias, -n and -o wide
    (
        "$ kubectl get po -n shop -o wide",
        {"verb": "get", "kinds": ["pods"], "namespace": "shop", "output": "wide"},
    ),
    # a prompt with user, host and path; two kinds in one argument
    (
        "oncall@bastion:~/ticket$ kubectl get svc,ep -n shop",
        {"verb": "get", "kinds": ["services", "endpoints"], "namespace": "shop"},
    ),
    # PowerShell, kind/name, --namespace=
    (
        "PS C:\\Users\\me> kubectl describe deploy/web --namespace=shop",
        {"verb": "describe", "targets": [("deployments", "web")], "namespace": "shop"},
    ),
    # a bare kubectl line at the top of a file; logs of a controller's pod, previous, -c
    (
        "kubectl logs deploy/web -c app -p -n shop --tail 50",
        {"verb": "logs", "targets": [("deployments", "web")], "container": "app", "previous": True},
    ),
    # the legacy `logs POD CONTAINER` form
    (
        "$ kubectl logs web-1 sidecar",
        {"verb": "logs", "targets": [("pods", "web-1")], "container": "sidecar"},
    ),
    # -A, --show-labels, -l with its value
    (
        "$ kubectl get pods -A --show-labels -l app=web",
        {"all_namespaces": True, "show_labels": True, "selector": "app=web"},
    ),
    # -oyaml written together, two names after one kind
    (
        "$ kubectl get pod web-1 web-2 -nshop -oyaml",
        {"targets": [("pods", "web-1"), ("pods", "web-2")], "namespace": "shop", "output": "yaml"},
    ),
    # group-qualified kind, a pipe ends the kubectl part
    (
        "$ kubectl get deployments.apps -n shop | grep web",
        {"kinds": ["deployments"], "namespace": "shop", "selector": None},
    ),
    # `all` is what kubectl get all prints
    ("$ kubectl get all -n shop", {"kinds": list(ALL_KINDS)}),
    # a quoted selector
    ("$ kubectl get pods -l 'app in (web,api)' -n shop", {"selector": "app in (web,api)"}),
    # node services: over ssh with sudo, and journalctl -u
    (
        "$ ssh admin@worker-1 sudo systemctl status kubelet",
        {"verb": "systemctl", "node": "worker-1", "units": ["kubelet"]},
    ),
    (
        "$ journalctl -u containerd.service --no-pager -n 50",
        {"verb": "journalctl", "units": ["containerd"], "node": None},
    ),
    (
        "$ systemctl --host root@worker-2 status kube-proxy",
        {"verb": "systemctl", "node": "worker-2", "units": ["kube-proxy"]},
    ),
    # not kubectl at all: read as a command, skipped later
    ("$ curl -s http://checkout:8080/healthz", {"verb": "other"}),
    # kubectl verbs that print no state are "other" too
    ("$ kubectl rollout restart deploy/web -n shop", {"verb": "other"}),
]


@pytest.mark.parametrize(("line", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_command_lines_are_read_as_kubectl_reads_them(
    line: str, expected: dict[str, object]
) -> None:
    text = command_text(line)
    assert text is not None
    command = parse_command(text)
    for field, value in expected.items():
        actual = command.kinds if field == "kinds" else getattr(command, field)
        assert actual == value, field


NOT_COMMANDS = [
    # a container's args inside describe: $ with no space after it
    ("      $(POD_NAMESPACE).svc.cluster.local", True),
    ("$(POD_NAMESPACE).svc.cluster.local", True),
    # a comment or a quote that is not a command
    ("# the pods after the restart", True),
    ("> checkout is failing since 10:00", True),
    # a script line inside a ConfigMap's data (no blank line above it)
    ("kubectl label node worker-01 env=dev --overwrite", False),
    ("# kubectl apply -f web.yaml", False),
    # indented kubectl is part of an output, not a command
    ("    kubectl get pods", True),
]


@pytest.mark.parametrize(("line", "after_blank"), NOT_COMMANDS)
def test_lines_inside_outputs_are_not_commands(line: str, after_blank: bool) -> None:
    assert command_text(line, after_blank=after_blank) is None


def test_a_comment_prompt_before_kubectl_is_a_command_after_a_blank_line() -> None:
    assert command_text("# kubectl get pods -n shop") == "kubectl get pods -n shop"
    assert command_text("> kubectl get nodes") == "kubectl get nodes"
