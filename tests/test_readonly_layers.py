"""The read-only guard of `query`, one layer at a time (issue 25): the authorizer, PRAGMA
query_only and the mode=ro open each refuse a write alone, so removing any one is caught."""

import sqlite3

import pytest

from pipeline.store.query import _authorizer, connect_readonly

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
