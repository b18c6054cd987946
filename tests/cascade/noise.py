"""Chronic noise added to a recorded fault: what every real namespace carries beside a new fault.

Three objects, written into a copy of a fault's recorded outputs as kubectl prints them, each
with times told relative to the recording's own moment:

- `search`, a Deployment's pod that failed its liveness probe and restarted minutes ago, and is
  Running and ready since (its Unhealthy and BackOff events are minutes old);
- `log-agent`, a DaemonSet's logging agent, ready since it restarted (hours ago, or `agent`
  minutes ago), that logs its own errors about a backend outside the namespace;
- `report`, a CronJob's Job whose pod failed yesterday.

None of them is on the chain of the fault: adding them must never move what is named first.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

NOISE_PODS = ("search-6d5f8b7c9-r2k4q", "log-agent-x7k2p", "report-29012345-8kq2x")


def _at(now: datetime, minutes: float) -> str:
    return (now - timedelta(minutes=minutes)).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _describe(now: datetime, namespace: str, agent: float) -> str:
    return f"""
Name:             search-6d5f8b7c9-r2k4q
Namespace:        {namespace}
Node:             vm/192.0.2.2
Start Time:       {_at(now, 180)}
Labels:           app=search
                  pod-template-hash=6d5f8b7c9
Status:           Running
IP:               10.88.0.150
Controlled By:  ReplicaSet/search-6d5f8b7c9
Containers:
  search:
    Image:          localhost/kubemedic/cascade:1.0.0
    Port:           9200/TCP
    State:          Running
      Started:      {_at(now, 6)}
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      {_at(now, 8)}
      Finished:     {_at(now, 6.2)}
    Ready:          True
    Restart Count:  4
    Liveness:       http-get http://:9200/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
    Readiness:      http-get http://:9200/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
Conditions:
  Type              Status
  Initialized       True
  Ready             True
  ContainersReady   True
  PodScheduled      True
Events:
  Type     Reason     Age                From     Message
  ----     ------     ----               ----     -------
  Warning  Unhealthy  6m14s (x9 over 9m)  kubelet  Liveness probe failed: Get "http://10.88.0.150:9200/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
  Warning  Unhealthy  6m14s (x12 over 9m)  kubelet  Readiness probe failed: Get "http://10.88.0.150:9200/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
  Normal   Killing    6m20s (x4 over 9m)  kubelet  Container search failed liveness probe, will be restarted
  Warning  BackOff    6m12s (x5 over 8m)  kubelet  Back-off restarting failed container search in pod search-6d5f8b7c9-r2k4q_{namespace}(8f1c)


Name:             log-agent-x7k2p
Namespace:        {namespace}
Node:             vm/192.0.2.2
Start Time:       {_at(now, 2880)}
Labels:           app=log-agent
                  controller-revision-hash=6b7f9d5c8
Status:           Running
IP:               10.88.0.151
Controlled By:  DaemonSet/log-agent
Containers:
  agent:
    Image:          localhost/kubemedic/cascade:1.0.0
    Port:           2020/TCP
    State:          Running
      Started:      {_at(now, agent)}
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      {_at(now, 600)}
      Finished:     {_at(now, agent + 0.5)}
    Ready:          True
    Restart Count:  2
Conditions:
  Type              Status
  Initialized       True
  Ready             True
  ContainersReady   True
  PodScheduled      True
Events:           <none>


Name:             report-29012345-8kq2x
Namespace:        {namespace}
Node:             vm/192.0.2.2
Start Time:       {_at(now, 1560)}
Labels:           app=report
                  job-name=report-29012345
Status:           Failed
IP:               10.88.0.152
Controlled By:  Job/report-29012345
Containers:
  report:
    Image:          localhost/kubemedic/cascade:1.0.0
    State:          Terminated
      Reason:       Error
      Exit Code:    1
      Started:      {_at(now, 1559)}
      Finished:     {_at(now, 1558)}
    Ready:          False
    Restart Count:  0
Conditions:
  Type              Status
  Initialized       True
  Ready             False
  ContainersReady   False
  PodScheduled      True
Events:           <none>
"""


def _rows(agent: float) -> list[str]:
    since = f"{agent / 60:.0f}h" if agent >= 60 else f"{agent:.0f}m"
    return [ROWS[0], ROWS[1].replace("(3h ago)", f"({since} ago)".ljust(8)), ROWS[2]]


ROWS = [
    (
        "search-6d5f8b7c9-r2k4q     1/1     Running   4 (6m ago)   3h    10.88.0.150   vm     <none>"
        "           <none>"
    ),
    (
        "log-agent-x7k2p            1/1     Running   2 (3h ago)   2d    10.88.0.151   vm     <none>"
        "           <none>"
    ),
    (
        "report-29012345-8kq2x      0/1     Error     0            26h   10.88.0.152   vm     <none>"
        "           <none>"
    ),
]
EVENTS = [
    (
        "6m14s       Warning   Unhealthy   pod/search-6d5f8b7c9-r2k4q   Liveness probe failed: Get "
        '"http://10.88.0.150:9200/healthz": context deadline exceeded'
    ),
    (
        "6m12s       Warning   BackOff     pod/search-6d5f8b7c9-r2k4q   Back-off restarting failed "
        "container search in pod search-6d5f8b7c9-r2k4q"
    ),
]
AGENT_LOG = """\
[2026/11/27 21:10:02] [ info] [fluent bit] version=2.2.0, commit=, pid=1
[2026/11/27 21:10:03] [error] [output:es:es.0] HTTP status=503 URI=/_bulk
[2026/11/27 23:51:40] [error] [net] TCP connection failed: elasticsearch.logging.svc.cluster.local:9200 (Connection refused)
[2026/11/27 23:51:40] [error] [output:es:es.0] no upstream connections available
[2026/11/27 23:58:11] [ warn] [engine] failed to flush chunk '1-1764287891.1.flb', retry in 9 seconds: task_id=3, input=tail.0 > output=es.0
"""


def _append_table(path: Path, rows: list[str]) -> None:
    text = path.read_text().rstrip("\n")
    path.write_text(text + "\n" + "\n".join(rows) + "\n")


def with_noise(folder: Path, into: Path, *, agent: float = 190.0) -> Path:
    """A copy of the recorded fault `folder` under `into`, with the chronic noise added (the
    logging agent restarted `agent` minutes before the recording)."""
    copy = into / f"{folder.name}-{agent:.0f}"
    shutil.copytree(folder, copy)
    case = json.loads((copy / "case.json").read_text())
    now = datetime.fromisoformat(case["recorded_at"])
    outputs = copy / "outputs"
    _append_table(outputs / "get-pods.txt", _rows(agent))
    _append_table(outputs / "get-events.txt", EVENTS)
    described = outputs / "describe-pods.txt"
    described.write_text(
        described.read_text().rstrip("\n") + "\n" + _describe(now, case["namespace"], agent)
    )
    (outputs / "logs-log-agent-x7k2p-agent.txt").write_text(
        f"$ kubectl logs log-agent-x7k2p -n {case['namespace']} -c agent --tail=40\n" + AGENT_LOG
    )
    return copy
