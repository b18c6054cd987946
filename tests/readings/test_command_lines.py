"""Shell lines that run kubectl or helm (bot/diagnosis/paste_sections.py): what was run, not what happened.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations


def test_a_prompt_with_a_conda_environment_is_a_command_line() -> None:
    from bot.diagnosis.paste_text import is_command

    assert is_command("(base) ana@build-01:~$ kubectl -n kube-system get all")
    assert is_command("(venv) $ helm status cilium")
    assert not is_command("(base) the pods restart after kubectl apply")
