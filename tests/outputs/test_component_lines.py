"""A component's own log line names its entry wherever it appears: here in a `kubectl logs
--previous` recorded in a `--from-outputs` file beside the pod's `describe` (the same format
strings read a paste, a cluster's logs and an agent's; tests/intents/test_message_formats.py
instantiates each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import kubemedic_in_process

DESCRIBE = """\
$ kubectl describe pod {pod} -n logging
Name:             {pod}
Namespace:        logging
Node:             worker-1/10.0.0.12
Status:           Running
Controlled By:    DaemonSet/{app}
Containers:
  {app}:
    Image:          {image}
    State:          Waiting
      Reason:       CrashLoopBackOff
    Ready:          False
    Restart Count:  7
Events:
  Type     Reason   Age                  From     Message
  ----     ------   ----                 ----     -------
  Warning  BackOff  30s (x31 over 8m)    kubelet  Back-off restarting failed container {app} in pod {pod}_logging(0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d)

$ kubectl logs {pod} -n logging --previous
{log}
"""

CASES = {
    # fluent-bit's engine prints the signal that ended it; no exit code is shown anywhere
    "fluent-bit SIGSEGV": (
        "fluent-bit",
        "fluent/fluent-bit:2.2.0",
        "[2024/05/14 08:27:51] [ info] [engine] started (pid=1)\n"
        "[2024/05/14 08:27:53] [engine] caught signal (SIGSEGV)\n"
        "#0  0x55d1c3b0a1f2      in  flb_output_flush_create() at src/flb_output.c:1102",
        "exit-code-139-segfault",
    ),
    "fluent-bit SIGTERM": (
        "fluent-bit",
        "fluent/fluent-bit:2.2.0",
        "[2024/05/14 08:27:51] [ info] [engine] started (pid=1)\n"
        "[2024/05/14 08:28:21] [engine] caught signal (SIGTERM)\n"
        "[2024/05/14 08:28:21] [ warn] [engine] service will shutdown in max 5 seconds",
        "exit-code-143-sigterm",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_component_line_in_recorded_outputs_names_its_entry(
    tmp_path: Path, case: tuple[str, str, str, str]
) -> None:
    app, image, log, expected = case
    pod = f"{app}-x7k2p"
    (tmp_path / "ticket.txt").write_text(DESCRIBE.format(pod=pod, app=app, image=image, log=log))
    result = kubemedic_in_process(
        "diagnose", "pod", f"logging/{pod}", "--from-outputs", str(tmp_path), "--json"
    )
    assert result.code == 0, result.stderr
    body = result.json()
    assert expected in [m["id"] for m in body["matches"][:3]], body["matches"][:3]
