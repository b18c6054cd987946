"""The README's example answer is what `kubemedic match` prints today."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.runner import kubemedic_in_process

ROOT = Path(__file__).resolve().parents[2]
COMMAND = "kubemedic match examples/pastes/oom-killed-describe.txt"


def test_the_readme_answer_is_the_short_answer_match_prints() -> None:
    readme = (ROOT / "README.md").read_text()
    [shown] = re.findall(rf"```text\n\$ {re.escape(COMMAND)}\n(.*?)```", readme, flags=re.DOTALL)
    printed = kubemedic_in_process(*COMMAND.split()[1:], cwd=ROOT).stdout
    assert shown == printed
    assert "restart" not in printed.split("Fix:", 1)[0].lower()
