"""Read-only SQL over the claim database: whatever the SQL says, the file is not changed."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from pipeline.errors import ClaimtraceError, DatabaseError
from pipeline.store import read_only_uri

READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
#: pragmas that only report; the first group takes a table or index name, the second nothing
#: (given a value, user_version and schema_version would write, so they may not take one)
NAMED_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
                 "table_list"}
SAFE_PRAGMAS = NAMED_PRAGMAS | {"data_version", "user_version", "schema_version", "compile_options", "database_list",
                                "function_list", "collation_list", "module_list", "pragma_list", "page_count",
                                "page_size", "freelist_count", "encoding", "integrity_check", "quick_check"}


class QueryRefused(ClaimtraceError):
    pass


def _authorizer(action, arg1, arg2, dbname, source):
    if action in READ_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and arg1 in SAFE_PRAGMAS and (arg2 is None or arg1 in NAMED_PRAGMAS):
        return sqlite3.SQLITE_OK  # also the table-valued forms: SELECT * FROM pragma_table_info('claims')
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master" and source is None:
        # FTS5 declares its virtual table schema this way when it opens; the read-only
        # connection (mode=ro, query_only) still refuses any real write to the schema.
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


MAX_VALUE_BYTES = 64 * 1024 * 1024


def connect_readonly(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise DatabaseError(f"{path}: no database yet; run `claimtrace extract` (or `make extract`) first")
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    # no value a query makes may be larger than this: printf('%.*c', 900000000, 'x') took 918 MB
    # before the timeout could stop it (the largest stored value, a document's text, is far below)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(_authorizer)
    return conn


class QueryStopped(ClaimtraceError):
    pass


def run_query(path: Path, sql: str, params: dict | None = None, timeout: float = 30.0,
              max_rows: int | None = None, stop=None) -> tuple[list[str], list[tuple]]:
    """Rows of a read-only query. It is stopped after `timeout` seconds (0: never), or when
    `stop()` turns true (Ctrl-C); at most `max_rows` rows are kept (None: all)."""
    conn = connect_readonly(path)
    deadline = time.monotonic() + timeout if timeout else None
    why: list[str] = []

    def check() -> int:
        if stop is not None and stop():
            why.append("interrupted")
        elif deadline is not None and time.monotonic() > deadline:
            why.append(f"stopped after {timeout:g} s (raise the limit with --timeout SECONDS)")
        return 1 if why else 0

    conn.set_progress_handler(check, 10_000)
    try:
        try:
            cursor = conn.execute(sql, params or {})
            columns = [c[0] for c in cursor.description or []]
            rows = cursor.fetchall() if max_rows is None else cursor.fetchmany(max_rows)
        except sqlite3.DatabaseError as exc:
            msg = str(exc)
            if why:
                raise QueryStopped(f"the query was {why[0]}") from None
            if any(w in msg for w in ("not authorized", "authorization denied", "readonly", "read-only",
                                      "may not be modified")):
                raise QueryRefused(
                    f"refused: the query would change the database ({msg}); `query` is read-only, "
                    "use SELECT or a reporting PRAGMA such as table_info (see `claimtrace schema`)"
                ) from None
            if "too big" in msg:
                raise ClaimtraceError(f"SQL error: {msg}: `query` makes no value over "
                                      f"{MAX_VALUE_BYTES // 2**20} MB") from None
            raise ClaimtraceError(f"SQL error: {msg}") from None
        return columns, rows
    finally:
        conn.close()


def schema(path: Path, table: str | None = None) -> tuple[list[str], list[tuple]]:
    """Every table's columns (name, type, primary key), or one table's; the full-text index
    tables that back `search` are left out."""
    sql = """SELECT m.name AS "table", p.name AS "column", p.type AS type, p.pk AS primary_key
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '%_fts%'
               AND (:table IS NULL OR m.name = :table)
             ORDER BY m.name, p.cid"""
    columns, rows = run_query(path, sql, {"table": table})
    if table and not rows:
        names = [r[0] for r in run_query(path, sql, {"table": None})[1]]
        raise ClaimtraceError(f"no table {table!r} in {path}; tables: {', '.join(sorted(set(names)))}")
    return columns, rows
