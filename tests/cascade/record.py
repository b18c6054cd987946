"""Record a fault as the files a person attaches: kubectl's outputs under their command lines.

`tests/<family>/recorded/<fault>/outputs/` holds one file per command (`$ kubectl ...` then its
output, as a terminal shows it), read by `kubemedic diagnose ... --from-outputs`; `case.json`
beside it holds what the run knew (the users' symptom, the caller's pod, when it was recorded).
A folder whose fault had alerts firing also holds them (`amtool alert query -o json`). Each
family says which commands it records (`Family.commands`, `Family.cluster_commands`); the
cascade app's are COMMANDS and KUBE_SYSTEM here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.cascade.family import Family
from tests.realnode.scenarios import pods, statuses
from tests.realserver.api import Api

RECORDED = Path(__file__).resolve().parent / "recorded"
"""The cascade app's recorded folders (its `Family.recorded`)."""
TAIL = 40
COMMANDS = (
    ("get-pods", "get pods -o wide"),
    ("get-deployments", "get deployments,replicasets -o wide"),
    ("get-deployments-yaml", "get deployments -o yaml"),
    ("get-services", "get services,endpoints -o wide"),
    ("get-services-yaml", "get services -o yaml"),
    ("get-ingress", "get ingress -o yaml"),
    ("get-networkpolicies", "get networkpolicies -o yaml"),
    ("get-configmaps", "get configmaps -o yaml"),
    ("get-secrets", "get secrets"),
    ("get-events", "get events --sort-by=.lastTimestamp"),
    ("describe-pods", "describe pods"),
    ("describe-services", "describe services"),
    ("describe-deployments", "describe deployments"),
    ("describe-ingress", "describe ingress"),
)
KUBE_SYSTEM = (("kube-system", "get services,endpoints -n kube-system -o wide"),)


def kubectl(kubeconfig: Path, command: str) -> str:
    """The output a terminal shows for `kubectl COMMAND` (stderr after stdout, as one sees it;
    the client's version-skew warnings left out). Its cache goes beside the kubeconfig."""
    home = str(kubeconfig.parent)
    done = subprocess.run(
        ["kubectl", *command.split()],
        env={"KUBECONFIG": str(kubeconfig), "HOME": home, "PATH": "/usr/local/bin:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    errors = "".join(
        line for line in done.stderr.splitlines(keepends=True) if not line.startswith("Warning:")
    )
    return done.stdout + errors


def write(folder: Path, name: str, command: str, output: str) -> None:
    (folder / f"{name}.txt").write_text(f"$ kubectl {command}\n{output}")


def log_commands(api: Api, namespace: str) -> list[tuple[str, str]]:
    """(file name, command) for each container's log, and its previous run's when it restarted."""
    found = []
    for pod in pods(api, namespace):
        name = pod["metadata"]["name"]
        restarted = {s["name"] for s in statuses(pod) if s.get("restartCount", 0) > 0}
        for container in pod["spec"]["containers"]:
            base = f"logs {name} -n {namespace} -c {container['name']} --tail={TAIL}"
            found.append((f"logs-{name}-{container['name']}", base))
            if container["name"] in restarted:
                found.append((f"logs-{name}-{container['name']}-previous", f"{base} --previous"))
    return found


def record(
    api: Api,
    kubeconfig: Path,
    family: Family,
    fault: str,
    case: dict[str, Any],
    alerts: list[dict[str, Any]] | None = None,
) -> Path:
    """Write the fault's folder (replacing an older recording); its path."""
    namespace = family.namespace
    folder = family.recorded / fault
    shutil.rmtree(folder, ignore_errors=True)
    outputs = folder / "outputs"
    outputs.mkdir(parents=True)
    for name, command in family.commands:
        write(
            outputs,
            name,
            f"{command} -n {namespace}",
            kubectl(kubeconfig, f"{command} -n {namespace}"),
        )
    for name, command in family.cluster_commands:
        write(outputs, name, command, kubectl(kubeconfig, command))
    for elsewhere in sorted(set(family.elsewhere.values())):
        for name, command in log_commands(api, elsewhere):
            write(outputs, name, command, kubectl(kubeconfig, command))
    for name, command in log_commands(api, namespace):
        write(outputs, name, command, kubectl(kubeconfig, command))
    if alerts:
        listing = json.dumps(alerts, indent=2)
        (outputs / "alerts.txt").write_text(f"$ amtool alert query -o json\n{listing}\n")
    recorded = {**case, "recorded_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    (folder / "case.json").write_text(json.dumps(recorded, indent=2) + "\n")
    return folder
