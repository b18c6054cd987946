"""Healthy kubectl output gets no answer: in process, and through `kubemedic match --json`.

tests/corpus/healthy/ holds 100+ healthy or normal outputs as users paste
them (see its README).  Each must be recognised as kubectl output (so a
parser regression shows here, not as a lucky silence) and answered by
nobody.
"""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot import cli
from bot.commands.io import CommandIO
from bot.diagnosis.paste import HEALTHY_NOTE, diagnose_paste
from bot.diagnosis.paste_read import read_pasted
from intents.matcher import Matcher
from tests.cli.runner import kubemedic
from tests.corpus_cases import healthy_cases, read_case

CLI_WORKERS = 4
CLI_SAMPLE = 8


def test_the_healthy_corpus_is_big_and_varied() -> None:
    names = [path.name for path in healthy_cases()]
    assert len(names) >= 100
    for shape in (
        "describe-pod",
        "describe-node",
        "get-pods",
        "get-nodes",
        "get-pvc",
        "get-events",
        "describe-events",
        "rollout",
        "helm",
        "yaml",
        "json",
        "top",
        "cluster-info",
        "job",
    ):
        assert any(shape in name for name in names), shape


@pytest.mark.parametrize("path", healthy_cases(), ids=lambda path: path.name)
def test_healthy_output_is_read_as_healthy_and_not_answered(path: Path, matcher: Matcher) -> None:
    text = read_case(path)
    diagnosis = diagnose_paste(matcher, text)
    assert diagnosis.answer is None, diagnosis.answer.match.id
    if path.name.startswith("log-"):
        return  # `kubectl logs` of a healthy component: plain log lines, no table to recognise
    parsed = read_pasted(text)
    assert parsed.recognised, "no kubectl output recognised"
    unhealthy = [subject.label for subject in parsed.subjects if not subject.healthy]
    assert parsed.healthy, f"read as unhealthy: {unhealthy}"
    assert any(note.startswith(HEALTHY_NOTE) for note in diagnosis.notes)


def _cli_answer(path: Path) -> object:
    """`kubemedic match --json FILE` through the CLI's entry point, in this process."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["match", "--json", str(path)], CommandIO(io.BytesIO(), out, err))
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())["answer"]


def test_the_cli_answers_none_of_them() -> None:
    answered = [
        (path.name, got) for path in healthy_cases() if (got := _cli_answer(path)) is not None
    ]
    assert not answered


def test_the_installed_console_script_answers_none_of_a_sample() -> None:
    # one file of each kind through the real `kubemedic` process, as a user runs it
    kinds = {path.name.split("-")[0]: path for path in healthy_cases()}
    sample = [kinds[kind] for kind in sorted(kinds)][:CLI_SAMPLE]
    with ThreadPoolExecutor(CLI_WORKERS) as pool:
        results = list(
            pool.map(lambda path: (path.name, kubemedic("match", "--json", str(path))), sample)
        )
    assert all(result.code == 0 for _name, result in results)
    assert [
        (name, result.json()["answer"])
        for name, result in results
        if result.json()["answer"] is not None
    ] == []
