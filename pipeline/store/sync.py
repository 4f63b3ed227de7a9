"""A run's rows written into the existing database: only what changed, in one transaction.

`extract` after a decision or an edited document used to write a new database file, so the cost of
a one-line decision grew with the corpus. Here the per-document tables (documents, paragraphs,
links, dates) are rewritten only for documents whose cache key, stale mark or place in the
manifest changed; the tables the cross-document stage makes (actors, mentions, events, claims,
failures, orphans, annotation problems, meta) are compared row by row with what is stored and only
the differences written. All of it inside one transaction: an interrupted run leaves the previous
state (SQLite's journal), and the full-text indexes follow through their triggers. The result is
the database a full build makes, row for row (tests/test_incremental.py compares the exports).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from pipeline.config import SCHEMA_VERSION
from pipeline.store import BUSY_TIMEOUT, FTS, SCHEMA, insert_rows

PER_DOCUMENT = ("paragraphs", "links", "dates")  # rows that belong to one document (doc_id)
CROSS_DOCUMENT = ("actors", "mentions", "events", "claims", "failures", "orphans", "annotation_problems", "meta")


def can_update(path: Path) -> bool:
    """An existing database of this schema, with its search indexes: one a run may update in place."""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return False
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return set(SCHEMA) <= names and all(f"{t}_fts" in names for t in FTS)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


@contextmanager
def updating(path: Path):
    """A write transaction on the database (taken at once, waiting for a decision in progress);
    committed when the block succeeds, rolled back otherwise."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def write_changes(conn: sqlite3.Connection, tables: dict[str, list[dict]]) -> int:
    """Make the database hold `tables` (table -> every row a full build would write; documents
    carry their manifest place as "rowid"); returns how many rows were written or removed."""
    changed_docs, written = _documents(conn, tables["documents"])
    for table in PER_DOCUMENT:
        if changed_docs:
            marks = ", ".join("?" * len(changed_docs))
            written += conn.execute(f"DELETE FROM [{table}] WHERE doc_id IN ({marks})", sorted(changed_docs)).rowcount
            rows = [r for r in tables[table] if r["doc_id"] in changed_docs]
            insert_rows(conn, table, rows)
            written += len(rows)
    for table in CROSS_DOCUMENT:
        written += _sync_table(conn, table, tables[table])
    return written


def _documents(conn: sqlite3.Connection, rows: list[dict]) -> tuple[set[str], int]:
    """Rewrite the documents whose key, stale mark or text changed, remove those gone, and put every
    document at its manifest place (rowid: the order every listing uses). Returns the ids whose
    per-document rows must be rewritten, and the number of rows written."""
    stored = {r[0]: r[1:] for r in conn.execute("SELECT id, rowid, cache_key, stale, sha256 FROM documents")}
    wanted = {r["id"]: r for r in rows}
    changed = {i for i, r in wanted.items()
               if i not in stored or stored[i][1:] != (r["cache_key"], r["stale"], r["sha256"])
               or r["cache_key"] is None}
    gone = set(stored) - set(wanted)
    out = changed | gone
    if out:
        marks = ", ".join("?" * len(out))
        conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", sorted(out))
    moving = [(i, r["rowid"]) for i, r in wanted.items() if i not in changed and stored[i][0] != r["rowid"]]
    for i, _ in moving:  # through negative places, so that no two documents ever share one
        conn.execute("UPDATE documents SET rowid = -rowid WHERE id = ?", [i])
    for i, place in moving:
        conn.execute("UPDATE documents SET rowid = ? WHERE id = ?", [place, i])
    insert_rows(conn, "documents", [wanted[i] for i in sorted(changed, key=lambda i: wanted[i]["rowid"])])
    return out, len(out) + len(moving)


def _sync_table(conn: sqlite3.Connection, table: str, rows: list[dict]) -> int:
    columns = list(SCHEMA[table][0])
    pk = SCHEMA[table][1]
    keys = [pk] if isinstance(pk, str) else list(pk)
    at = [columns.index(k) for k in keys]
    names = ", ".join(f"[{c}]" for c in columns)
    stored = {tuple(r[i] for i in at): r for r in conn.execute(f"SELECT {names} FROM [{table}]")}
    wanted = {}
    for row in rows:
        values = tuple(row.get(c) for c in columns)
        wanted[tuple(values[i] for i in at)] = values
    where = " AND ".join(f"[{k}] = ?" for k in keys)
    gone = [k for k in stored if k not in wanted]
    conn.executemany(f"DELETE FROM [{table}] WHERE {where}", gone)
    new = [v for k, v in wanted.items() if k not in stored]
    conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})", new)
    differ = [v for k, v in wanted.items() if k in stored and stored[k] != v]
    sets = ", ".join(f"[{c}] = ?" for c in columns)
    conn.executemany(f"UPDATE [{table}] SET {sets} WHERE {where}", [(*v, *(v[i] for i in at)) for v in differ])
    return len(gone) + len(new) + len(differ)
