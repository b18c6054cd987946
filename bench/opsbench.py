"""Measure the product on Cloud-OpsBench's 452 frozen snapshots of broken clusters.

Cloud-OpsBench (github.com/wiluen/Cloud-OpsBench, a public agentic root-cause benchmark on
Google's Online Boutique) keeps, per fault case, the outputs of kubectl and node tools
captured at the moment of failure (`tool_cache.json`), the labelled root cause and the
expert's investigation path (`metadata.json`). Each case becomes a paste as an on-call
engineer would make it, read by the product path (`diagnose_paste`, as `kubemedic match`):

- `describe`: `kubectl get pods` and `kubectl describe` of the faulty object's pods (and of
  the object itself when it is a Service, Deployment or Node);
- `expert`: the kubectl, log and node-service outputs of the expert's first investigation
  path, in its order (the tool-specific JSON summaries left out: nobody pastes those).

    git clone https://github.com/wiluen/Cloud-OpsBench /tmp/Cloud-OpsBench
    python -m bench.opsbench --data /tmp/Cloud-OpsBench describe
    python -m bench.opsbench --data /tmp/Cloud-OpsBench expert --half dev --misses

The cases are split in two halves by a hash of their path (fixed before any change was made
for them): `dev` may be read; `test` is reported only as whole figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench import opsbench_localise, opsbench_outputs, opsbench_renderings

MAPPING = Path(__file__).with_name("opsbench.yaml")
DATA_PLACES = (Path("/tmp/opsbench/Cloud-OpsBench"), Path("/tmp/Cloud-OpsBench"))


def default_data() -> Path:
    return next((place for place in DATA_PLACES if (place / "benchmark").is_dir()), DATA_PLACES[-1])


KUBECTL_LIKE = (
    "GetResources",
    "DescribeResource",
    "GetAppYAML",
    "GetErrorLogs",
    "GetRecentLogs",
    "CheckNodeServiceStatus",
)


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    root_cause: str
    fault_object: str
    namespace: str
    path: tuple[str, ...]
    cache: dict[str, Any]
    query: str = ""
    """The symptom as the benchmark states it ("Partial Service Unreachability.")."""
    fault_taxonomy: str = ""

    @property
    def half(self) -> str:
        return "dev" if hashlib.sha256(self.name.encode()).digest()[0] % 2 == 0 else "test"


def load_cases(root: Path) -> list[Case]:
    cases = []
    for meta_path in sorted((root / "benchmark").glob("*/*/metadata.json")):
        folder = meta_path.parent
        cache_path = folder / "tool_cache.json"
        if not cache_path.is_file():
            continue
        meta = json.loads(meta_path.read_text())
        result = meta["result"]
        cases.append(
            Case(
                f"{folder.parent.name}/{folder.name}",
                folder.parent.name,
                result["root_cause"],
                result.get("fault_object", ""),
                meta.get("namespace", "default"),
                tuple(meta.get("process", {}).get("path1", ())),
                json.loads(cache_path.read_text()),
                str(meta.get("query") or ""),
                result.get("fault_taxonomy", ""),
            )
        )
    return cases


def _calls(cache: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    for key, output in cache.items():
        tool, _, arguments = key.partition(":")
        if arguments.startswith("{"):
            yield tool, json.loads(arguments), output


def _render(output: Any) -> str:
    return output if isinstance(output, str) else json.dumps(output, indent=2)


def _plain(args: dict[str, Any]) -> bool:
    return not ({"output_wide", "show_labels", "label_selector"} & set(args))


def _named(args: dict[str, Any], name: str) -> bool:
    """A resource named `name` or a pod of it (`cartservice` -> `cartservice-79b49f5555-rl2kp`)."""
    actual = str(args.get("name") or args.get("resource_name") or "")
    if actual == name:
        return True
    rest = actual[len(name) + 1 :] if actual.startswith(name + "-") else ""
    return bool(rest) and rest.count("-") <= 1 and all(part.isalnum() for part in rest.split("-"))


def expert_paste(case: Case) -> str:
    parts = []
    for step in case.path:
        tool, *params = step.split("::")
        if tool not in KUBECTL_LIKE:
            continue
        for call_tool, args, output in _calls(case.cache):
            if call_tool != tool or not _render(output).strip():
                continue
            if (
                tool == "GetResources"
                and args.get("resource_type") == params[0]
                and not args.get("name")
                and _plain(args)
            ):
                parts.append(f"$ kubectl get {params[0]} -n {case.namespace}\n{_render(output)}")
            elif (
                tool == "DescribeResource"
                and args.get("resource_type") == params[0]
                and _named(args, params[1])
            ):
                parts.append(
                    f"$ kubectl describe {params[0]} {args.get('name')}\n{_render(output)}"
                )
            elif tool == "GetAppYAML" and args.get("app_name") == params[0]:
                parts.append(_render(output))
            elif (
                tool in ("GetErrorLogs", "GetRecentLogs") and args.get("service_name") == params[0]
            ):
                parts.append(f"$ kubectl logs deploy/{params[0]}\n{_render(output)}")
            elif (
                tool == "CheckNodeServiceStatus"
                and [args.get("node_name"), args.get("service_name")] == params[:2]
            ):
                parts.append(f"$ systemctl status {params[1]}\n{_render(output)}")
    return "\n\n".join(dict.fromkeys(parts))


def describe_paste(case: Case) -> str:
    kind, _, name = case.fault_object.partition("/")
    app = name if kind in ("service", "deployment", "pod") else ""
    parts: list[str] = []
    for tool, args, output in _calls(case.cache):
        text = _render(output)
        if not text.strip() or not _plain(args):
            continue
        if tool == "GetResources" and args.get("resource_type") == "pods" and not args.get("name"):
            parts.insert(0, f"$ kubectl get pods -n {case.namespace}\n{text}")
        elif (
            tool == "DescribeResource"
            and app
            and args.get("resource_type") == "pods"
            and _named(args, app)
        ):
            parts.append(f"$ kubectl describe pod {args.get('name')}\n{text}")
        elif (
            tool == "DescribeResource"
            and args.get("resource_type")
            == {"service": "services", "deployment": "deployments", "node": "nodes"}.get(kind)
            and args.get("name") == name
        ):
            parts.append(f"$ kubectl describe {kind} {name}\n{text}")
    return "\n\n".join(parts)


PASTES = {"describe": describe_paste, "expert": expert_paste}


@dataclass(frozen=True)
class Outcome:
    case: Case
    ranked: tuple[tuple[str, float, str], ...]
    answer: str | None
    cause: tuple[str, ...]
    symptom: tuple[str, ...]

    @property
    def verdict(self) -> str:
        if not self.cause:
            return "quiet (out of catalog)" if self.answer is None else "answered out of catalog"
        if self.answer in self.cause:
            return "right"
        if self.answer in self.symptom:
            return "symptom named"
        if self.answer is None:
            return (
                "quiet, right first" if self.ranked and self.ranked[0][0] in self.cause else "quiet"
            )
        return "confident wrong"

    @property
    def in_top3(self) -> bool:
        return any(entry_id in self.cause for entry_id, _, _ in self.ranked[:3])


def measure(cases: Sequence[Case], mode: str) -> list[Outcome]:
    from bot.diagnosis.paste import diagnose_paste
    from intents.loader import load_catalog
    from intents.matcher import Matcher

    mapping = yaml.safe_load(MAPPING.read_text())["root_causes"]
    catalog = load_catalog()
    unknown = {
        i for m in mapping.values() for i in [*m.get("cause", ()), *m.get("symptom", ())]
    } - set(catalog.entries)
    if unknown:
        raise SystemExit(f"{MAPPING.name}: not catalog ids: {sorted(unknown)}")
    matcher = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda e: e.id))
    outcomes = []
    for case in cases:
        labels = mapping.get(case.root_cause)
        if labels is None:
            raise SystemExit(f"{MAPPING.name}: no line for root cause {case.root_cause!r}")
        diagnosis = diagnose_paste(matcher, PASTES[mode](case), top=3)
        ranked = tuple((f.match.id, f.match.score, f.match.confidence) for f in diagnosis.findings)
        answer = diagnosis.answers[0].match.id if diagnosis.answers else None
        outcomes.append(
            Outcome(
                case,
                ranked,
                answer,
                tuple(labels.get("cause", ())),
                tuple(labels.get("symptom", ())),
            )
        )
    return outcomes


def report(outcomes: Sequence[Outcome]) -> list[str]:
    lines = [
        "| category | cases | top-1 | top-3 | symptom named | confident wrong | quiet |",
        "|---|---|---|---|---|---|---|",
    ]
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.case.category].append(outcome)
    for name, group in [*sorted(groups.items()), ("all", list(outcomes))]:
        positives = [o for o in group if o.cause]
        verdicts = Counter(o.verdict for o in positives)
        n = len(positives)

        def share(count: int, n: int = n) -> str:
            return f"{count} ({count / n:.2f})" if n else "-"

        quiet = verdicts["quiet"] + verdicts["quiet, right first"]
        lines.append(
            f"| {name} | {n} | {share(verdicts['right'])} | {share(sum(o.in_top3 for o in positives))} "
            f"| {share(verdicts['symptom named'])} | {share(verdicts['confident wrong'])} | {share(quiet)} |"
        )
    negatives = [o for o in outcomes if not o.cause]
    answered = sum(o.answer is not None for o in negatives)
    lines.append("")
    lines.append(
        f"out of catalog (network delay, packet loss): {answered}/{len(negatives)} answered (should be 0)"
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=sorted([*PASTES, *opsbench_outputs.MODES, "localise"]))
    parser.add_argument("case", nargs="?", help="outputs: the case to write (e.g. admission/1)")
    parser.add_argument("--to", type=Path, help="outputs: the folder to write its files to")
    parser.add_argument(
        "--data",
        type=Path,
        default=default_data(),
        help="a checkout of Cloud-OpsBench (default: the first of "
        f"{', '.join(map(str, DATA_PLACES))} that exists)",
    )
    parser.add_argument("--half", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="list dev cases not answered right")
    parser.add_argument("--show", help="print the paste of one case (e.g. scheduling/12)")
    parser.add_argument(
        "--rendering",
        action="append",
        choices=(*opsbench_renderings.RENDERINGS, "all"),
        help="localise: the recorded state as tool_cache (cache, the default), raw_data (raw) or "
        "a part of raw_data (describe, bare, half); repeat it, or `all`",
    )
    args = parser.parse_args(argv)
    if not (args.data / "benchmark").is_dir():
        parser.error(f"{args.data}: no benchmark/ folder (clone github.com/wiluen/Cloud-OpsBench)")
    cases = [c for c in load_cases(args.data) if args.half in ("all", c.half)]
    if args.mode in opsbench_outputs.MODES:
        return opsbench_outputs.run_mode(args.mode, cases, case=args.case, to=args.to)
    if args.mode == "localise":
        chosen = args.rendering or ["cache"]
        return opsbench_localise.run(
            cases,
            show_misses=args.misses,
            half=args.half,
            renderings=opsbench_renderings.RENDERINGS if "all" in chosen else chosen,
            root=args.data,
        )
    if args.show:
        shown = [c for c in cases if c.name == args.show]
        if not shown or shown[0].half != "dev":
            parser.error(f"{args.show}: not a development case")
        print(PASTES[args.mode](shown[0]))
        return 0
    outcomes = measure(cases, args.mode)
    print(f"Cloud-OpsBench, {args.mode} pastes, {args.half}: {len(cases)} cases")
    print("\n".join(report(outcomes)))
    if args.misses:
        for o in outcomes:
            if o.case.half == "dev" and o.verdict not in ("right", "quiet (out of catalog)"):
                got = ", ".join(f"{i} {s:.2f} {c}" for i, s, c in o.ranked[:3]) or "nothing"
                print(f"{o.case.name} {o.case.root_cause} [{o.verdict}]: {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
