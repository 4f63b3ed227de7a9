"""Orchestrates a run: manifest -> per-document stages (in worker processes) -> database."""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, store
from .config import SCHEMA_VERSION, Settings
from .corpus import load_manifest
from .documents import process, read_bytes, source_of, with_nlp
from .errors import DocumentError
from .fetch import Archive
from .knowledge import load_knowledge
from .limits import time_budget
from .records import DocumentResult, DocumentSpec
from .sections import SectionTagger

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass
class Summary:
    db: Path
    documents: int = 0
    paragraphs: int = 0
    mentions: int = 0
    claims: int = 0
    events: int = 0
    orphans: int = 0
    problems: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    up_to_date: bool = False


def fingerprint(settings: Settings, specs: list[DocumentSpec], with_language: bool = True) -> str:
    """A hash of everything a run reads and how (a --no-nlp build is not a full one): unchanged
    inputs give an unchanged database."""
    h = hashlib.sha256()
    h.update(f"{__version__}\0{SCHEMA_VERSION}\0{settings.model}\0{settings.limits}\0{with_language}\0".encode())
    files = [settings.manifest, *sorted(PACKAGE_DIR.rglob("*.py")), *sorted(PACKAGE_DIR.rglob("*.toml"))]
    files += [s.path for s in specs if s.path]
    files.append(Archive(settings.corpus).log)
    if settings.annotations.is_dir():
        files += sorted(p for p in settings.annotations.rglob("*") if p.is_file())
    for path in files:
        h.update(str(path).encode() + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


# --- worker side -----------------------------------------------------------------------------

_WORKER: dict = {}


def _init_worker(settings: Settings, with_language: bool, knowledge=None, worker: bool = False) -> None:
    if worker:
        die_with_parent()
    knowledge = knowledge or load_knowledge(settings.annotations)
    _WORKER["limits"] = settings.limits
    _WORKER["knowledge"] = knowledge
    _WORKER["archive"] = Archive(settings.corpus)
    _WORKER["sections"] = SectionTagger(knowledge)
    _WORKER["annotate"] = None
    if with_language:
        from .annotate import Annotator  # loads spaCy only in processes that need it

        _WORKER["annotate"] = Annotator(settings.model, knowledge)


def die_with_parent() -> None:
    """A worker process ends when the process that started it dies (Linux: PR_SET_PDEATHSIG), so
    that a killed `extract` leaves no workers behind."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        return
    if os.getppid() == 1:  # the parent died before the call
        os._exit(1)


def _work(spec: DocumentSpec) -> DocumentResult | DocumentError:
    try:
        path, declared = source_of(spec, _WORKER["archive"])
        raw = read_bytes(spec, path)
        limits = _WORKER["limits"]
        with time_budget(spec.id, limits.time_budget):
            result = process(spec, _WORKER["knowledge"], _WORKER["sections"], raw, path, declared, limits)
            return with_nlp(result, _WORKER["annotate"])
    except DocumentError as exc:
        return exc
    except Exception as exc:  # one bad document never stops the others
        return DocumentError(spec.id, f"failed unexpectedly ({type(exc).__name__}: {exc}); please report this")


# --- the run -----------------------------------------------------------------------------------

def run(
    settings: Settings,
    processes: int | None = None,
    force: bool = False,
    with_language: bool = True,
    progress: Callable[[int, int, str, str], None] | None = None,
) -> Summary:
    specs = load_manifest(settings.manifest)
    knowledge = load_knowledge(settings.annotations)  # fails early, naming the file, if curation is malformed
    key = fingerprint(settings, specs, with_language)
    meta = store.read_meta(settings.db)
    if not force and meta.get("fingerprint") == key:
        return _summary_from_db(settings.db, up_to_date=True)
    store.check_replaceable(settings.db)  # before any work: never build for a file we must not replace
    with store.writer_lock(settings.db):
        return _build(settings, specs, knowledge, key, processes, with_language, progress)


def _build(settings: Settings, specs: list[DocumentSpec], knowledge, key: str, processes: int | None,
           with_language: bool, progress) -> Summary:
    processes = max(1, min(processes or os.cpu_count() or 1, len(specs)))
    results: list[DocumentResult] = []
    failures: dict[str, str] = {}

    def collect(n: int, spec: DocumentSpec, outcome) -> None:
        if isinstance(outcome, DocumentError):
            failures[spec.id] = outcome.reason
            status = f"failed: {outcome.reason}"
        else:
            results.append(outcome)
            status = f"{len(outcome.paragraphs)} paragraphs, {len(outcome.claims)} claims"
            if outcome.encoding and "guessed" in outcome.encoding:
                status += f"; decoded as {outcome.encoding}"
        if progress:
            progress(n, len(specs), spec.id, status)

    if processes == 1:
        _init_worker(settings, with_language, knowledge)
        for n, spec in enumerate(specs, 1):
            collect(n, spec, _work(spec))
    else:
        with ProcessPoolExecutor(processes, initializer=_init_worker,
                                 initargs=(settings, with_language, None, True)) as pool:
            for n, (spec, outcome) in enumerate(zip(specs, pool.map(_work, specs)), 1):
                collect(n, spec, outcome)

    order = {s.id: i for i, s in enumerate(specs)}
    results.sort(key=lambda r: order[r.spec.id])
    from .combine import finish  # cross-document stages: actors, events, curation

    built = finish(settings, results, knowledge)
    with store.building(settings.db) as db:
        store.write_documents(db, results)
        store.write_actors(db, built.actors)
        store.write_mentions(db, built.mentions)
        store.write_events_and_claims(db, built.events, built.claims)
        store.write_failures(db, failures)
        store.write_curation(db, built.orphans, built.problems)
        store.write_meta(db, {"fingerprint": key, "model": settings.model, "version": __version__})
    return _summary_from_db(settings.db)


def _summary_from_db(path: Path, up_to_date: bool = False) -> Summary:
    db = store.open_existing(path)
    try:
        count = lambda t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: E731
        return Summary(
            db=path, documents=count("documents"), paragraphs=count("paragraphs"),
            mentions=count("mentions"), claims=count("claims"), events=count("events"),
            orphans=count("orphans"),
            problems=[f"{f}:{n}: {m}" for f, n, m in db.execute("SELECT file, line, message FROM annotation_problems")],
            failures=dict(db.execute("SELECT doc_id, reason FROM failures").fetchall()),
            up_to_date=up_to_date,
        )
    finally:
        db.close()
