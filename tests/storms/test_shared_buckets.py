"""Budgets in memory that forked worker processes share (bot/runtime/shared_buckets.py)."""

from __future__ import annotations

import os

from bot.answering.ratelimit import TokenBuckets
from bot.runtime.shared_buckets import SharedBuckets


class Stepped:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_shared_bucket_refills_and_says_when_as_a_private_one_does() -> None:
    clock = Stepped()
    buckets = TokenBuckets(6, clock=clock, shared=SharedBuckets(slots=64), name="user")
    assert [buckets.allow("U1") for _ in range(7)] == [True] * 6 + [False]
    assert buckets.retry_after("U1") == 10
    clock.now += 10
    assert buckets.allow("U1") and not buckets.allow("U1")
    assert buckets.allow("U2")


def test_spending_in_a_forked_process_counts_in_the_parent() -> None:
    shared = SharedBuckets(slots=64)
    buckets = TokenBuckets(5, shared=shared, name="user")
    pid = os.fork()
    if pid == 0:  # the worker: spends four of the five tokens
        spent = all(buckets.allow("U0FLOOD") for _ in range(4))
        os._exit(0 if spent else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert [buckets.allow("U0FLOOD") for _ in range(2)] == [True, False]


def test_a_full_table_gives_the_oldest_slot_to_a_new_key() -> None:
    clock = Stepped()
    buckets = TokenBuckets(1, clock=clock, shared=SharedBuckets(slots=8), name="user")
    for n in range(100):  # many more users than slots: each still gets its one token
        assert buckets.allow(f"U{n}")
        clock.now += 0.01
    assert not buckets.allow("U99")  # the latest are kept
