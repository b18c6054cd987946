"""POST /catalog/search: the served catalog site's search box, ranked by the bot's own matcher.

The static site ranks in the page with a simplified copy of the matcher
(responses/site_assets/search.js), which can disagree with the bot. When the
bot serves the site, the page also sends the text here and shows this order
instead: the same `diagnose_paste` that `kubemedic match` runs, so the same
text gets the same first entry.

What a visitor can send is bounded: at most MAX_CHARS characters (413
beyond), a body received within the HTTP body timeout (408), SEARCHES per
minute per client address (429, with Retry-After, as other inputs' budgets),
and at most CONCURRENT matches at once on this replica (503: the page keeps
its own ranking). The text is redacted before matching (as `match` does),
never stored or logged, and the answer carries only catalog ids and scores.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from bot.answering.ratelimit import TokenBuckets
from bot.diagnosis.paste import diagnose_paste
from bot.runtime.shared_buckets import SharedBuckets
from intents.matcher import Matcher
from responses.diagnosis import Diagnosis
from responses.redaction import redact_paste

PATH = "/catalog/search"
MAX_CHARS = 40_000
"""The longest text ranked (a Slack message's limit, and what the page sends at most)."""
MAX_BODY = 4 * MAX_CHARS
"""Bytes: MAX_CHARS of UTF-8 at four bytes each."""
CONCURRENT = 2
"""Matches running at once on this replica; one more request gets 503."""
SHOWN = 10
"""Matches in an answer, best first."""
NO_STORE = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def ranked(diagnosis: Diagnosis) -> dict[str, object]:
    """The answer's JSON: `matches` best first as `kubemedic match --json` lists them, and `answer`
    (the id the bot would state, or None when it would stay quiet)."""
    answer = diagnosis.answer
    return {
        "answer": answer.match.id if answer else None,
        "matches": [
            {
                "id": finding.match.id,
                "score": round(finding.match.score, 2),
                "confidence": finding.match.confidence,
            }
            for finding in diagnosis.findings[:SHOWN]
        ],
    }


def _refusal(status: int, line: str, **headers: str) -> web.Response:
    return web.Response(status=status, text=f"{line}\n", headers={**NO_STORE, **headers})


class CatalogSearch:
    """The route's handler: bounded, rate-limited, redacted, read-only."""

    def __init__(
        self,
        matcher: Matcher,
        *,
        per_minute: int,
        body_timeout: float,
        shared: SharedBuckets | None = None,
    ) -> None:
        self._matcher = matcher
        self._budgets = TokenBuckets(per_minute, shared=shared, name="catalog-search")
        self._body_timeout = body_timeout
        self._running = 0

    async def handle(self, request: web.Request) -> web.Response:
        if (request.content_length or 0) > MAX_BODY:
            return _refusal(413, f"the search takes at most {MAX_CHARS} characters")
        address = request.remote or "unknown"
        if not self._budgets.allow(address):
            wait = max(self._budgets.retry_after(address), 1)
            return _refusal(
                429,
                f"too many searches from this address; try again in {wait} s",
                **{"Retry-After": str(wait)},
            )
        try:
            body = await asyncio.wait_for(request.content.read(MAX_BODY + 1), self._body_timeout)
        except TimeoutError:
            return _refusal(408, "the search text did not arrive in time")
        text = body.decode("utf-8", errors="replace")
        if len(body) > MAX_BODY or len(text) > MAX_CHARS:
            return _refusal(413, f"the search takes at most {MAX_CHARS} characters")
        if self._running >= CONCURRENT:
            return _refusal(
                503, "kubemedic is busy: the page keeps its own ranking", **{"Retry-After": "1"}
            )
        self._running += 1
        try:
            diagnosis = await asyncio.to_thread(diagnose_paste, self._matcher, redact_paste(text))
        finally:
            self._running -= 1
        return web.Response(
            text=json.dumps(ranked(diagnosis)), content_type="application/json", headers=NO_STORE
        )


def add_search_route(web_app: web.Application, search: CatalogSearch) -> None:
    """POST /catalog/search (registered before the site's catch-all GET route)."""
    web_app.router.add_post(PATH, search.handle)
