"""The per-document stage: a document's bytes -> its DocumentResult (parse, sections, spaCy,
linking, dates, claims). One `DocumentStage` per process, used alike by a single-process run, the
worker processes (`extract --processes N`) and the Dask workers (cluster.py).

Documents go through it in small batches: each is parsed under its own time budget, then the
English paragraphs of the whole batch go through spaCy in one stream (spaCy is a quarter faster
on batches of many short documents than one document at a time), then each document's linking,
dates and claims run under its own budget again. If the shared stream fails or runs over the
batch's total budget, each document is taken alone, so one bad document still fails alone.
"""

from __future__ import annotations

import os
import sys

from pipeline.cache import knowledge_version
from pipeline.config import Settings
from pipeline.errors import DocumentError
from pipeline.ingest.documents import process, with_nlp
from pipeline.ingest.sections import SectionTagger
from pipeline.knowledge import load_knowledge
from pipeline.limits import time_budget
from pipeline.records import DocumentResult

#: a batch: at most this many documents (fewer when there are few per worker)
BATCH = 16
_MODELS: dict[tuple[str, str], object] = {}


def models(model: str, knowledge, version: str):
    """The parsers (annotate.Models), built once per process for a model and a version of the
    knowledge; each document stage makes its own rule objects around them."""
    from pipeline.language.annotate import Models  # loads spaCy only in processes that need it

    key = (model, version)
    if key not in _MODELS:
        _MODELS.clear()  # one at a time: a changed gazetteer replaces the old pipeline
        _MODELS[key] = Models(model, knowledge)
    return _MODELS[key]


class DocumentStage:
    def __init__(self, settings: Settings, with_language: bool, knowledge=None):
        self.knowledge = knowledge or load_knowledge(settings.annotations)
        self.limits = settings.limits
        self.sections = SectionTagger(self.knowledge)
        self.annotate = None
        if with_language:
            from pipeline.language.annotate import Annotator

            version = knowledge_version(settings.annotations)
            self.annotate = Annotator(models(settings.model, self.knowledge, version))

    def run(self, item) -> DocumentResult | DocumentError:
        """One document: (spec, raw bytes, path, declared charset) as the parent read them."""
        return self.run_batch([item])[0]

    def run_batch(self, items: list[tuple]) -> list[DocumentResult | DocumentError]:
        parsed = [self._guarded(item[0], self._parse, item) for item in items]
        if self.annotate is None:
            return parsed
        docs = self._spacy_together([r for r in parsed if isinstance(r, DocumentResult)])
        return [self._guarded(r.spec, self._annotate, r, docs.get(r.spec.id)) if isinstance(r, DocumentResult) else r
                for r in parsed]

    def _parse(self, item) -> DocumentResult:
        spec, raw, path, declared = item
        return process(spec, self.knowledge, self.sections, raw, path, declared, self.limits)

    def _annotate(self, result: DocumentResult, docs) -> DocumentResult:
        return with_nlp(result, self.annotate, docs)

    def _spacy_together(self, results: list[DocumentResult]) -> dict[str, list]:
        """doc id -> its paragraphs' spaCy Docs, from one stream over the batch; {} when the stream
        fails or runs over the batch's budget (each document is then parsed alone)."""
        if len(results) < 2:
            return {}
        try:
            with time_budget("batch", self.limits.time_budget * len(results)):
                return self.annotate.parse_many(results)
        except Exception:  # noqa: BLE001 - any fault here is found again, and named, document by document
            return {}

    def _guarded(self, spec, step, *args) -> DocumentResult | DocumentError:
        """One document's step under its time budget; any fault is that document's failure."""
        try:
            with time_budget(spec.id, self.limits.time_budget):
                return step(*args)
        except DocumentError as exc:
            return exc
        except Exception as exc:  # one bad document never stops the others
            if os.environ.get("CLAIMTRACE_DEBUG"):
                import traceback

                traceback.print_exc()
            return DocumentError(spec.id, f"failed unexpectedly ({type(exc).__name__}: {exc}); please report this"
                                          " (CLAIMTRACE_DEBUG=1 prints where)")


# --- one stage per process ---------------------------------------------------------------------

_CURRENT: list[DocumentStage] = []


def start(settings: Settings, with_language: bool, knowledge=None, worker: bool = False) -> DocumentStage:
    """Build this process's stage (a worker process also ends with its parent)."""
    if worker:
        die_with_parent()
    _CURRENT[:] = [DocumentStage(settings, with_language, knowledge)]
    return _CURRENT[0]


def current() -> DocumentStage:
    if not _CURRENT:
        raise RuntimeError("the per-document stage was not started in this process")
    return _CURRENT[0]


def run_batch(items: list[tuple]) -> list[DocumentResult | DocumentError]:
    """A worker's task: a batch through this process's stage."""
    return current().run_batch(items)


def batches(items: list, processes: int) -> list[list]:
    """`items` in batches of at most BATCH, small enough that every worker gets at least two."""
    size = max(1, min(BATCH, -(-len(items) // (2 * processes))))
    return [items[i:i + size] for i in range(0, len(items), size)]


def die_with_parent() -> None:
    """A worker process ends when the process that started it dies (Linux: PR_SET_PDEATHSIG), so
    that a killed `extract` leaves no workers behind."""
    import ctypes
    import signal

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        return
    if os.getppid() == 1:  # the parent died before the call
        os._exit(1)
