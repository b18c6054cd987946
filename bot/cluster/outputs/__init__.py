"""Recorded kubectl outputs read as a cluster (`--from-outputs PATH`); see reader.py."""

from bot.cluster.errors import NotRecorded
from bot.cluster.outputs.reader import OutputsReader

__all__ = ["NotRecorded", "OutputsReader"]
