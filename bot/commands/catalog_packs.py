"""`kubemedic catalog packs`: one line per catalog pack, with what it was written against.

A pack (intents.packs) is a component's entries, log lines and cases kept together; this lists
the built-in packs and those of KUBEMEDIC_CATALOG_DIRS, each with the component versions its
manifest declares, how many entries and cases it holds, and whether it is switched off
(KUBEMEDIC_CATALOG_PACKS_OFF).
"""

from __future__ import annotations

import json
from typing import Any

from bot.commands.io import CommandIO
from intents.loaded import LoadedCatalog, LoadedPack


def pack_row(name: str, pack: LoadedPack) -> dict[str, Any]:
    """A pack as `--json` gives it."""
    manifest = pack.manifest
    return {
        "name": name,
        "title": manifest.title if manifest else "",
        "versions": {c.name: c.versions for c in manifest.components} if manifest else {},
        "entries": len(pack.entry_ids) if pack.off else len(pack.valid),
        "rejected": list(pack.rejected),
        "cases": pack.cases,
        "on": not pack.off,
        "builtin": pack.folder.builtin,
        "folder": str(pack.folder.folder),
    }


def pack_line(name: str, pack: LoadedPack, width: int) -> str:
    """`istio  istio 1.18-1.24, envoy 1.26-1.32  12 entries  31 cases` (and where it is off);
    only valid entries count, the rejected ones are named after the count."""
    versions = pack.manifest.versions() if pack.manifest else "(manifest unreadable)"
    entries = len(pack.entry_ids) if pack.off else len(pack.valid)
    line = f"{name:<{width}}  {versions}  {entries} entries  {pack.cases} cases"
    if pack.rejected:
        line += f"  ({len(pack.rejected)} rejected: {', '.join(pack.rejected)}; see catalog check)"
    origin = "" if pack.folder.builtin else f"  from {pack.folder.folder}"
    return line + origin + ("  off (KUBEMEDIC_CATALOG_PACKS_OFF)" if pack.off else "")


def print_packs(catalog: LoadedCatalog, io: CommandIO, *, as_json: bool) -> None:
    if as_json:
        rows = [pack_row(name, pack) for name, pack in catalog.packs.items()]
        json.dump(rows, io.stdout, indent=2, ensure_ascii=False)
        io.stdout.write("\n")
        return
    width = max((len(name) for name in catalog.packs), default=4)
    for name, pack in catalog.packs.items():
        print(pack_line(name, pack, width), file=io.stdout)
