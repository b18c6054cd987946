"""`kubemedic preview` pages in a real headless chromium: they load clean, show the answer, run nothing.

The run also draws the README's picture of an answer from the example dump's OOMKilled
pod; with KUBEMEDIC_WRITE_PICTURE=1 it writes it to docs/img/answer.png (commit it then),
otherwise to a temporary file: a test run never rewrites tracked files unasked.
"""

from __future__ import annotations

import base64
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from tests.browser.cdp import Chromium, Page
from tests.cli.runner import kubemedic
from tests.cli.test_preview_cli import CHECKOUT, HOSTILE, OOM_PASTE

ROOT = Path(__file__).resolve().parents[2]
PICTURE = ROOT / "docs" / "img" / "answer.png"
WIDTH = 820

SHOWN = """(() => {
  const visible = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const all = q => Array.from(document.querySelectorAll(q));
  return {
    header: all('.header').filter(visible).map(e => e.textContent),
    sections: all('.section').filter(visible).length,
    context: all('.context').filter(visible).map(e => e.textContent),
    buttons: all('button').filter(visible).map(e => [e.dataset.actionId, e.textContent, e.className]),
    links: all('a').map(a => a.getAttribute('href')),
    scripts: document.scripts.length,
    handlers: all('*').filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
    pwned: window.pwned === undefined ? null : window.pwned,
  };
})()"""


@asynccontextmanager
async def page_of(chromium: Chromium) -> AsyncIterator[Page]:
    async with aiohttp.ClientSession() as session:
        page = await chromium.page(session)
        try:
            await page.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            )
            yield page
        finally:
            await page.ws.close()


def _preview(tmp_path: Path, name: str, *args: str, stdin: bytes | None = None) -> Path:
    output = tmp_path / name
    result = kubemedic("preview", *args, "--output", str(output), stdin=stdin, cwd=ROOT)
    assert result.code == 0, result.stderr
    return output


async def _shown(page: Page, page_file: Path) -> dict[str, Any]:
    await page.goto(page_file.as_uri())
    shown: dict[str, Any] = await page.evaluate(SHOWN)
    assert page.errors == []
    return shown


async def _screenshot(page: Page, path: Path) -> None:
    box = await page.evaluate(
        "(() => { const r = document.querySelector('.pane').getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; })()"
    )
    margin = 12
    clip = {
        "x": max(box["x"] - margin, 0),
        "y": max(box["y"] - margin, 0),
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
        "scale": 1,
    }
    shot = await page.send(
        "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}
    )
    png = base64.b64decode(shot["data"])
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != png:
        path.write_bytes(png)


async def test_a_dump_answer_shows_its_sections_and_buttons_and_is_the_readme_picture(
    tmp_path: Path, chromium: Chromium
) -> None:
    page_file = _preview(tmp_path, "pod.html", "--from-dump", "examples/dump", "--pod", CHECKOUT)
    async with page_of(chromium) as page:
        shown = await _shown(page, page_file)
        assert shown["header"] == ["🔴 Container killed for exceeding its memory limit (OOMKilled)"]
        assert shown["sections"] >= 2  # confirmed by, the fix; the rest behind Details
        assert (
            "oom-killed" in shown["context"][0] and "cluster examples/dump" in shown["context"][0]
        )
        actions = [action for action, _, _ in shown["buttons"]]
        # a restart does not fix a memory limit: no red button, the fix names the limit instead
        assert actions == ["show_details", "feedback_helpful", "feedback_not_this"]
        assert not any("danger" in classes for _, _, classes in shown["buttons"])
        text = await page.evaluate("document.body.innerText")
        assert "memory limit" in text and "Observed: container checkout; limit 256Mi" in text
        assert "Could not read" not in text and "gateway-not-programmed" not in text
        assert all(link.startswith("https://") for link in shown["links"])
        picture = PICTURE if os.environ.get("KUBEMEDIC_WRITE_PICTURE") else tmp_path / "answer.png"
        await _screenshot(page, picture)
    assert picture.read_bytes().startswith(b"\x89PNG")


async def test_a_paste_answer_is_a_thread_reply_under_the_paste(
    tmp_path: Path, chromium: Chromium
) -> None:
    page_file = _preview(tmp_path, "paste.html", str(OOM_PASTE))
    async with page_of(chromium) as page:
        shown = await _shown(page, page_file)
        assert await page.evaluate("document.querySelector('.bar').textContent") == "Thread#preview"
        assert await page.evaluate("document.querySelectorAll('.message').length") == 2
        assert [label for _, label, _ in shown["buttons"]] == ["Details", "Helpful", "Not this"]


async def test_a_hostile_paste_runs_nothing(tmp_path: Path, chromium: Chromium) -> None:
    page_file = _preview(tmp_path, "hostile.html", "-", stdin=HOSTILE.encode())
    async with page_of(chromium) as page:
        shown = await _shown(page, page_file)
        assert (shown["scripts"], shown["handlers"], shown["pwned"]) == (0, 0, None)
        assert not any(link.startswith(("javascript", "https://evil")) for link in shown["links"])
        text = await page.evaluate("document.body.innerText")
        assert "<script>window.pwned = 1</script>" in text  # shown as the text it is
