"""How long an answer is, in whose names, and which buttons it offers (a script, not a test).

Over every labelled paste that gets an answer (tests/corpus/cases and the positive
pastes of the dev half of tests/corpus/real):

1. terminal lines of `kubemedic match` (the short form) and of `--verbose`:
   median, p90, max;
2. Slack lines above the Details button (tests/answer/screen.py);
3. fix-step placeholders the paste gave a value for that stayed unfilled, and values
   filled into the place of another kind (the oracle of tests/answer/test_fix_names.py);
4. the time to read the names of a paste (bot/diagnosis/text_names.py): a 40 KB log with a
   `kubectl describe pod` in it, and the slowest of a few hostile 200 KB texts;
5. remediation buttons: the catalog's actions that fix the cause, and the buttons the
   API stand-in's broken-pod scenarios are offered with the rule "only what fixes the
   cause" against the earlier rule "every action whose facts hold".

Run from the project root:  .venv/bin/python -m bench.answer_bench
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.measure import percentile
from bot.cluster.kubeconfig import connect
from bot.command_settings import CommandSettings
from bot.diagnosis.node import diagnose_node
from bot.diagnosis.paste import diagnose_paste
from bot.diagnosis.pod import Judge, diagnose_pod
from bot.diagnosis.text_names import names_in_text, names_of_paste
from bot.knowledge import load_knowledge
from bot.remediation.planning import offers
from bot.settings import Settings
from intents.loader import load_catalog
from responses.block_kit import diagnosis_blocks
from responses.buttons import details_button
from responses.diagnosis import Diagnosis
from responses.text import render_text
from tests.answer.screen import lines_before_fold
from tests.answer.test_fix_names import corpus, problems
from tests.corpus_cases import read_case
from tests.standins import kube_scenarios as ks
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig

NODE = "worker-3"
SCENARIOS = (
    "oom_killed_deployment",
    "evicted",
    "out_of_pods",
    "node_not_ready",
    "tikv_cluster_id_mismatch",
    "pd_discovery_wait",
    "image_pull_backoff",
    "create_container_config_error",
)


def figures(values: list[int]) -> str:
    return (
        f"median {statistics.median(values):g}, p90 {percentile(values, 0.9):g}, max {max(values)}"
    )


def lengths() -> None:
    knowledge = load_knowledge(CommandSettings.from_environment())
    catalog = load_catalog()
    short, verbose, slack, wrong, answered = [], [], [], [], 0
    pastes = corpus()
    for _, path, ids in pastes:
        text = read_case(path)
        diagnosis = diagnose_paste(knowledge.matcher, text)
        names = names_of_paste(text)
        wrong += [
            problem
            for entry_id in ids
            if entry_id in catalog.entries
            for problem in problems(catalog.entries[entry_id], text, names)
        ]
        if diagnosis.answer is None:
            continue
        answered += 1
        short.append(render_text(diagnosis).count("\n"))
        verbose.append(render_text(diagnosis, verbose=True).count("\n"))
        slack.append(
            lines_before_fold(diagnosis_blocks(diagnosis, buttons=[details_button("bench")]))
        )
    print(f"{answered} answers over {len(pastes)} labelled pastes")
    print(f"terminal lines, short form:     {figures(short)}")
    print(f"terminal lines, --verbose:      {figures(verbose)}")
    print(f"Slack lines above Details:      {figures(slack)}")
    unfilled = sum("stayed" in problem for problem in wrong)
    print(
        f"placeholders the paste gave left unfilled: {unfilled}; wrong-kind or made-up values: "
        f"{len(wrong) - unfilled}"
    )


HOSTILE = {
    "200 KB of newlines": "\n" * 200_000,
    "kubectl repeated on one line": "kubectl " * 25_000,
    "an unclosed quote after pod, again and again": 'pod "' * 40_000,
    "one 190 KB taint key": "Taints: " + "a" * 190_000,
    "pod/NAME on every line": "pod/ab-1 x\n" * 18_000,
    "indented Limits: on every line": "  Limits:\n" * 20_000,
    "helm repeated on one line": "helm " * 40_000,
    "Name: on every line": "Name: x\n" * 25_000,
    "an RBAC refusal repeated": 'User "system:serviceaccount:a:b" cannot list pods in "x" ' * 3_400,
}


def reading_names() -> None:
    describe = (ROOT / "examples" / "pastes" / "oom-killed-describe.txt").read_text()
    line = "2024-05-14T08:20:01.112Z INFO  worker processed batch id=12345 items=500 took=12ms\n"
    paste = line * (40_000 // len(line)) + describe
    runs = []
    for _ in range(20):
        started = time.perf_counter()
        names_in_text(paste)
        runs.append(time.perf_counter() - started)
    worst = max(HOSTILE, key=lambda name: _seconds(HOSTILE[name]))
    print(
        f"reading a paste's names: 40 KB log with a describe {statistics.median(runs) * 1000:.1f} ms (median "
        f"of 20); slowest hostile 200 KB text ({worst}) {_seconds(HOSTILE[worst]) * 1000:.0f} ms"
    )


def _seconds(text: str) -> float:
    started = time.perf_counter()
    names_in_text(text)
    return time.perf_counter() - started


def _every_action(diagnosis: Diagnosis) -> Diagnosis:
    """The earlier rule: every declared action is a candidate, whether it fixes the cause or not."""
    findings = []
    for finding in diagnosis.findings:
        entry = finding.match.entry
        entry = replace(
            entry, remediation=[replace(action, effect="fixes") for action in entry.remediation]
        )
        findings.append(replace(finding, match=replace(finding.match, entry=entry)))
    return replace(diagnosis, findings=tuple(findings))


async def _offered(rule: Callable[[Diagnosis], Diagnosis]) -> list[tuple[str, str]]:
    knowledge = load_knowledge(CommandSettings.from_environment())
    found = []
    for scenario in SCENARIOS:
        standin = KubeStandIn(latency=0.0)
        case = (
            getattr(ks, scenario)(standin, name=NODE)
            if scenario == "node_not_ready"
            else getattr(ks, scenario)(standin)
        )
        with start_in_thread(standin) as server, tempfile.TemporaryDirectory() as folder:
            path = write_kubeconfig(Path(folder) / "kubeconfig", {"bench": server.url})
            gateway = connect(Settings(KUBECONFIG=str(path)))
            try:
                judge = Judge(knowledge.matcher)
                diagnosis = (
                    await diagnose_pod(gateway, case.namespace, case.pod, judge=judge)
                    if case.pod
                    else await diagnose_node(gateway, NODE, judge=judge)
                )
                offered = await offers(rule(diagnosis), None, settings=Settings(), reader=gateway)
            finally:
                gateway.close()
        found += [(scenario, f"{offer.kind} ({offer.catalog_id})") for offer in offered]
    return found


def buttons() -> None:
    actions = [
        (entry.id, action)
        for entry in load_catalog().entries.values()
        for action in entry.remediation
    ]
    fixing = [entry_id for entry_id, action in actions if action.effect == "fixes"]
    print(
        f"catalog actions that fix the cause: {len(fixing)} of {len(actions)} "
        f"(in {len(set(fixing))} entries); the rest only mitigate and are never buttons"
    )
    before, after = asyncio.run(_offered(_every_action)), asyncio.run(_offered(lambda d: d))
    print(
        f"buttons on {len(SCENARIOS)} broken-pod scenarios: {len(before)} with every action whose facts hold, "
        f"{len(after)} with only what fixes the cause"
    )
    for scenario, offer in before:
        print(
            f"  {scenario:<26} {offer:<50} {'kept' if (scenario, offer) in after else 'not offered: mitigates'}"
        )


if __name__ == "__main__":
    lengths()
    reading_names()
    buttons()
