"""The only module that writes SQLite. The schema is declared here, in one place."""

from __future__ import annotations

import difflib
import fcntl
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from pipeline.config import SCHEMA_VERSION
from pipeline.errors import DatabaseBusy, DatabaseError

# table -> (columns, primary key, foreign keys)
SCHEMA: dict[str, tuple[dict[str, type], str | tuple[str, ...], list[tuple[str, str, str]]]] = {
    "meta": ({"key": str, "value": str}, "key", []),
    "documents": (
        {"id": str, "kind": str, "path": str, "url": str, "publisher": str, "side": str,
         "side_reason": str, "published": str, "published_reason": str, "period_start": str,
         "period_end": str, "period_reason": str, "title": str, "sha256": str, "text": str,
         "paragraphs": int, "encoding": str, "language": str, "language_reason": str, "cache_key": str,
         "stale": str},
        "id", [],
    ),
    "failures": ({"doc_id": str, "reason": str}, "doc_id", []),
    "orphans": (
        {"decision_id": str, "doc_id": str, "file": str, "line": int, "action": str, "claim_id": str,
         "quote": str, "reason": str},
        ("file", "line"), [],
    ),
    "annotation_problems": ({"file": str, "line": int, "message": str}, ("file", "line"), []),
    "paragraphs": (
        {"id": str, "doc_id": str, "seq": int, "kind": str, "section": str, "start": int,
         "end": int, "text": str},
        "id", [("doc_id", "documents", "id")],
    ),
    "links": (
        {"paragraph_id": str, "seq": int, "doc_id": str, "start": int, "end": int, "text": str, "href": str},
        ("paragraph_id", "seq"), [("paragraph_id", "paragraphs", "id"), ("doc_id", "documents", "id")],
    ),
    "actors": ({"id": str, "name": str, "type": str, "country": str, "local": int}, "id", []),
    "mentions": (
        {"id": str, "doc_id": str, "paragraph_id": str, "start": int, "end": int, "text": str,
         "label": str, "actor_id": str, "actor": str, "country": str, "reason": str},
        "id", [("doc_id", "documents", "id"), ("paragraph_id", "paragraphs", "id"), ("actor_id", "actors", "id")],
    ),
    "dates": (
        {"id": str, "doc_id": str, "paragraph_id": str, "start": int, "end": int, "text": str,
         "value": str, "precision": str, "reason": str},
        "id", [("doc_id", "documents", "id"), ("paragraph_id", "paragraphs", "id")],
    ),
    "events": (
        {"id": str, "date": str, "kind": str, "participants": str, "sides": str, "docs": str},
        "id", [],
    ),
    "claims": (
        {"id": str, "doc_id": str, "paragraph_id": str, "start": int, "end": int, "quote": str,
         "text": str, "speaker": str, "speaker_id": str, "reported_by": str, "source": str,
         "date": str, "event_id": str, "confirmation": str, "stance": str, "stance_rule": str, "one_sided": int,
         "cue": str, "status": str, "reviewer": str, "date_basis": str, "side_rule": str, "language": str,
         "lemmas": str, "origin": str, "cites_doc": str, "cite_rule": str, "cite_paragraph": str,
         "cite_claim": str, "citation_status": str, "citation_score": float},
        "id",
        [("doc_id", "documents", "id"), ("paragraph_id", "paragraphs", "id"),
         ("speaker_id", "actors", "id"), ("event_id", "events", "id")],
    ),
}
BUSY_TIMEOUT = 30.0  # seconds a decision waits for a lock on the database
FTS = {"paragraphs": ["text"], "claims": ["quote", "text", "speaker", "lemmas"]}


def create_schema(db: sqlite_utils.Database) -> None:
    for name, (columns, pk, fks) in SCHEMA.items():
        db[name].create(columns, pk=pk, foreign_keys=fks, not_null=[pk] if isinstance(pk, str) else list(pk))
    for table, column in (("paragraphs", "doc_id"), ("mentions", "paragraph_id"), ("mentions", "actor_id"),
                          ("dates", "paragraph_id"), ("claims", "paragraph_id"), ("claims", "event_id"),
                          ("claims", "date"), ("claims", "reported_by")):
        db[table].create_index([column])


def enable_search(db: sqlite_utils.Database) -> None:
    """The full-text indexes, filled once after the bulk inserts; their triggers then keep them in
    step with direct writes (a decision that edits a claim's text)."""
    for name, columns in FTS.items():
        db[name].enable_fts(columns, create_triggers=True, tokenize="porter")


def insert_rows(conn: sqlite3.Connection, table: str, rows) -> None:
    """Bulk insert of plain rows (store/rows.py) in the schema's column order (one executemany, no
    per-row work); a documents row also gives its rowid, its place in the manifest."""
    columns = list(SCHEMA[table][0]) + (["rowid"] if table == "documents" else [])
    sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    conn.executemany(sql, ([row.get(c) for c in columns] for row in rows))


def write_tables(db: sqlite_utils.Database, tables: dict[str, list[dict]]) -> None:
    """Every table of a new database from the rows of a run (store/rows.py)."""
    for table in SCHEMA:
        insert_rows(db.conn, table, tables.get(table, ()))


@contextmanager
def writer_lock(path: Path):
    """One `extract` writes a database at a time: a second one is told who holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise DatabaseError(f"another extract is writing {path} (pid {holder}); wait for it to finish, "
                                "or stop it, and run again") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def check_replaceable(path: Path) -> None:
    """Refuse to replace a file at --db that is not a claimtrace database."""
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return
    if not path.is_file():
        raise DatabaseError(f"{path} is a folder, not a database file; give --db a file name")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            keys = {k for (k,) in conn.execute("SELECT key FROM meta")}
        finally:
            conn.close()
    except sqlite3.Error:
        keys = set()
    if "fingerprint" not in keys:
        raise DatabaseError(f"{path} exists and is not a claimtrace database; it is left as it is. "
                            "Give --db another path, or remove the file if it is yours to replace")


def remove_leftovers(path: Path) -> list[Path]:
    """Temporary databases of runs that were killed (their process is gone)."""
    removed = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            pid = int(tmp.name.rsplit(".", 2)[-2])
            os.kill(pid, 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except (ValueError, PermissionError):
            continue
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


@contextmanager
def building(path: Path):
    """Build a new database beside `path` and move it into place only when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    check_replaceable(path)
    remove_leftovers(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    try:
        db.conn.execute("PRAGMA journal_mode=OFF")
        db.conn.execute("PRAGMA synchronous=OFF")
        create_schema(db)
        db.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        with db.conn:
            yield db
            enable_search(db)
        db.conn.execute("PRAGMA synchronous=FULL")
        db.conn.commit()
        db.close()
        os.replace(tmp, path)
    except BaseException as exc:
        db.close()
        tmp.unlink(missing_ok=True)
        if _disk_full(exc):
            raise DatabaseError(f"{path.parent}: no space left to write the new database ({exc}); the previous "
                                "database is unchanged: free some space, or give --db on another disk, and run "
                                "extract again") from None
        raise


def _disk_full(exc: BaseException) -> bool:
    import errno

    if isinstance(exc, sqlite3.OperationalError):
        return "disk is full" in str(exc) or "disk I/O error" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def open_existing(path: Path) -> sqlite_utils.Database:
    """Open a built database for reading; complain clearly when there is none."""
    if not path.is_file():
        raise DatabaseError(f"{path}: no database yet; run `claimtrace extract` (or `make extract`) first")
    # a reader waits for writers as long as a decision does (100 decides at once keep it busy)
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT)
    try:
        have = {r[1] for r in conn.execute("SELECT * FROM pragma_table_info('claims')")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path}: not a claimtrace database ({exc}); rebuild it with `claimtrace extract`") from None
    missing = set(SCHEMA["claims"][0]) - have
    if have and not missing:  # a table's columns added since: the documents' (schema 6)
        missing = set(SCHEMA["documents"][0]) - {r[1] for r in conn.execute("SELECT * FROM pragma_table_info('documents')")}
    if have and missing:
        conn.close()
        raise DatabaseError(f"{path} was built by an older claimtrace (no column "
                            f"{', '.join(sorted(missing))}); run `claimtrace extract` to rebuild it")
    return sqlite_utils.Database(conn)


def read_only_uri(path: Path) -> str:
    """SQLite's URI for opening `path` read-only: the path percent-encoded, so that a '#' or '?' in
    a folder name is part of the path (unencoded, '#' cut the path short and dropped mode=ro).
    A run killed inside its update leaves a hot journal, which a read-only connection cannot roll
    back ("attempt to write a readonly database"): it is rolled back here first."""
    from urllib.parse import quote

    roll_back_interrupted(Path(path))
    return f"file:{quote(str(Path(path).absolute()))}?mode=ro"


def roll_back_interrupted(path: Path) -> None:
    """Restore the state before an update that was killed half-way (a hot journal beside the
    database), by opening it once for writing; a journal of a writer still at work is left to it
    (SQLite tells the two apart by its locks)."""
    if not Path(f"{path}-journal").exists() or not path.is_file():
        return
    try:
        conn = sqlite3.connect(path, timeout=5)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return  # not writable here, or busy: the read that follows reports what it meets


def read_meta(path: Path) -> dict[str, str]:
    return dict(_read_quietly(path, "SELECT key, value FROM meta"))


def document_keys(path: Path) -> dict[str, str]:
    """The per-document cache key of each document in an existing database ({} if there is none,
    or it predates the column)."""
    return {k: v for k, v in _read_quietly(path, "SELECT id, cache_key FROM documents") if v}


def _read_quietly(path: Path, sql: str) -> list[tuple]:
    """The rows of a read-only query, or none when there is no database or it cannot answer."""
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def claim_context(path: Path, claim_id: str) -> dict:
    """A claim with what a decision needs: its document text and doc-level offsets."""
    db = open_existing(path)
    try:
        try:
            cursor = db.execute(
                """SELECT c.*, p.start AS p_start, p.seq AS p_seq, p.section AS section, p.text AS p_text,
                          d.text AS doc_text
                   FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id JOIN documents d ON d.id = c.doc_id
                   WHERE c.id = ?""", [claim_id])
            row = cursor.fetchone()
        except sqlite3.OperationalError as exc:
            raise DatabaseBusy(f"{path}: {exc}; nothing was saved, run the command again") from None
        if row is None:
            raise DatabaseError(f"no claim {claim_id!r} in {path}; list ids with `claimtrace export claims`")
        return dict(zip([c[0] for c in cursor.description], row))
    finally:
        db.close()


def document_context(path: Path, doc_id: str) -> dict:
    """What adding a claim to a document needs: its text and language, its paragraphs (id, start,
    end, text, seq, section) and where its claims stand (id, start, end in the document's text)."""
    db = open_existing(path)
    try:
        try:
            doc = db.execute("SELECT text, language FROM documents WHERE id = ?", [doc_id]).fetchone()
            if doc is None:
                _no_document(db, path, doc_id)
            paragraphs = db.execute('SELECT id, start, "end", text, seq, section FROM paragraphs WHERE doc_id = ? ORDER BY start',
                                    [doc_id]).fetchall()
            claims = db.execute('SELECT c.id, p.start + c.start, p.start + c."end" FROM claims c '
                                "JOIN paragraphs p ON p.id = c.paragraph_id WHERE c.doc_id = ?", [doc_id]).fetchall()
        except sqlite3.OperationalError as exc:
            raise DatabaseBusy(f"{path}: {exc}; nothing was saved, run the command again") from None
        return {"text": doc[0], "language": doc[1], "paragraphs": paragraphs, "claims": claims}
    finally:
        db.close()


def require_document(path: Path, doc_id: str) -> None:
    """A document of the database, else an error naming the closest ids."""
    db = open_existing(path)
    try:
        if db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is None:
            _no_document(db, path, doc_id)
    finally:
        db.close()


def _no_document(db, path: Path, doc_id: str):
    ids = [r[0] for r in db.execute("SELECT id FROM documents ORDER BY id")]
    close = difflib.get_close_matches(doc_id, ids, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; documents: {', '.join(ids[:10])}"
    raise DatabaseError(f"no document {doc_id!r} in {path}{hint}")


def insert_row(path: Path, table: str, row: dict) -> None:
    """Add one row a human decision made (an added claim) to the built database at once."""
    _write(path, lambda db: db[table].insert(row))


def delete_row(path: Path, table: str, key: str) -> None:
    """Remove one row a human decision had made (an added claim taken back)."""
    _write(path, lambda db: db[table].delete(key))


def _write(path: Path, change) -> None:
    if not path.is_file():
        raise DatabaseError(f"{path}: no database yet; run `claimtrace extract` first")
    db = sqlite_utils.Database(sqlite3.connect(path, timeout=BUSY_TIMEOUT))  # wait for a reader or another decision
    try:
        with db.conn:
            change(db)
            # the database no longer is what its inputs build: the next `extract` rebuilds it (so that
            # a decisions file restored by hand is not answered with "up to date")
            db.conn.execute("UPDATE meta SET value = 'changed by a direct write' WHERE key = 'fingerprint'")
    except sqlite3.OperationalError as exc:
        raise DatabaseBusy(f"{path}: {exc}") from None
    finally:
        db.close()


def update_row(path: Path, table: str, key: str, changes: dict) -> None:
    """Apply one human decision to the built database at once (the annotations file is the record)."""
    _write(path, lambda db: db[table].update(key, changes) if changes else None)
