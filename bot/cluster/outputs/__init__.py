"""Recorded kubectl outputs read as a cluster (`--from-outputs PATH`); see reader.py."""

from bot.cluster.outputs.reader import NotRecorded, OutputsReader

__all__ = ["NotRecorded", "OutputsReader"]
