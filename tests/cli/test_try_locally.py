"""Asking, picking and learning without a workspace: docs/asking.md's "Try it without a workspace".

`kubemedic match` prints "Is it one of these?" when unsure (and `"choices"` in `--json`); the
doc's own blocks, run as written in a folder of the reader's, pick with an examples file,
learn with `--examples`, then import it into a database `match` reads; `catalog suggest` on
that fresh database says how drafts arise; `examples import` refuses an example too short
to ever answer, saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.runner import INDEX_CACHE, kubemedic_in_process

ROOT = Path(__file__).resolve().parents[2]
PASTE = ROOT / "examples" / "pastes" / "pending-unsure.txt"
SECTION = "\n## Try it without a workspace\n"


def blocks() -> list[str]:
    page = (ROOT / "docs" / "asking.md").read_text()
    section = page.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```sh\n(.*?)^```", section, flags=re.DOTALL | re.MULTILINE)


def test_an_unsure_paste_prints_the_question_and_its_choices() -> None:
    body = kubemedic_in_process("match", "--json", str(PASTE)).json()
    assert body["answer"] is None
    choices = body["choices"]
    assert 1 <= len(choices) <= 3 and "pending-untolerated-taint" in [c["id"] for c in choices]
    assert set(choices[0]) == {"id", "title", "line", "why", "score"}
    printed = kubemedic_in_process("match", str(PASTE)).stdout
    question = printed.split("\nIs it one of these?\n", 1)[1]
    assert question.count("dedicated=gpu:NoSchedule") == 1  # the pasted line, quoted once
    assert f"[{choices[0]['id']}]" in question and "--examples FILE" in question
    assert "Closest (low confidence)" not in printed  # the question, not the same list twice


def test_the_docs_blocks_pick_learn_and_keep_the_choice(tmp_path: Path) -> None:
    shutil.copy(PASTE, tmp_path / "pending.txt")
    venv = str(Path(sys.executable).parent)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KUBEMEDIC_", "SLACK_"))
    }
    env |= {"PATH": f"{venv}:{env.get('PATH', '')}", "KUBEMEDIC_CACHE_DIR": str(INDEX_CACHE)}
    pick, keep = blocks()
    picked = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", pick],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert picked.returncode == 0, picked.stderr
    assert picked.stdout.startswith("Pod Pending - nodes have taints the pod does not tolerate\n")
    assert "why: chosen by @you on " in picked.stdout and "for the same error" in picked.stdout
    kept = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", keep],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert kept.returncode == 0, kept.stderr
    assert "examples: 1 imported from examples.yaml" in kept.stdout
    assert "[pending-untolerated-taint]" in kept.stdout and "why: chosen by @you on " in kept.stdout
    assert (
        "catalog suggest: 0 draft(s) from 0 unanswered paste(s)\nDrafts come from what the "
        "running bot could not answer" in kept.stderr
    )


def test_an_example_too_short_to_ever_answer_is_refused_saying_why(tmp_path: Path) -> None:
    examples = tmp_path / "examples.yaml"
    examples.write_text(
        "format: kubemedic.examples/v1\nexamples:\n  - {entry: oom-killed, text: 'OOMKilled 137'}\n"
    )
    database = {"KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'team.db'}"}
    commands = (
        ("examples", "import", str(examples)),
        ("match", str(PASTE), "--examples", str(examples)),
    )
    for command in commands:
        refused = kubemedic_in_process(*command, env=database)
        assert (refused.code, refused.stdout) == (2, ""), refused.stderr
        assert refused.stderr == (
            f"kubemedic: {examples}: examples.0.text: too short to ever answer: it reads as 2 "
            "words (as a paste is read), and an example needs at least 6\n"
        )
