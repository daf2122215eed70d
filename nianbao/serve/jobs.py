"""Upload batches run in a background thread so the page can show progress (n of N files read)
while a large zip is parsed and checked. Jobs live in memory for the life of the process.

Every file is parsed in a worker process under the reading limits (:class:`nianbao.limits.LimitedPool`,
shared by all uploads): a hostile file costs a worker, at most for the time limit, never the server."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

from ..limits import LimitedPool
from .. import pipeline
from ..pipeline import ingest_inputs
from ..store.ingest import IngestResult
from ..store.inputs import Input

def check_pair(earlier, later):
    """The checker's cross-year rules, looked up at each call (the store is handed them by the views
    that move or delete reports)."""
    return pipeline.check_pair(earlier, later)


KEEP_SECONDS = 3600  # finished jobs are forgotten after an hour


@dataclass
class Job:
    id: str
    total: int
    results: list[IngestResult] = field(default_factory=list)
    finished: bool = False
    error: Optional[str] = None
    started: float = field(default_factory=time.time)

    @property
    def done(self) -> int:
        return len(self.results)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


_jobs: dict[str, Job] = {}
_lock = threading.Lock()


WORKERS = 2  # parsing processes for all uploads together
_pool: LimitedPool | None = None


def pool() -> LimitedPool:
    """The worker processes that parse uploads (started on first use)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = LimitedPool(WORKERS)
        return _pool


async def off_loop(fn, *args):
    """``fn(*args)`` in a worker of :func:`pool` (under the reading limits: a task past its time is
    stopped), awaited without blocking the server's event loop. ``fn`` and its arguments are sent
    to the worker process: a module-level function, picklable values."""
    import asyncio

    return await asyncio.wrap_future(pool().submit(fn, *args))


def _ingest(store, inputs: list[Input]):
    return ingest_inputs(store, inputs, engine=pool())


def run(store, inputs: list[Input]) -> list[IngestResult]:
    """Ingest now, waiting for the result (requests without JavaScript)."""
    return list(_ingest(store, inputs)) if inputs else []


def start(store, inputs: list[Input]) -> Job:
    """Start ingesting in a background thread; poll :func:`get` for progress."""
    job = Job(secrets.token_urlsafe(12), len(inputs))
    with _lock:
        _forget_old()
        _jobs[job.id] = job

    def work() -> None:
        try:
            for result in _ingest(store, inputs):
                job.results.append(result)
        except Exception as e:  # the batch must end with a message, never hang the page
            job.error = f"处理中断：{type(e).__name__}: {e}"
        finally:
            job.finished = True

    threading.Thread(target=work, name=f"upload-{job.id}", daemon=True).start()
    return job


def get(job_id: str) -> Optional[Job]:
    with _lock:
        return _jobs.get(job_id)


def _forget_old() -> None:
    now = time.time()
    for key in [k for k, j in _jobs.items() if j.finished and now - j.started > KEEP_SECONDS]:
        del _jobs[key]
