"""The decision says why: every match carries the rules that shaped it, and a rival why it lost."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import kubemedic_in_process, match_json

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "pastes"
CLOSE = (
    "    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n"
    "      Reason:       Error\n      Exit Code:    1\n    Ready:          False\n    Restart Count:  14\n"
)
"""A crash loop whose exit code two entries read equally: both are shown, each saying it is close and why it lost."""


def test_a_confirmed_answer_says_so_and_its_symptom_says_what_explains_it() -> None:
    body = match_json((EXAMPLES / "oom-killed-describe.txt").read_text())
    first, *rest = body["matches"]
    assert first["id"] == "oom-killed"
    rules = [step["rule"] for step in first["why"]]
    assert rules[0] == "own strength" and "evidence" in rules
    # the catch-all's discount is what put it ahead of the crash loop: its trace says so
    assert {"rule": "catch-all", "effect": "moved ahead of crashloop-backoff"} in first["why"]
    crashloop = next(m for m in rest if m["id"] == "crashloop-backoff")
    assert crashloop["lost"] == "a symptom that oom-killed explains"
    [discount] = [step["effect"] for step in crashloop["why"] if step["rule"] == "catch-all"]
    before, after = map(float, discount.removeprefix("a catch-all starts lower: ").split(" -> "))
    assert after < before and abs(after - crashloop["score"]) < 0.01


def test_a_held_back_guess_names_the_close_call_in_its_trace() -> None:
    body = match_json("the init container was killed, exit code 137, no idea why\n")
    assert body["answer"] is None
    assert any(step["rule"] == "close call" for match in body["matches"] for step in match["why"])


def test_the_terminal_answer_has_one_why_line_and_each_rival_its_reason() -> None:
    result = kubemedic_in_process("match", str(EXAMPLES / "oom-killed-describe.txt"))
    lines = result.stdout.splitlines()
    assert lines[2].startswith("  why: confirmed by its own facts and the text")
    # a rival far below a confirmed answer is not shown; JSON still says why it lost
    assert (
        "exit-code-137-sigkill"
        not in kubemedic_in_process(
            "match", "--verbose", str(EXAMPLES / "oom-killed-describe.txt")
        ).stdout
    )
    rival = next(
        m
        for m in match_json((EXAMPLES / "oom-killed-describe.txt").read_text())["matches"]
        if m["id"] == "exit-code-137-sigkill"
    )
    assert "refute" in rival["lost"]
    # a close rival is shown in the details, and its reason says it is close and why it lost
    close = kubemedic_in_process("match", "--verbose", stdin=CLOSE.encode()).stdout
    shown = " ".join(close.split("Close to the answer:", 1)[1].split())
    assert "close to the answer (" in shown and "but" in shown
