"""An app family's faults scored: does kubemedic name the culprit, not the first victim?

    eval "$(bash .ci/kube-node.sh)"
    python -m bench.cascade live [--app cascade|market|ledger] [--record] [--only NAME ...] [--json FILE]
    python -m bench.cascade recorded [--app ...] [--later] [--describe] [--renamed] [--only NAME ...] [--json FILE]

`live` runs the family's app (tests/cascade/app.py, the default; tests/market/app.py) on the
real node and makes each of its faults (tests/cascade/faults.py, tests/market/faults.py) in
turn in one namespace (each undone, the app serving again, before the next), then asks
`diagnose namespace` (with the users' symptom), `diagnose service` (the Service the symptom
names) and `diagnose pod` (the culprit's caller's pod) of the live node as deploy/'s read-only
role (tests/cascade/asking.py says what counts as named first). With `--record` it also writes
each fault's kubectl outputs to tests/<family>/recorded/<fault>/.
`recorded` asks the same three questions of those folders with `--from-outputs`, no node
needed; `--later` asks again with the clock a day and a year ahead (`faketime`), and counts the
answers that changed; `--describe` leaves out the outputs printed as YAML (`-o yaml`), as a
ticket with tables, `describe` and logs only brings them; `--renamed` renames the app's tiers throughout
(tests/cascade/renaming.py: no rule may lean on what a team calls its services). Both print one row per fault
("cause": culprit and its catalog id first; "object": the culprit first, another cause; "-":
neither), then the totals per command.
A script, not a test: the figures go in docs/benchmarks.md ("Cascade app on the real node",
"Market app on the real node", "Ledger app on the real node").
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.cascade.asking import COMMANDS, Answer, arguments, ask_live, ask_recorded, rendered
from tests.cascade.families import FAMILIES
from tests.cascade.family import Family, Fault
from tests.cascade.record import record
from tests.cascade.renaming import RENAMES, renamed, renamed_fault
from tests.cascade.sequence import CascadeRun

LATER = ("+1d", "+365d")


def verdict(fault: Fault, answer: Answer) -> str:
    if answer.cause_right(fault):
        return "cause"
    return "object" if answer.object_right(fault) else "-"


def row(fault: Fault, answers: dict[str, Answer], extra: str = "") -> str:
    cells = [f"{verdict(fault, answers[c])}: {answers[c].shown()}" for c in COMMANDS]
    return f"| {fault.name} | {fault.culprit} `{fault.entry}` | " + " | ".join(cells) + f" |{extra}"


def totals(faults: list[Fault], results: dict[str, dict[str, Answer]]) -> list[str]:
    by_name = {f.name: f for f in faults}
    lines = []
    for command in COMMANDS:
        answers = [(by_name[name], found[command]) for name, found in results.items()]
        objects = sum(a.object_right(f) for f, a in answers)
        causes = sum(a.cause_right(f) for f, a in answers)
        wrong = [f.name for f, a in answers if not a.cause_right(f)]
        lines.append(
            f"{command}: object first {objects}/{len(answers)}, cause first {causes}/{len(answers)}"
            f"; not cause first: {', '.join(wrong) or '-'}"
        )
    sure = [
        (by_name[name], answer)
        for name, found in results.items()
        for answer in found.values()
        if answer.confidence in ("high", "medium")
    ]
    wrong_sure = sum(not a.cause_right(f) for f, a in sure)
    lines.append(f"not the cause, yet said at high or medium: {wrong_sure}")
    return lines


def live(family: Family, chosen: list[Fault], keep: bool) -> dict[str, dict[str, Answer]]:
    from tests.realnode.node import RealNode
    from tests.realserver.api import Api
    from tests.realserver.conftest import Identities

    node = RealNode.from_env()
    if node is None:
        raise SystemExit('no node: start one with eval "$(bash .ci/kube-node.sh)"')
    admin, home = Api(node.kubeconfig), Path(tempfile.mkdtemp(prefix="kubemedic-cascade-"))
    identities = Identities(node.server, admin, home)
    run = CascadeRun(admin, family.image(node), node.host_ip, family)
    results: dict[str, dict[str, Answer]] = {}
    try:
        run.start()
        for fault in chosen:
            took = run.make(fault)
            try:
                text, alerts = run.symptom(fault)
                pod = run.caller_pod(fault)
                kubeconfig = identities.read.kubeconfig
                results[fault.name] = {
                    c: ask_live(c, fault, text, pod, kubeconfig, home, run.namespace)
                    for c in COMMANDS
                }
                if keep:
                    case = {
                        "fault": fault.name,
                        "namespace": run.namespace,
                        "symptom": text,
                        "symptom_service": fault.symptom_service,
                        "caller_pod": pod,
                    }
                    record(admin, node.kubeconfig, family, fault.name, case, alerts)
            finally:
                healed = run.undo(fault)
            print(
                row(
                    fault, results[fault.name], f" shown in {took:.0f} s, healed in {healed:.0f} s"
                ),
                flush=True,
            )
    finally:
        run.give_back()
        run.delete()
        admin.close()
        shutil.rmtree(home, ignore_errors=True)
    return results


def ask_later(command: str, fault: Fault, folder: Path, case: dict[str, Any], shift: str) -> Answer:
    """The same question with the wall clock `shift` ahead (libfaketime), in a subprocess."""
    args = [*arguments(command, fault, case["symptom"], case["caller_pod"], case["namespace"])]
    args += ["--from-outputs", str(folder / "outputs")]
    done = subprocess.run(
        ["faketime", "-f", shift, sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        return Answer(command, None, None, None, error=done.stderr.strip()[-200:])
    from tests.cascade.asking import first_named

    return first_named(command, json.loads(done.stdout), f"service/{fault.caller}")


def recorded(
    family: Family, chosen: list[Fault], later: bool, describe: bool, rename: bool = False
) -> dict[str, dict[str, Answer]]:
    if later and shutil.which("faketime") is None:
        raise SystemExit("--later needs faketime (apt-get install faketime)")
    home = Path(tempfile.mkdtemp(prefix="kubemedic-cascade-"))
    results: dict[str, dict[str, Answer]] = {}
    changed = 0
    try:
        for fault in chosen:
            if not (family.recorded / fault.name / "case.json").is_file():
                print(f"| {fault.name} | not recorded |")
                continue
            folder = rendered(family.recorded / fault.name, describe, home)
            if rename:
                names = RENAMES[family.name]
                folder = renamed(folder, names, home / "renamed")
                fault = renamed_fault(fault, names)
            case = json.loads((folder / "case.json").read_text())
            results[fault.name] = {c: ask_recorded(c, fault, folder, case, home) for c in COMMANDS}
            extra = ""
            if later:
                moved = [
                    f"{c} at {shift}"
                    for c in COMMANDS
                    for shift in LATER
                    if ask_later(c, fault, folder, case, shift).ranked
                    != results[fault.name][c].ranked
                ]
                changed += len(moved)
                extra = f" later: {', '.join(moved) or 'same'}"
            print(row(fault, results[fault.name], extra), flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if later:
        print(f"answers whose suspects changed a day or a year later: {changed}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("mode", choices=("live", "recorded"))
    parser.add_argument("--app", choices=sorted(FAMILIES), default="cascade", help="the family")
    parser.add_argument("--record", action="store_true", help="live: write the recorded folders")
    parser.add_argument("--later", action="store_true", help="recorded: ask a day and a year later")
    parser.add_argument("--describe", action="store_true", help="recorded: without -o yaml outputs")
    parser.add_argument(
        "--renamed", action="store_true", help="recorded: the app's tiers under other names"
    )
    parser.add_argument("--only", nargs="*", help="fault names (default: all, in order)")
    parser.add_argument("--json", type=Path, help="write every answer to this file")
    args = parser.parse_args()
    family = FAMILIES[args.app]
    chosen = [f for f in family.faults if not args.only or f.name in args.only]
    started = time.monotonic()
    print("| fault | culprit, cause | " + " | ".join(f"`diagnose {c}`" for c in COMMANDS) + " |")
    print("|---|---|" + "---|" * len(COMMANDS))
    if args.mode == "live":
        results = live(family, chosen, args.record)
    else:
        results = recorded(family, chosen, args.later, args.describe, args.renamed)
    print()
    scored = family.faults
    if args.renamed:
        scored = [renamed_fault(fault, RENAMES[family.name]) for fault in scored]
    for line in totals(scored, results):
        print(line)
    print(f"({time.monotonic() - started:.0f} s)")
    if args.json:
        out = {name: {c: a.__dict__ for c, a in found.items()} for name, found in results.items()}
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
