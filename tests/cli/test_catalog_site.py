"""`kubemedic catalog site DIR`: the files it writes, feedback precision from a database, escaping.

The pages in a real browser: tests/browser/test_catalog_site.py.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from bot.storage.records import DiagnosisRecord
from bot.storage.sql import SqlStore
from tests.cli.runner import kubemedic_in_process


def _feedback_database(path: Path) -> str:
    url = f"sqlite+aiosqlite:///{path}"

    async def fill() -> None:
        store = SqlStore(url)
        await store.start()
        for number, verdict in enumerate(("helpful", "helpful", "helpful", "not_this")):
            saved = await store.save_diagnosis(
                DiagnosisRecord(subject="paste", catalog_ids=["oom-killed"])
            )
            await store.add_feedback(
                diagnosis_id=saved,
                catalog_id="oom-killed",
                user=f"U0PERSON{number:03d}",
                verdict=verdict,
            )
        await store.close()

    asyncio.run(fill())
    return url


def test_the_site_has_an_index_a_page_per_entry_and_its_assets(tmp_path: Path) -> None:
    result = kubemedic_in_process("catalog", "site", str(tmp_path / "site"))
    assert result.code == 0, result.stderr
    files = sorted(
        p.relative_to(tmp_path / "site").as_posix()
        for p in (tmp_path / "site").rglob("*")
        if p.is_file()
    )
    pages = [name for name in files if name.startswith("entries/") and name.count("/") == 1]
    assert "entries/crashloop-backoff/tidb.html" in files  # its TiDB steps, on a page of their own
    assert {"index.html", "search.js", "style.css"} <= set(files) and len(pages) > 90
    index = (tmp_path / "site" / "index.html").read_text()
    assert index.count('<li data-id="') == len(pages) and 'href="entries/oom-killed.html"' in index
    assets = re.findall(r'(?:src|href)="([^"]*)"', index)
    assert [a for a in assets if a.startswith(("http:", "https:", "//"))] == [], (
        "no external assets"
    )
    oom = (tmp_path / "site" / "entries" / "oom-killed.html").read_text()
    for part in (
        "<h2>Symptoms</h2>",
        "<h2>Root cause</h2>",
        "<h2>Fix</h2>",
        "<h2>Links</h2>",
        "<h2>Evidence the bot looks for in the cluster</h2>",
        "a container last terminated with reason OOMKilled",
        "<code>rollout-restart</code>",
        "<pre>kubectl top pod &lt;pod&gt; -n &lt;namespace&gt; --containers</pre>",
        '<a href="../index.html">',
    ):
        assert part in oom, part
    assert "Feedback" not in oom  # no database given


def test_with_a_database_each_page_shows_its_feedback_precision(tmp_path: Path) -> None:
    url = _feedback_database(tmp_path / "bot.db")
    result = kubemedic_in_process("catalog", "site", str(tmp_path / "site"), "--database", url)
    assert result.code == 0, result.stderr
    oom = (tmp_path / "site" / "entries" / "oom-killed.html").read_text()
    assert "<p>Shown 4 times; 3 helpful, 1 not this; precision 75%.</p>" in oom
    other = (tmp_path / "site" / "entries" / "image-not-found.html").read_text()
    assert "Shown 0 times; 0 helpful, 0 not this; precision no votes yet." in other


def test_user_entries_are_escaped_and_their_ids_become_pages(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "team-quirk.yaml").write_text(
        "id: team-quirk\ntitle: 'Our <script>alert(1)</script> quirk'\nsummary: s\n"
        "symptoms: ['quirk </script><b>x</b>']\nroot_cause: r\nfix: [{text: t}]\n"
        "links: [{url: 'https://example.com/a?b=1&c=2', title: 'see \"this\"'}]\nsources: [team]\n"
    )
    result = kubemedic_in_process(
        "catalog", "site", str(tmp_path / "site"), env={"KUBEMEDIC_CATALOG_DIRS": str(extra)}
    )
    assert result.code == 0, result.stderr
    page = (tmp_path / "site" / "entries" / "team-quirk.html").read_text()
    assert "<script>alert" not in page and "Our &lt;script&gt;alert(1)&lt;/script&gt; quirk" in page
    assert 'href="https://example.com/a?b=1&amp;c=2"' in page and "see &quot;this&quot;" in page
    index = (tmp_path / "site" / "index.html").read_text()
    assert "</script><b>" not in index and index.count("<script") == 2


def test_a_file_in_the_way_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    result = kubemedic_in_process("catalog", "site", str(tmp_path / "taken"))
    assert (
        result.code == 2
        and result.stderr
        == f"kubemedic: {tmp_path / 'taken'} is a file; give a directory for the site\n"
    )
