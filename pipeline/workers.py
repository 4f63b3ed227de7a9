"""Items through worker processes, where a worker that dies (the kernel's OOM killer, a crash in a
native library, kill -9) costs only the item it was working on.

A few items at a time are in flight (twice the workers), so when a worker dies only those are in
doubt: the run goes on in a fresh pool with the rest, and each item in doubt is tried once more
alone in a fresh worker. An item whose worker dies again is that item's failure (`died(item)`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool


def run_pool(items: Iterable, work: Callable, processes: int, initializer: Callable, initargs: tuple,
             finished: Callable, died: Callable) -> int:
    """Call finished(item, work(item)) for every item, in the order they finish; returns how many
    workers died."""
    pending, in_doubt, deaths = deque(items), [], 0
    while pending:
        with ProcessPoolExecutor(processes, initializer=initializer, initargs=initargs) as pool:
            broken = _drain(pool, pending, work, processes * 2, finished, in_doubt)
        deaths += broken
    for item in in_doubt:  # each alone, in a fresh worker: it either finishes or was the cause
        with ProcessPoolExecutor(1, initializer=initializer, initargs=initargs) as pool:
            try:
                outcome = pool.submit(work, item).result()
            except BrokenProcessPool:
                deaths += 1
                outcome = died(item)
        finished(item, outcome)
    return deaths


def _drain(pool: ProcessPoolExecutor, pending: deque, work: Callable, window: int, finished: Callable,
           in_doubt: list) -> int:
    """Feed `pending` to the pool, `window` in flight at a time, until it is empty (0) or a worker
    dies (1): then what was in flight goes to `in_doubt` and the rest stays pending."""
    flying: dict = {}
    while pending or flying:
        while pending and len(flying) < window:
            item = pending.popleft()
            try:
                flying[pool.submit(work, item)] = item
            except BrokenProcessPool:
                pending.appendleft(item)
                in_doubt.extend(flying.values())
                return 1
        done, _ = wait(flying, return_when=FIRST_COMPLETED)
        for future in done:
            item = flying.pop(future)
            try:
                outcome = future.result()
            except BrokenProcessPool:
                in_doubt.extend([item, *flying.values()])
                return 1
            finished(item, outcome)
    return 0
