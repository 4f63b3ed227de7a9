"""Orchestrates a run: manifest -> per-document stages (in worker processes) -> database."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline import __version__, stage, store
from pipeline.cache import DocumentCache, document_key, stage_base, stage_versions
from pipeline.config import SCHEMA_VERSION, Settings
from pipeline.errors import DocumentError
from pipeline.ingest.corpus import load_manifest
from pipeline.ingest.documents import read_bytes, source_of
from pipeline.ingest.fetch import Archive
from pipeline.knowledge import load_knowledge
from pipeline.records import DocumentResult, DocumentSpec
from pipeline.workers import run_pool

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
    reused: int = 0  # documents whose per-document stage came from the cache
    parsed: int = 0  # documents that went through the per-document stage in this run
    why_all: str | None = None  # why every document was parsed again, when that is why
    rows_written: int | None = None  # rows changed in the existing database (None: a new database was built)


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
    roots = [settings.corpus, settings.annotations, PACKAGE_DIR]
    for path in files:  # named relative to their folder: "notes" and "/home/me/notes" are one input
        name = next((str(path.relative_to(r)) for r in roots if path.is_relative_to(r)), str(path))
        h.update(name.encode() + b"\0")
        h.update(_file_key(path, settings.limits.max_bytes))
    return h.hexdigest()


def _file_key(path: Path, max_bytes: int) -> bytes:
    """What a file contributes to the fingerprint: its content's hash; for what is not a regular
    file, or is over the size limit, its kind and size (never read: a FIFO would hang the run)."""
    import stat

    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            return f"{stat.S_IFMT(st.st_mode)}:{st.st_size}:{st.st_mtime_ns}".encode()
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b"missing"


def _died(item) -> DocumentError:
    return DocumentError(item[0].id, "the worker process extracting it died, and again when it was tried alone "
                                     "(killed, or out of memory); the other documents were not affected")


# --- the run -----------------------------------------------------------------------------------

def run(
    settings: Settings,
    processes: int | None = None,
    force: bool = False,
    with_language: bool = True,
    progress: Callable[[int, int, str, str], None] | None = None,
    scheduler: str | None = None,
) -> Summary:
    specs = load_manifest(settings.manifest)
    knowledge = load_knowledge(settings.annotations)  # fails early, naming the file, if curation is malformed
    key = fingerprint(settings, specs, with_language)
    meta = store.read_meta(settings.db)
    if not force and meta.get("fingerprint") == key:
        return _summary_from_db(settings.db, up_to_date=True)
    store.check_replaceable(settings.db)  # before any work: never build for a file we must not replace
    with store.writer_lock(settings.db):
        return _build(settings, specs, knowledge, key, processes, with_language, progress, force, scheduler)


def _build(settings: Settings, specs: list[DocumentSpec], knowledge, key: str, processes: int | None,
           with_language: bool, progress, force: bool = False, scheduler: str | None = None) -> Summary:
    results: list[DocumentResult] = []
    failures: dict[str, str] = {}
    done = 0

    def collect(spec: DocumentSpec, outcome, cached: bool = False) -> None:
        nonlocal done
        done += 1
        if isinstance(outcome, DocumentError):
            failures[spec.id] = outcome.reason
            status = f"failed: {outcome.reason}"
        else:
            results.append(outcome)
            status = _status(outcome, cached)
        if progress:
            progress(done, len(specs), spec.id, status)

    # the per-document stage: from the cache where the document's key is unchanged
    versions = stage_versions(settings.annotations, settings.model, with_language)
    base = stage_base(versions, settings.limits, with_language)
    cache = DocumentCache(settings.db)
    archive = Archive(settings.corpus)
    keys: dict[str, str] = {}
    todo = []
    for spec in specs:
        try:
            path, declared = source_of(spec, archive)
            raw = read_bytes(spec, path, settings.limits.max_bytes)
        except DocumentError as exc:
            collect(spec, exc)
            continue
        keys[spec.id] = document_key(base, spec, raw, path, declared)
        hit = None if force else cache.get(keys[spec.id])
        if hit is not None:
            collect(spec, hit, cached=True)
        else:
            todo.append((spec, raw, path, declared))
    reused = len(results)

    def finished(item, outcome) -> None:
        if isinstance(outcome, DocumentResult):
            cache.put(keys[item[0].id], outcome)
        collect(item[0], outcome)

    _per_document_stage(settings, with_language, knowledge, todo, finished, processes, scheduler)
    results.extend(_keep_stale(failures, store.document_keys(settings.db), cache, keys))
    order = {s.id: i for i, s in enumerate(specs)}
    results.sort(key=lambda r: order[r.spec.id])
    previous = store.read_meta(settings.db)
    written = _write(settings, results, keys, failures, knowledge,
                     {"fingerprint": key, "model": settings.model, "version": __version__,
                      **{f"{k}_version": v for k, v in versions.items()}}, force)
    cache.prune(set(keys.values()))
    summary = _summary_from_db(settings.db)
    summary.reused, summary.parsed, summary.rows_written = reused, len(todo), written
    summary.why_all = _why_all(force, len(todo), reused, previous, versions)
    return summary


def _status(result: DocumentResult, cached: bool) -> str:
    """A document's progress line: its size, and what the reader should know of how it was read."""
    status = f"{len(result.paragraphs)} paragraphs, {len(result.claims)} claims"
    if cached:
        status += " (unchanged)"
    if result.encoding and "guessed" in result.encoding:
        status += f"; decoded as {result.encoding}"
    if result.period is None and (result.period_reason or "").startswith("period line not understood"):
        status += (f"; {result.period_reason}: statements without a date of their own stay undated "
                   "(write the period as 'February 21 – March 3, 2022', or period = [start, end] in "
                   "the manifest)")
    if result.language is not None and "read as" in result.language.reason:
        status += f"; mixed languages: {result.language.reason.split('; ', 1)[-1]}"  # "24% ... read as Russian"
    return status


def _per_document_stage(settings: Settings, with_language: bool, knowledge, todo: list[tuple], finished,
                        processes: int | None, scheduler: str | None) -> None:
    """Run the per-document stage (stage.py) over `todo`: on a Dask cluster, in worker processes
    (in batches; a batch whose worker dies twice is taken apart, each document alone), or here."""
    processes = max(1, min(processes or os.cpu_count() or 1, len(todo)))
    if todo and scheduler:  # the per-document stage on a Dask cluster; the rest stays here
        from pipeline import cluster

        cluster.run(scheduler, settings, with_language, knowledge, todo, finished)
        return
    if todo and processes == 1:
        here = stage.start(settings, with_language, knowledge)
        for batch in stage.batches(todo, 1):
            for item, outcome in zip(batch, here.run_batch(batch)):
                finished(item, outcome)
        return
    taken_apart: list[tuple] = []

    def batch_done(batch: list[tuple], outcomes) -> None:
        if outcomes is None:  # its worker died twice: each document again, alone
            taken_apart.extend(batch)
            return
        for item, outcome in zip(batch, outcomes):
            finished(item, outcome)

    start = (settings, with_language, None, True)
    if todo:
        run_pool(stage.batches(todo, processes), stage.run_batch, processes, stage.start, start, batch_done,
                 lambda batch: None if len(batch) > 1 else [_died(batch[0])])
    if taken_apart:
        run_pool([[item] for item in taken_apart], stage.run_batch, processes, stage.start, start, batch_done,
                 lambda batch: [_died(batch[0])])


def _keep_stale(failures: dict[str, str], previous: dict[str, str], cache: DocumentCache,
                keys: dict[str, str]) -> list[DocumentResult]:
    """For each document that failed in this run but was extracted before (the database names its
    cache entry), that earlier extraction, marked stale with this run's reason; the failure stays
    listed. A document removed from the manifest is not among the failures, so it goes."""
    kept = []
    for doc_id, reason in failures.items():
        old = cache.get(previous[doc_id]) if doc_id in previous else None
        if old is None or old.spec.id != doc_id:
            continue
        kept.append(replace(old, stale=reason))
        keys[doc_id] = previous[doc_id]
        failures[doc_id] = f"{reason} (its last good extraction is kept, marked stale)"
    return kept


def _write(settings: Settings, results: list[DocumentResult], keys: dict[str, str], failures: dict[str, str],
           knowledge, meta: dict[str, str], force: bool = False) -> int | None:
    """The cross-document stage (actors, events, curation), then the database: the changed rows
    written into the existing one in one transaction (returns how many), or with --force, a new
    schema, or a database too busy to update, a new one built beside it and moved into place."""
    import sqlite3

    from pipeline.combine import finish
    from pipeline.store import sync
    from pipeline.store.rows import table_rows

    tables = table_rows(results, keys, finish(settings, results, knowledge), failures, meta)
    if not force and sync.can_update(settings.db):
        try:
            with sync.updating(settings.db) as conn:
                return sync.write_changes(conn, tables)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
    with store.building(settings.db) as db:
        store.write_tables(db, tables)
    return None


def _why_all(force: bool, parsed: int, reused: int, previous: dict, versions: dict) -> str | None:
    """Why every document went through the per-document stage again, when one reason explains it."""
    if force and parsed:
        return "--force"
    if parsed > 1 and not reused and previous:
        reasons = {"stage": "the code changed", "knowledge": "the gazetteer or rules changed",
                   "model": "the model changed"}
        if previous.get("model_version") == "none":  # not a model change: the last run had none
            reasons["model"] = "the last run was --no-nlp"
        elif versions["model"] == "none":
            reasons["model"] = "--no-nlp"
        changed = [reasons[k] for k in reasons if previous.get(f"{k}_version") not in (None, versions[k])]
        return "; ".join(changed) if changed else None
    return None


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
