"""docs/packs.md is what `python -m bench.packs_doc` prints from the built-in packs (one section per
pack: what it covers, its component versions, its entries, the log lines and custom resource
status it reads)."""

from __future__ import annotations

from bench.packs_doc import PAGE, render
from intents.packs import builtin_packs


def test_the_packs_page_is_generated_from_the_packs() -> None:
    assert PAGE.read_text() == render(), (
        "regenerate docs/packs.md with: python -m bench.packs_doc --write"
    )


def test_every_pack_has_its_section_and_every_entry_its_row() -> None:
    page = PAGE.read_text()
    for pack in builtin_packs():
        assert f"\n## {pack.name}\n" in page, pack.name
        for entry_id in pack.entry_ids():
            assert f"| `{entry_id}` |" in page, entry_id
