"""Cloud-OpsBench cases as the files a person would attach, and how well `--from-outputs` reads them.

Each case's `tool_cache.json` holds the outputs of the tools an agent may call; here
each call becomes one file of `$ kubectl ...` (or `ssh NODE systemctl status X`) and
its output, as an on-call engineer would attach them to a ticket.  The benchmark's
own tools that are not kubectl (GetAlerts, CheckServiceConnectivity, ...) go under a
non-kubectl command line, so the reader skips and lists them.  `metadata.json` (the
label and the expert's path) is never read here.

    python -m bench.opsbench --data /tmp/Cloud-OpsBench outputs admission/1 --to /tmp/case
    python -m bench.opsbench --data /tmp/Cloud-OpsBench coverage --half dev
"""

from __future__ import annotations

import json
import re
import shlex
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

CLUSTER_SCOPED = frozenset(
    {
        "nodes",
        "persistentvolumes",
        "storageclasses",
        "namespaces",
        "clusterroles",
        "clusterrolebindings",
        "priorityclasses",
    }
)
KUBECTL_VERBS = ("get", "describe", "logs")


def _calls(cache: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    for key, output in cache.items():
        tool, _, arguments = key.partition(":")
        args = json.loads(arguments) if arguments.startswith("{") else {}
        yield tool, args, output


def _text(output: Any) -> str:
    return output if isinstance(output, str) else json.dumps(output, indent=2)


def _ns(kind: str, namespace: str | None) -> list[str]:
    return [] if kind in CLUSTER_SCOPED or not namespace else ["-n", namespace]


def command_line(tool: str, args: dict[str, Any]) -> str:
    """The command line a person would have typed for one tool call."""
    kind = str(args.get("resource_type") or "")
    name = str(args.get("name") or args.get("resource_name") or "")
    namespace = args.get("namespace")
    if tool == "GetResources":
        words = ["kubectl", "get", kind, *([name] if name else []), *_ns(kind, namespace)]
        if args.get("output_wide"):
            words += ["-o", "wide"]
        if args.get("show_labels"):
            words.append("--show-labels")
        if args.get("label_selector"):
            words += ["-l", str(args["label_selector"])]
    elif tool == "DescribeResource":
        words = ["kubectl", "describe", kind, name, *_ns(kind, namespace)]
    elif tool == "GetAppYAML":
        words = [
            "kubectl",
            "get",
            "deployment,service",
            str(args.get("app_name")),
            "-n",
            str(namespace or "boutique"),
            "-o",
            "yaml",
        ]
    elif tool in ("GetErrorLogs", "GetRecentLogs"):
        words = ["kubectl", "logs", f"deploy/{args.get('service_name')}", *_ns("pods", namespace)]
    elif tool == "CheckNodeServiceStatus":
        words = [
            "ssh",
            str(args.get("node_name")),
            "systemctl",
            "status",
            str(args.get("service_name")),
        ]
    else:
        words = ["opsbench-tool", tool, json.dumps(args, sort_keys=True)]
    return "$ " + shlex.join(words)


ALERT_NAMES = (
    # the benchmark's anomaly kind -> the alert a Prometheus stack fires for it
    (re.compile(r"^RESOURCE_SATURATION \[cpu_cfs\].*Throttled"), "CPUThrottlingHigh"),
    (re.compile(r"^LATENCY_DEGRADATION"), "ServiceLatencyHigh"),
    (re.compile(r"^ERROR_SPIKE"), "ServiceErrorRateHigh"),
    (re.compile(r"^THROUGHPUT_DROP"), "ServiceThroughputLow"),
    (re.compile(r"^TRAFFIC_ANOMALY"), "ServiceTrafficDrop"),
    (re.compile(r"^RESOURCE_SATURATION"), "ResourceSaturation"),
)
"""CPUThrottlingHigh is kubernetes-mixin's own name for CFS throttling; the others keep the
benchmark's words (no catalog entry claims them, so they are listed, never answered)."""


def alertmanager_alerts(output: Any, namespace: str) -> list[dict[str, Any]]:
    """The benchmark's GetAlerts anomalies as Alertmanager's API lists firing alerts: one alert
    per anomaly, on the Service or node it names."""
    alerts = []
    for anomaly in (output or {}).get("alerts") or [] if isinstance(output, dict) else []:
        subject = (
            {"namespace": namespace, "service": str(anomaly.get("name"))}
            if anomaly.get("type") == "Service"
            else {"node": str(anomaly.get("name"))}
        )
        for evidence in anomaly.get("evidence") or []:
            name = next((n for pattern, n in ALERT_NAMES if pattern.search(evidence)), None)
            if name is not None:
                alerts.append(
                    {
                        "labels": {"alertname": name, **subject},
                        "annotations": {"description": evidence},
                        "status": {"state": "active"},
                    }
                )
    return alerts


def cache_namespace(cache: dict[str, Any]) -> str:
    """The namespace the tool calls were made in (the most common one of their arguments)."""
    seen = Counter(str(args["namespace"]) for _, args, _ in _calls(cache) if args.get("namespace"))
    return seen.most_common(1)[0][0] if seen else "default"


def case_files(cache: dict[str, Any]) -> list[tuple[str, str]]:
    """(file name, content) per tool call of one case, in the cache's order."""
    namespace = cache_namespace(cache)
    files: list[tuple[str, str]] = []
    for index, (tool, args, output) in enumerate(_calls(cache)):
        if tool == "collection_timestamp":
            continue
        if tool == "GetAppYAML":
            args = {**args, "namespace": namespace}
        if tool == "GetAlerts":  # as a person attaches them: Alertmanager's own listing
            alerts = json.dumps(alertmanager_alerts(output, namespace), indent=2)
            files.append((f"{index:04d}-{tool}.txt", f"$ amtool alert query -o json\n{alerts}\n"))
            continue
        files.append((f"{index:04d}-{tool}.txt", f"{command_line(tool, args)}\n{_text(output)}\n"))
    return files


def write_case(cache: dict[str, Any], to: Path) -> int:
    to.mkdir(parents=True, exist_ok=True)
    files = case_files(cache)
    for name, content in files:
        (to / name).write_text(content, encoding="utf-8")
    return len(files)


def _shape(command: str) -> str:
    """A command's shape for the coverage table: verb, kind and view, without names."""
    words = command.removeprefix("$ ").split()
    if words[:1] == ["ssh"]:
        return "ssh systemctl status"
    if words[:1] != ["kubectl"]:
        return " ".join(words[:2])
    verb = words[1]
    kind = words[2] if len(words) > 2 else ""
    view = (
        "-o wide"
        if "wide" in words
        else "--show-labels"
        if "--show-labels" in words
        else "-l"
        if "-l" in words
        else "-o yaml"
        if "yaml" in words
        else ""
    )
    return " ".join(w for w in ("kubectl", verb, kind if verb != "logs" else "", view) if w)


def coverage(cases: Sequence[Any], *, repeat: int = 3) -> list[str]:
    """Per command shape: sections, read, read with objects dropped (a `get deployment,service`
    output holding a ServiceAccount), skipped (not kubectl), kubectl's own error recorded,
    failed; objects per kind; parse CPU per case (the least of `repeat` reads, caches cleared,
    so a busy machine counts less)."""
    from bot.cluster.outputs import OutputsReader
    from bot.cluster.outputs.ages import age_seconds, parse_date

    shapes: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    objects: Counter[str] = Counter()
    cpu_ms: list[float] = []
    examples: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            folder = Path(tmp) / case.name.replace("/", "-")
            write_case(case.cache, folder)
            for name in folder.iterdir():
                shapes[_shape(name.read_text(encoding="utf-8").split("\n", 1)[0])] += 1
            best = float("inf")
            for _ in range(repeat):
                age_seconds.cache_clear()  # each read as a fresh process would do it
                parse_date.cache_clear()
                start = time.process_time()
                reader = OutputsReader(folder)
                best = min(best, (time.process_time() - start) * 1000)
            cpu_ms.append(best)
            for kind in reader.kinds():
                objects[kind] += len(reader._store.of(kind, None))
            for item in reader.skipped:
                shape = _shape(item.command) if item.command else "(no command)"
                if item.command.startswith("opsbench-tool"):
                    skipped[shape] += 1
                elif item.why.startswith("objects the command did not ask for"):
                    dropped[shape] += 1
                elif item.why.startswith("kubectl printed an error"):
                    errors[shape] += 1
                else:
                    failed[shape] += 1
                    examples.setdefault(
                        shape, f"{case.name} {Path(item.file).name}:{item.line} {item.why}"
                    )
    lines = [
        "| command shape | sections | read | part dropped | skipped | kubectl error | failed |",
        "|---|---|---|---|---|---|---|",
    ]
    for shape, count in sorted(shapes.items()):
        read = count - skipped[shape] - errors[shape] - failed[shape]
        lines.append(
            f"| {shape} | {count} | {read} | {dropped[shape]} | {skipped[shape]} | "
            f"{errors[shape]} | {failed[shape]} |"
        )
    lines += ["", "objects per kind: " + ", ".join(f"{k} {v}" for k, v in sorted(objects.items()))]
    if cpu_ms:
        ordered = sorted(cpu_ms)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        lines.append(
            f"parse CPU per case: median {statistics.median(cpu_ms):.1f} ms, "
            f"p95 {p95:.1f} ms over {len(cpu_ms)} cases"
        )
    lines.append(f"failed kubectl sections: {sum(failed.values())}")
    lines += [f"  e.g. {shape}: {example}" for shape, example in sorted(examples.items())]
    return lines


MODES = ("outputs", "coverage")


def run_mode(mode: str, cases: Sequence[Any], *, case: str | None, to: Path | None) -> int:
    """`outputs CASE --to DIR` (development cases only) or `coverage`."""
    if mode == "outputs":
        chosen = [c for c in cases if c.name == case]
        if not chosen or not to:
            raise SystemExit("outputs: give a case (e.g. admission/1) and --to DIR")
        if chosen[0].half != "dev":
            raise SystemExit(
                f"{case}: not a development case (the test half is never read case by case)"
            )
        count = write_case(chosen[0].cache, to)
        print(f"{count} files written to {to}")
        return 0
    print(f"Cloud-OpsBench as recorded outputs: {len(cases)} cases")
    print("\n".join(coverage(cases)))
    return 0
