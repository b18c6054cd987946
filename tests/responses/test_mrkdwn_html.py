"""Slack mrkdwn drawn as HTML the way Slack shows it; nothing from the text becomes markup of its own."""

from __future__ import annotations

import pytest

from responses.mrkdwn_html import mrkdwn_html


@pytest.mark.parametrize(
    ("mrkdwn", "html"),
    [
        ("*Root cause*\nthe limit", "<b>Root cause</b><br>the limit"),
        ("_soft_ and ~gone~ and 2*3*4", "<i>soft</i> and <s>gone</s> and 2*3*4"),
        ("run `kubectl get pod &lt;pod&gt;`", "run <code>kubectl get pod &lt;pod&gt;</code>"),
        (
            "*Fix*\n```a &amp;&amp; b\n  c```\nafter",
            "<b>Fix</b><pre>a &amp;&amp; b\n  c</pre>after",
        ),
        (
            "<https://k8s.io/x?a=1&amp;b=2|the *docs*>",
            '<a href="https://k8s.io/x?a=1&amp;b=2" rel="noopener noreferrer">the <b>docs</b></a>',
        ),
        ("<javascript:alert(1)|run>", "run"),
        (
            "<@U123> <!here>",
            '<span class="mention">@U123</span> <span class="mention">@here</span>',
        ),
        ("&gt; quoted\nplain", "<blockquote>quoted</blockquote>plain"),
        ('&lt;img src=x onerror="a()"&gt;', "&lt;img src=x onerror=&quot;a()&quot;&gt;"),
    ],
)
def test_mrkdwn_is_drawn_as_slack_shows_it(mrkdwn: str, html: str) -> None:
    assert mrkdwn_html(mrkdwn) == html
