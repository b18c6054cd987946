"""The profile summary counts a function once per stack it is in, and can keep one thread's stacks."""

from __future__ import annotations

from bench.folded_summary import inclusive

FOLDED = [
    "thread (1): MainThread;run (a/loop.py:3);ack (bot/server.py:9);ack (bot/server.py:9) 6",
    "thread (1): MainThread;run (a/loop.py:3);answer (bot/work.py:4) 3",
    "thread (2): writer;write (bot/sql.py:7) 1",
]


def test_shares_are_inclusive_and_counted_once_per_stack() -> None:
    total, shares = inclusive(FOLDED)
    assert total == 10
    assert shares["run (loop.py)"] == 9 and shares["ack (server.py)"] == 6  # recursion counted once


def test_one_thread() -> None:
    total, shares = inclusive(FOLDED, "writer")
    assert total == 1 and set(shares) == {"thread (2): writer", "write (sql.py)"}
