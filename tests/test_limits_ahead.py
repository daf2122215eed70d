"""A LimitedPool that sends each worker its next task ahead (``ahead=True``, ingest's): the time
limit, a dead worker and shutting down still hold, and a task sent ahead to a worker that is
stopped before it begins it is run by the next worker, not lost nor failed."""

from __future__ import annotations

import operator
import os
import time

import pytest

from nianbao import limits
from nianbao.errors import NianbaoError, TimeLimitExceeded


def test_results_come_back_for_every_task_in_order_of_submission():
    with limits.LimitedPool(2, ahead=True) as pool:
        futures = [pool.submit(operator.mul, k, k) for k in range(40)]
        assert [f.result(timeout=60) for f in futures] == [k * k for k in range(40)]


def test_the_task_sent_behind_a_hung_one_is_run_by_the_next_worker():
    with limits.LimitedPool(1, limits.Limits(seconds=0.5), grace=0.5, ahead=True) as pool:
        hung = pool.submit(time.sleep, 60)  # a C call no signal interrupts
        after = pool.submit(operator.add, 2, 3)  # sent ahead to the hung worker
        later = pool.submit(operator.add, 4, 5)
        start = time.perf_counter()
        with pytest.raises(TimeLimitExceeded):
            hung.result(timeout=30)
        assert time.perf_counter() - start < 10
        assert after.result(timeout=30) == 5
        assert later.result(timeout=30) == 9


def test_the_task_sent_behind_one_that_kills_its_worker_is_run_by_the_next():
    with limits.LimitedPool(1, ahead=True) as pool:
        died = pool.submit(os._exit, 3)
        after = pool.submit(operator.mul, 6, 7)
        with pytest.raises(NianbaoError) as e:
            died.result(timeout=60)
        assert "读取进程异常退出" in e.value.message
        assert after.result(timeout=60) == 42


def test_the_time_limit_counts_from_when_a_task_sent_ahead_begins():
    # each task takes 0.6 s of a 1 s limit (+0.5 s grace): the second, sent ahead while the first
    # runs, must not be charged the first one's time
    with limits.LimitedPool(1, limits.Limits(seconds=1), grace=0.5, ahead=True) as pool:
        futures = [pool.submit(time.sleep, 0.6) for _ in range(3)]
        assert [f.result(timeout=30) for f in futures] == [None, None, None]


def test_a_large_task_is_not_sent_ahead_and_still_runs():
    big = b"x" * (limits.AHEAD_BYTES * 4)  # would not fit the pipe unread: sent when the worker is free
    with limits.LimitedPool(1, ahead=True) as pool:
        first = pool.submit(time.sleep, 0.3)
        second = pool.submit(len, big)
        assert first.result(timeout=30) is None
        assert second.result(timeout=30) == len(big)


def test_shutting_down_does_not_begin_a_task_sent_ahead():
    pool = limits.LimitedPool(1, limits.Limits(seconds=120), ahead=True)
    hung = pool.submit(time.sleep, 100)
    behind = pool.submit(operator.add, 1, 1)
    time.sleep(1)  # the worker has the first, the second is in its pipe
    start = time.perf_counter()
    pool.shutdown(wait=True, cancel_futures=True)  # what ingest does on Ctrl-C
    assert time.perf_counter() - start < 10
    for fut in (hung, behind):
        with pytest.raises(NianbaoError):
            fut.result(timeout=1)
