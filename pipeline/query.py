"""Read-only SQL over the claim database: whatever the SQL says, the file is not changed."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from .errors import ClaimtraceError, DatabaseError

READ_ACTIONS = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
SAFE_PRAGMAS = {"data_version", "table_info", "table_xinfo", "index_list", "index_info", "foreign_key_list", "user_version",
                "schema_version", "compile_options", "database_list", "table_list", "function_list"}


class QueryRefused(ClaimtraceError):
    pass


def _authorizer(action, arg1, arg2, dbname, source):
    if action in READ_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and arg1 in SAFE_PRAGMAS and arg2 is None:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master" and source is None:
        # FTS5 declares its virtual table schema this way when it opens; the read-only
        # connection (mode=ro, query_only) still refuses any real write to the schema.
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def connect_readonly(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise DatabaseError(f"{path}: no database yet; run `claimtrace extract` (or `make extract`) first")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
                    "use SELECT (re-run `extract` to rebuild)"
                ) from None
            raise ClaimtraceError(f"SQL error: {msg}") from None
        return columns, rows
    finally:
        conn.close()
