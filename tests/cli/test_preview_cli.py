"""`kubemedic preview`: the Slack answer as a self-contained HTML page (the command run in process,
as tests/cli/test_in_process.py checks the console script would)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.runner import kubemedic_in_process

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
OOM_PASTE = EXAMPLES / "pastes" / "oom-killed-describe.txt"
CHECKOUT = "shop/checkout-t6ljkgdzfx-bzm4s"
HOSTILE = (
    "Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
    '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">\n'
    "<https://evil.example/|click me> <javascript:alert(1)|run> ```</pre><script>x()</script>``` "
    "*<b onmouseover=alert(1)>bold</b>* <!channel>\n"
)


def _buttons(page: str) -> list[str]:
    return re.findall(r'<button type="button" class="[^"]*" data-action-id="([^"]+)"', page)


def test_a_paste_becomes_a_page_with_the_answer_and_its_buttons(tmp_path: Path) -> None:
    output = tmp_path / "answer.html"
    result = kubemedic_in_process("preview", str(OOM_PASTE), "--output", str(output))
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == f"preview: {output}"
    page = output.read_text()
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "Container killed for exceeding its memory limit (OOMKilled)" in page  # the header block
    assert "<code>oom-killed</code>" in page  # the catalog id, in the context line
    assert "<b>Fix</b>" in page and "<pre>" in page  # mrkdwn bold and code blocks rendered
    assert "<b>Root cause</b>" not in page  # behind the Details button
    assert _buttons(page) == ["show_details", "feedback_helpful", "feedback_not_this"]
    assert "checkout-t6ljkgdzfx-bzm4s" in page.split('class="thread"')[0]  # the paste it replies to
    assert "src=" not in page and "<link" not in page  # self-contained: nothing is loaded


def test_an_oomkilled_dump_pod_gets_what_to_change_and_no_restart_button() -> None:
    # a restart does not fix a memory limit: no button, and the answer names the limit to raise
    result = kubemedic_in_process(
        "preview", "--from-dump", str(EXAMPLES / "dump"), "--pod", CHECKOUT
    )
    assert result.code == 0, result.stderr
    page = result.stdout  # no --output: the page on standard output
    assert "<code>oom-killed</code>" in page
    assert _buttons(page) == ["show_details", "feedback_helpful", "feedback_not_this"]
    assert 'class="button danger"' not in page
    assert "memory limit" in page and "Observed: container checkout; limit 256Mi" in page
    assert "Could not read" not in page and "gateway-not-programmed" not in page


def test_a_hostile_paste_is_shown_as_text_and_nothing_in_it_is_live() -> None:
    result = kubemedic_in_process("preview", "-", stdin=HOSTILE.encode())
    assert result.code == 0, result.stderr
    page = result.stdout
    assert "<script" not in page.lower()
    assert not re.search(
        r"<[a-z]+[^>]*\son[a-z]+=", page, re.IGNORECASE
    )  # no event handler attribute
    assert 'href="javascript' not in page and 'href="https://evil' not in page
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page  # the paste is there, as text


def test_no_confident_match_says_the_channel_would_get_nothing() -> None:
    result = kubemedic_in_process(
        "preview", "-", stdin=b"anyone up for lunch? the new place opened\n"
    )
    assert result.code == 0, result.stderr
    assert "Only visible to you" in result.stdout
    assert result.stderr.startswith(
        "note: no confident match: on a pasted message the bot stays quiet"
    )


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    cases = [
        (("preview", "--pod", CHECKOUT), "--from-dump and --pod go together"),
        (("preview", "--from-dump", str(EXAMPLES / "dump")), "--from-dump and --pod go together"),
        (
            ("preview", str(OOM_PASTE), "--from-dump", str(EXAMPLES / "dump"), "--pod", CHECKOUT),
            "not both",
        ),
        (
            ("preview", "--from-dump", str(tmp_path / "missing"), "--pod", CHECKOUT),
            "is not a directory",
        ),
        (
            ("preview", "--from-dump", str(EXAMPLES / "dump"), "--pod", "shop/Bad_Name"),
            "invalid pod name",
        ),
        (("preview", str(OOM_PASTE), "--output", str(tmp_path)), "is a directory"),
        (("preview", str(OOM_PASTE), "--output", str(tmp_path / "no" / "x.html")), "cannot write"),
        (("preview", str(tmp_path / "missing.txt")), "missing.txt"),
        (("preview",), "standard input is empty"),
    ]
    for args, reason in cases:
        result = kubemedic_in_process(*args)
        assert (result.code, result.stdout) == (2, ""), (args, result)
        assert len(result.stderr.splitlines()) == 1 and reason in result.stderr, (
            args,
            result.stderr,
        )


def test_a_pod_missing_from_the_dump_exits_1() -> None:
    result = kubemedic_in_process(
        "preview", "--from-dump", str(EXAMPLES / "dump"), "--pod", "shop/nope"
    )
    assert result.code == 1 and "shop/nope not found" in result.stderr
