"""The read-only guard of `query`, one layer at a time (issue 25): the authorizer, PRAGMA
query_only and the mode=ro open each refuse a write alone, so removing any one is caught."""

import sqlite3
from types import SimpleNamespace

import pytest

from pipeline.errors import ClaimtraceError
from pipeline.store import query
from pipeline.store.query import QueryStopped, _authorizer, connect_readonly, run_query, schema

WRITES = ["INSERT INTO t VALUES (2)", "UPDATE t SET x = 3", "DELETE FROM t", "CREATE TABLE u (y)", "DROP TABLE t",
          "PRAGMA user_version = 5", "PRAGMA schema_version = 5", "PRAGMA journal_mode = WAL",
          "ATTACH DATABASE ':memory:' AS other"]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("sql", WRITES)
def test_the_authorizer_alone_refuses_every_write(db, sql):
    conn = sqlite3.connect(db)  # read-write, no query_only: only the authorizer stands in the way
    conn.set_authorizer(_authorizer)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized|authorization denied|prohibited"):
        conn.execute(sql)
    assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]
    assert conn.execute("PRAGMA user_version").fetchone() == (0,)  # reading it is fine


def test_query_only_alone_refuses_a_write(db):
    conn = connect_readonly(db)
    conn.set_authorizer(None)  # (the authorizer would refuse even reading this pragma)
    assert conn.execute("PRAGMA query_only").fetchone() == (1,)  # set on every read-only connection
    plain = sqlite3.connect(db)  # and on its own it refuses (a read-write open, no authorizer)
    plain.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        plain.execute("INSERT INTO t VALUES (2)")


def test_the_read_only_open_alone_refuses_a_write(db):
    conn = connect_readonly(db)
    conn.set_authorizer(None)               # the other two layers taken away
    conn.execute("PRAGMA query_only = OFF")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("INSERT INTO t VALUES (2)")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM t").fetchone() == (1,)


COUNT = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT max(x) FROM c"


def test_a_query_is_stopped_after_30_seconds_unless_told_otherwise(db, monkeypatch):
    """The documented default (README, Reliability): a clock that reads 29.9 s after the start lets
    a query of many steps finish, one that reads 30.1 s stops it and says after how long."""
    for elapsed, stopped in ((29.9, False), (30.1, True)):
        readings = iter([1000.0])  # the start; every later reading is `elapsed` seconds on
        monkeypatch.setattr(query, "time", SimpleNamespace(monotonic=lambda: next(readings, 1000.0 + elapsed)))
        if stopped:
            with pytest.raises(QueryStopped, match=r"stopped after 30 s \(raise the limit with --timeout"):
                run_query(db, COUNT)
        else:
            assert run_query(db, COUNT) == (["max(x)"], [(200000,)])


def test_schema_of_a_table_that_is_not_there_lists_the_tables_that_are(db):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE documents (id)")
    conn.commit()
    with pytest.raises(ClaimtraceError) as refused:
        schema(db, "claims")
    assert str(refused.value) == f"no table 'claims' in {db}; tables: documents, t"


def test_a_timeout_of_0_never_stops_a_query(db, monkeypatch):
    """`query --timeout 0`: no limit, however long the clock says the query has run."""
    readings = iter([1000.0])
    monkeypatch.setattr(query, "time", SimpleNamespace(monotonic=lambda: next(readings, 1000.0 + 86400 * 365)))
    assert run_query(db, COUNT, timeout=0) == (["max(x)"], [(200000,)])


def test_a_refused_write_says_what_query_takes_instead(db):
    with pytest.raises(query.QueryRefused) as refused:
        run_query(db, "DELETE FROM t")
    assert str(refused.value).startswith("refused: the query would change the database (")
    assert str(refused.value).endswith("`query` is read-only, use SELECT or a reporting PRAGMA such as table_info "
                                       "(see `claimtrace schema`)")


# every pragma `query` lets through (written out here, not read from the module): those that take a
# table or index name with one, the others bare
NAMED = {"table_info": "t", "table_xinfo": "t", "index_list": "t", "index_info": "ix", "index_xinfo": "ix",
         "foreign_key_list": "c", "table_list": "t"}
BARE = ["data_version", "user_version", "schema_version", "compile_options", "database_list", "function_list",
        "collation_list", "module_list", "pragma_list", "page_count", "page_size", "freelist_count", "encoding",
        "integrity_check", "quick_check"]


@pytest.mark.parametrize("sql", [f"PRAGMA {name}({arg})" for name, arg in NAMED.items()]
                         + [f"PRAGMA {name}" for name in BARE])
def test_every_reporting_pragma_is_answered(db, sql):
    conn = sqlite3.connect(db)
    conn.execute("CREATE INDEX ix ON t (x)")
    conn.execute("CREATE TABLE c (y REFERENCES t (x))")
    conn.commit()
    conn.close()
    columns, rows = run_query(db, sql)
    assert columns and rows, sql


@pytest.mark.parametrize("sql", ["DELETE FROM sqlite_master", "UPDATE sqlite_master SET name = 'u'", "VACUUM"])
def test_writes_sqlite_words_otherwise_are_refused_as_writes_too(db, sql):
    """SQLite says "table sqlite_master may not be modified" and, for VACUUM, "authorization denied"."""
    with pytest.raises(query.QueryRefused, match=r"^refused: the query would change the database \("):
        run_query(db, sql)


def test_a_value_may_be_64_mb_and_no_larger(db):
    assert run_query(db, "SELECT length(zeroblob(67108864))")[1] == [(67108864,)]  # 64 x 1024 x 1024 bytes
    with pytest.raises(ClaimtraceError) as refused:
        run_query(db, "SELECT length(zeroblob(67108865))")
    assert str(refused.value) == "SQL error: string or blob too big: `query` makes no value over 64 MB"


def test_no_database_yet_says_how_to_make_one(tmp_path):
    from pipeline.errors import DatabaseError

    with pytest.raises(DatabaseError) as missing:
        run_query(tmp_path / "none.db", "SELECT 1")
    assert str(missing.value) == (f"{tmp_path / 'none.db'}: no database yet; run `claimtrace extract` "
                                  "(or `make extract`) first")
    assert not (tmp_path / "none.db").exists()


def test_a_query_is_stopped_only_once_more_than_its_timeout_has_passed(db, monkeypatch):
    """At exactly 30 s a query is not yet "stopped after 30 s"."""
    readings = iter([1000.0])
    monkeypatch.setattr(query, "time", SimpleNamespace(monotonic=lambda: next(readings, 1030.0)))
    assert run_query(db, COUNT) == (["max(x)"], [(200000,)])


def test_max_rows_keeps_the_first_rows(db):
    conn = sqlite3.connect(db)
    conn.executemany("INSERT INTO t VALUES (?)", [(2,), (3,)])
    conn.commit()
    assert run_query(db, "SELECT x FROM t ORDER BY x", max_rows=2) == (["x"], [(1,), (2,)])
    assert run_query(db, "SELECT x FROM t ORDER BY x", max_rows=None) == (["x"], [(1,), (2,), (3,)])


@pytest.mark.parametrize("sql", ["INSERT INTO t VALUES (2)", "UPDATE t SET x = 3", "DELETE FROM t"])
def test_the_authorizer_alone_refuses_a_write_outside_a_transaction(db, sql):
    """In autocommit mode no BEGIN comes first for the authorizer to refuse: the write itself is."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.set_authorizer(_authorizer)
    with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
        conn.execute(sql)
    assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_a_write_past_the_authorizer_is_still_refused_as_a_write(db, monkeypatch):
    """Were the authorizer to let a write through, the read-only open and query_only refuse it with
    "attempt to write a readonly database": `query` says refused, not "SQL error"."""
    monkeypatch.setattr(query, "_authorizer", lambda *args: sqlite3.SQLITE_OK)
    with pytest.raises(query.QueryRefused, match=r"^refused: the query would change the database \(attempt to write"):
        run_query(db, "INSERT INTO t VALUES (2)")
    assert sqlite3.connect(db).execute("SELECT x FROM t").fetchall() == [(1,)]


def test_another_sql_error_is_reported_as_sqlites_message(db):
    with pytest.raises(ClaimtraceError) as failed:
        run_query(db, "SELECT * FROM missing")
    assert str(failed.value) == "SQL error: no such table: missing"
    assert not isinstance(failed.value, (query.QueryRefused, QueryStopped))
