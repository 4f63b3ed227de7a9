"""The per-document stage on a Dask cluster (`extract --scheduler tcp://HOST:8786`).

The client sends each document as bytes with its manifest record, so workers need no shared
file system; a worker plugin builds the language stages once per worker process (the model must
be installed there, with the same pinned requirements). Results come back as they finish
(`as_completed`) with a bounded number of documents in flight, so the client's memory stays flat
however large the corpus. The cross-document stage and the only SQLite writer stay on the client.
A task whose worker dies is run again elsewhere by the scheduler; results are keyed by document,
so none is lost or counted twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from itertools import islice

from pipeline.errors import ClaimtraceError, DocumentError

PLUGIN = "claimtrace-stage"
_LOCK = threading.Lock()  # a worker with several threads runs one document at a time per process


class ClusterError(ClaimtraceError):
    pass


def _plugin_class():
    from distributed.diagnostics.plugin import WorkerPlugin

    class StagePlugin(WorkerPlugin):
        """Loads the knowledge and spaCy into each worker process once."""

        name = PLUGIN

        def __init__(self, settings, with_language: bool, knowledge) -> None:
            self.settings, self.with_language, self.knowledge = settings, with_language, knowledge

        def setup(self, worker) -> None:
            from pipeline import stage

            stage.start(self.settings, self.with_language, self.knowledge)

    return StagePlugin


def work(item):
    """A task on a worker: the per-document stage over bytes the client sent."""
    from pipeline import stage

    with _LOCK:
        return stage.current().run(item)  # RuntimeError when the worker plugin did not run here


def run(address: str, settings, with_language: bool, knowledge, items: Iterable[tuple],
        done: Callable[[tuple, object], None], in_flight: int | None = None, client=None) -> int:
    """Run the per-document stage of `items` on the cluster at `address`; call `done(item, outcome)`
    on the client as each finishes. Returns the number of workers used."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ClusterError("--scheduler needs the Dask extra: `pip install claimtrace[dask]` "
                           "(or `make dask`)") from None
    own = client is None
    if own:
        try:
            client = Client(address, timeout="20s")
        except OSError as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); start it with "
                               "`dask scheduler` and workers with `dask worker ADDRESS --nthreads 1`") from None
    try:
        client.register_plugin(_plugin_class()(settings, with_language, knowledge), name=PLUGIN)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = in_flight or 4 * workers
        queue = iter(items)
        pending = {}
        finished = as_completed()

        def submit(item) -> None:
            future = client.submit(work, item, pure=False, retries=3, key=f"claimtrace-{item[0].id}-{id(item)}")
            pending[future.key] = item
            finished.add(future)

        for item in islice(queue, window):
            submit(item)
        for future in finished:
            item = pending.pop(future.key)
            try:
                outcome = future.result()
            except Exception as exc:  # the document failed on every worker it was tried on
                outcome = DocumentError(item[0].id, f"failed on the cluster ({type(exc).__name__}: {exc})")
            future.release()
            done(item, outcome)
            following = next(queue, None)
            if following is not None:
                submit(following)
        return workers
    finally:
        if own:
            client.close()
