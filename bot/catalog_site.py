"""Build the browsable catalog: the loaded entries, feedback counts when a database is given.

`kubemedic catalog site DIR` writes the files; `serve` keeps them in memory
and answers GET /catalog/... from there (KUBEMEDIC_CATALOG_SITE), its index
page asking POST /catalog/search (bot/catalog_search.py) to rank: read only,
no file on disk is ever opened for a request, so no path can escape, and a
Content-Security-Policy of 'self' lets only the site's own script and style
run. The pages are rebuilt at most every REFRESH_SECONDS, so the feedback
precision they show stays current.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from aiohttp import web

from bot.errors import BadInput, ServiceUnavailable
from bot.settings import Settings
from bot.storage.base import Store, StoreError
from bot.storage.records import FeedbackStat
from bot.storage.sql import SqlStore
from intents.loaded import LoadedCatalog
from intents.loader import load_catalog
from responses.catalog_site import Feedback, render_site

log = logging.getLogger(__name__)
REFRESH_SECONDS = 300.0
PREFIX = "/catalog"
SEARCH_URL = "search"
"""The search route relative to the index page (POST /catalog/search)."""
TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript"}
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def feedback_of(stats: list[FeedbackStat]) -> dict[str, Feedback]:
    return {stat.catalog_id: Feedback(stat.shown, stat.helpful, stat.not_this) for stat in stats}


async def read_feedback(url: str) -> dict[str, Feedback]:
    """Feedback per catalog id from the bot's database (ServiceUnavailable when unreadable)."""
    try:
        store = SqlStore(url)
    except ValueError as exc:
        raise BadInput(f"--database: {exc}") from None
    try:
        await store.start()
        return feedback_of(await store.feedback_stats())
    except StoreError as exc:
        raise ServiceUnavailable(f"cannot read feedback from the database: {exc}") from exc
    finally:
        await store.close()


def site_files(
    catalog: LoadedCatalog,
    feedback: dict[str, Feedback] | None = None,
    *,
    search_url: str | None = None,
) -> dict[str, bytes]:
    """The site's files; `search_url`: where the index page asks the bot to rank (None: the page ranks alone)."""
    return render_site(list(catalog.entries.values()), feedback, search_url=search_url)


def write_site(files: dict[str, bytes], directory: Path) -> None:
    """Write the site into `directory` (created if needed); other files there are left alone."""
    if directory.exists() and not directory.is_dir():
        raise BadInput(f"{directory} is a file; give a directory for the site")
    try:
        for name, content in files.items():
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    except OSError as exc:
        raise BadInput(f"cannot write the site into {directory}: {exc.strerror or exc}") from None


def public_catalog_url(settings: Settings) -> str | None:
    """Where people open the catalog: KUBEMEDIC_PUBLIC_URL + /catalog/, when both are set up."""
    if not settings.public_url or not settings.catalog_site:
        return None
    base = settings.public_url.strip().rstrip("/").removesuffix("/slack/events")
    return f"{base}{PREFIX}/" if base.startswith(("https://", "http://")) else None


class CatalogPages:
    """The site in memory: the configured catalog and the store's feedback, rebuilt when stale."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._settings = settings
        self._store = store
        self._files: dict[str, bytes] = {}
        self._built = -REFRESH_SECONDS
        self._lock = asyncio.Lock()

    async def files(self) -> dict[str, bytes]:
        async with self._lock:
            if time.monotonic() - self._built >= REFRESH_SECONDS:
                feedback = await self._feedback()
                dirs, off = self._settings.catalog_dirs, self._settings.catalog_packs_off
                self._files = await asyncio.to_thread(
                    lambda: site_files(
                        load_catalog(dirs, packs_off=off), feedback, search_url=SEARCH_URL
                    )
                )
                self._built = time.monotonic()
            return self._files

    async def _feedback(self) -> dict[str, Feedback] | None:
        try:
            return feedback_of(await self._store.feedback_stats())
        except StoreError as exc:
            log.warning("catalog pages without feedback counts: %s", exc)
            return None


def add_catalog_routes(web_app: web.Application, pages: CatalogPages) -> None:
    """GET (and HEAD) /catalog/ and every file of the site below it; anything else is 404."""

    async def to_index(_: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{PREFIX}/")

    async def page(request: web.Request) -> web.Response:
        name = request.match_info["name"] or "index.html"
        content = (await pages.files()).get(name)
        if content is None:
            return web.Response(status=404, text="not found\n", headers=HEADERS)
        kind = TYPES.get(Path(name).suffix, "application/octet-stream")
        return web.Response(body=content, content_type=kind, charset="utf-8", headers=HEADERS)

    web_app.router.add_get(PREFIX, to_index)
    web_app.router.add_get(PREFIX + "/{name:.*}", page)
