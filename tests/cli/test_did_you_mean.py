"""A mistyped command, choice or option gets the closest one it meant, in the one-line usage error."""

from __future__ import annotations

import pytest

from tests.cli.runner import kubemedic, kubemedic_in_process

#: what was typed -> the suggestion the error line must carry
TYPOS = {
    ("mach", "x.txt"): "invalid choice: 'mach'; did you mean 'match'?",
    ("doctr",): "invalid choice: 'doctr'; did you mean 'doctor'?",
    ("slack-manfest",): "did you mean 'slack-manifest'?",
    ("catalog", "chek"): "invalid choice: 'chek'; did you mean 'check'?",
    ("diagnose", "pood", "shop/web"): "invalid choice: 'pood'; did you mean 'pod'?",
    ("match", "--jsn", "x.txt"): "unrecognized arguments: --jsn; did you mean --json?",
    ("serve", "--htp"): "unrecognized arguments: --htp; did you mean --http?",
    ("catalog", "list", "--jsno"): "did you mean --json?",
}


@pytest.mark.parametrize("typed", list(TYPOS), ids=[" ".join(t) for t in TYPOS])
def test_a_typo_is_answered_with_the_closest_spelling(typed: tuple[str, ...]) -> None:
    result = kubemedic_in_process(*typed)
    assert result.code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("kubemedic: ") and TYPOS[typed] in line, line


def test_nothing_close_gets_no_guess_and_the_installed_command_says_the_same() -> None:
    far = kubemedic_in_process("zzzz")
    assert (
        far.code == 2 and "did you mean" not in far.stderr and "(choose from 'match'" in far.stderr
    )
    extra = kubemedic_in_process("diagnose", "pod", "shop/web-0", "extra")
    assert extra.code == 2 and extra.stderr.strip() == "kubemedic: unrecognized arguments: extra"
    installed = kubemedic("mach")
    assert installed.code == 2 and "did you mean 'match'?" in installed.stderr
