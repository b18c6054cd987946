"""Recorded kubectl outputs read as a cluster (`--from-outputs PATH`); see reader.py.

`OutputsReader` is imported on first use: a paste reads this package's table and event
modules without the reader (and the YAML and asyncio it brings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.cluster.outputs.reader import OutputsReader

__all__ = ["OutputsReader"]


def __getattr__(name: str) -> object:
    if name == "OutputsReader":
        from bot.cluster.outputs.reader import OutputsReader

        return OutputsReader
    raise AttributeError(name)
