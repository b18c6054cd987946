"""POST /catalog/search: the served catalog site ranks with the bot's own matcher, bounded and read-only.

Through the running bot over HTTP, as the site's page sends it; the answer is compared with what
`kubemedic match` computes for the same text (the redacted paste through `diagnose_paste`).
"""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp

from bot.catalog_search import MAX_CHARS
from bot.diagnosis.paste import diagnose_paste
from responses.redaction import redact_paste
from tests.corpus_cases import positive_cases, read_case
from tests.slack.harness import Bot, running_bot, shared_matcher

EXAMPLES = Path(__file__).parents[2] / "examples" / "pastes"


async def _search(bot: Bot, text: str | bytes) -> tuple[int, dict[str, str], str]:
    body = text.encode() if isinstance(text, str) else text
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{bot.url}/catalog/search", data=body) as response,
    ):
        return response.status, dict(response.headers), await response.text()


def _match_order(text: str) -> list[str]:
    """The ids `kubemedic match --json` lists for `text`, best first."""
    return [
        finding.match.id
        for finding in diagnose_paste(shared_matcher(), redact_paste(text)).findings
    ]


async def test_the_search_ranks_a_paste_as_kubemedic_match_does(tmp_path: Path) -> None:
    pastes = [
        (EXAMPLES / "oom-killed-describe.txt").read_text(),
        *(read_case(path) for path, _ in positive_cases()[::40]),
    ]
    async with running_bot(tmp_path) as bot:
        answers = [await _search(bot, text) for text in pastes]
    for text, (status, headers, body) in zip(pastes, answers, strict=True):
        assert status == 200 and headers["Content-Type"].startswith("application/json"), body
        ranked = json.loads(body)
        order = _match_order(text)
        assert [match["id"] for match in ranked["matches"]] == order[:10], text[:80]
        assert ranked["answer"] in (order[0] if order else None, None)
    assert json.loads(answers[0][2])["answer"] == "oom-killed"


async def test_the_search_stores_nothing_and_answers_only_ids(tmp_path: Path) -> None:
    secret = "xoxb-1234567890-abcdefghijklmnop"
    paste = (
        f"Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\nSLACK_BOT_TOKEN={secret}"
    )
    async with running_bot(tmp_path) as bot:
        status, headers, body = await _search(bot, paste)
        recent = await bot.kubemedic.store.feedback_stats()
    assert status == 200 and secret not in body and "OOMKilled" not in body
    assert set(json.loads(body)) == {"answer", "matches"}
    assert headers["Cache-Control"] == "no-store"
    assert recent == [] and bot.slack.calls_to("chat.postMessage") == [] and bot.kube.requests == []


async def test_a_text_over_the_limit_is_refused_in_one_line(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        status, _, body = await _search(bot, "OOMKilled " * (MAX_CHARS // 10 + 1))
        get = await _search(bot, "")
    assert status == 413 and body == f"the search takes at most {MAX_CHARS} characters\n"
    assert get[0] == 200 and json.loads(get[2]) == {"answer": None, "matches": []}


async def test_one_address_past_its_budget_is_told_when_to_retry(tmp_path: Path) -> None:
    async with running_bot(tmp_path, KUBEMEDIC_CATALOG_SEARCHES_PER_MINUTE="3") as bot:
        answers = [await _search(bot, "Back-off restarting failed container") for _ in range(4)]
    assert [status for status, _, _ in answers] == [200, 200, 200, 429]
    _, headers, body = answers[-1]
    assert body.startswith("too many searches from this address; try again in ")
    assert int(headers["Retry-After"]) >= 1


async def test_the_site_may_ask_only_its_own_origin(tmp_path: Path) -> None:
    async with (
        running_bot(tmp_path) as bot,
        aiohttp.ClientSession() as session,
        session.get(f"{bot.url}/catalog/") as response,
    ):
        policy, index = response.headers["Content-Security-Policy"], await response.text()
    assert "connect-src 'self'" in policy and "default-src 'none'" in policy
    assert '<main data-search-url="search">' in index
