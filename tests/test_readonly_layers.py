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
