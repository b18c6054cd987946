"""How often the catalog site's search names the entry `kubemedic match` names first (a script, not a test).

The labelled positive pastes of tests/corpus/cases and of the development half
of tests/corpus/real are pasted into the site in headless chromium (Debian's
package) in two ways: the static copy (`kubemedic catalog site DIR`, opened
from disk: the page's own ranking) and the page the bot serves at /catalog/
(the bot's matcher through POST /catalog/search). Each first result is
compared with `kubemedic match`'s first entry for the same text (the redacted
paste through `diagnose_paste`), and with the label.

Run from the project root:  .venv/bin/python -m bench.site_agreement [--served-sample N]
(the served side is slower: a request per paste; N spreads a sample over the corpus, 0 = all).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.diagnosis.paste import diagnose_paste
from responses.redaction import redact_paste
from tests.browser.cdp import Chromium, Page, chromium_binary
from tests.cli.runner import kubemedic
from tests.corpus_cases import positive_cases, read_case
from tests.real_corpus import load
from tests.slack.harness import running_bot, shared_matcher

Case = tuple[str, str, tuple[str, ...]]
"""(corpus part, text, labelled ids)."""


def corpus() -> list[Case]:
    cases: list[Case] = [
        ("cases", read_case(path), (expected,)) for path, expected in positive_cases()
    ]
    cases += [
        ("real dev", case.text(), case.expected) for case in load("dev") if case.klass == "positive"
    ]
    return cases


def match_top(text: str) -> str | None:
    findings = diagnose_paste(shared_matcher(), redact_paste(text)).findings
    return findings[0].match.id if findings else None


async def tops(page: Page, texts: list[str], function: str) -> list[str | None]:
    found: list[str | None] = []
    for text in texts:
        shown = await page.evaluate(f"window.{function}({json.dumps(text)})")
        found.append(shown[0] if shown else None)
    return found


def report(
    name: str,
    cases: list[Case],
    found: list[str | None],
    expected: list[str | None],
    seconds: float,
) -> None:
    print(f"\n{name} ({seconds:.0f} s)")
    for part in ("cases", "real dev", "all"):
        picked = [n for n, case in enumerate(cases) if part in ("all", case[0])]
        agree = sum(found[n] == expected[n] for n in picked)
        labelled = sum(found[n] in cases[n][2] for n in picked)
        print(
            f"  {part:9} {len(picked):5} pastes: = kubemedic match's first {agree:5} ({agree / len(picked):.3f}); "
            f"= a label {labelled:5} ({labelled / len(picked):.3f})"
        )


async def main(served_sample: int) -> None:
    binary = chromium_binary()
    if binary is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    cases = corpus()
    started = time.monotonic()
    expected = [match_top(text) for _, text, _ in cases]
    print(
        f"kubemedic match on {len(cases)} labelled positive pastes: {time.monotonic() - started:.0f} s"
    )
    browser = Chromium(binary).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            assert kubemedic("catalog", "site", str(site)).code == 0
            async with aiohttp.ClientSession() as session:
                page = await browser.page(session)
                await page.goto((site / "index.html").as_uri())
                started = time.monotonic()
                found = await tops(page, [text for _, text, _ in cases], "kubemedicSearch")
                report(
                    "static copy (ranked in the page)",
                    cases,
                    found,
                    expected,
                    time.monotonic() - started,
                )
                step = max(1, len(cases) // served_sample) if served_sample else 1
                sample = cases[::step]
                async with running_bot(
                    Path(tmp), KUBEMEDIC_CATALOG_SEARCHES_PER_MINUTE="100000"
                ) as bot:
                    await page.goto(f"{bot.url}/catalog/")
                    started = time.monotonic()
                    found = await tops(page, [text for _, text, _ in sample], "kubemedicRank")
                report(
                    "served by the bot (ranked by its matcher)",
                    sample,
                    found,
                    expected[::step],
                    time.monotonic() - started,
                )
                await page.ws.close()
    finally:
        browser.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--served-sample", type=int, default=0, help="pastes for the served side (0: all)"
    )
    asyncio.run(main(parser.parse_args().served_sample))
