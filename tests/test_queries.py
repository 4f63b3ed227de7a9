"""Saved queries, search and the read-only guarantee, on a corpus with two-sided readouts."""

import hashlib
import json

import pytest

from pipeline.queries import SAVED


@pytest.fixture
def q(run, pair_db):
    def query(*args):
        result = run("query", *args, "--format", "json", db=pair_db)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    return query


def test_every_saved_query_is_documented_in_help(run):
    text = run("query", "--help").output
    for name in SAVED:
        assert name in text


def test_disputed_puts_the_accounts_side_by_side(q):
    rows = q("--saved", "disputed")
    ru = [r for r in rows if r["side"] == "RU" and r["one_sided_claim"].startswith("Shavkat Mirziyoyev expressed")]
    assert len(ru) == 1
    assert "UZ: The leaders also exchanged views on the situation around Ukraine." in ru[0]["other_account"]
    assert {r["side"] for r in rows} == {"RU", "UZ"}


def test_unconfirmed(q):
    quotes = [r["quote"] for r in q("--saved", "unconfirmed")]
    assert any(x.startswith("According to the Kremlin, Mr. Mirziyoyev") for x in quotes)
    assert not any(x.startswith("Vladimir Putin had a telephone conversation") for x in quotes)


def test_by_country(q):
    rows = q("--saved", "by-country")
    assert {(r["reported_by"], r["week"]) for r in rows} >= {("RU", "2022-W08"), ("UZ", "2022-W08")}
    assert sum(r["claims"] for r in rows if r["reported_by"] == "UZ") == 4


def test_timeline_needs_and_uses_its_country(run, pair_db, q):
    missing = run("query", "--saved", "timeline", db=pair_db)
    assert missing.exit_code == 1 and "needs --param country=VALUE" in missing.output
    rows = q("--saved", "timeline", "--param", "country=UZ")
    assert rows and all(r["reported_by"] == "UZ" or r["speaker"] == "Shavkat Mirziyoyev" for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_actor_by_and_about(q):
    rows = q("--saved", "actor", "--param", "actor=Shavkat Mirziyoyev")
    relations = {(r["relation"], r["reported_by"]) for r in rows}
    assert ("by", "RU") in relations and ("by", "UZ") in relations
    assert q("--saved", "actor", "--param", "actor=uz-mirziyoyev") == rows


def test_sources(q):
    rows = {(r["reported_by"], r["source"]): r["claims"] for r in q("--saved", "sources")}
    assert rows[("RU", "Kremlin readout")] >= 4
    assert rows[("UZ", "Uzbek presidential readout")] == 4


def test_positions(q):
    rows = q("--saved", "positions")
    # what Uzbekistan's own side reported of its president; the Kremlin's "understanding" is not his position
    assert {(r["country"], r["week"], r["stance"]) for r in rows} == {("UZ", "2022-W08", "neutral")}


def test_unknown_saved_query_and_parameter(run, pair_db):
    assert "choose one of disputed" in run("query", "--saved", "nope", db=pair_db).output
    assert "takes no parameter" in run("query", "--saved", "sources", "--param", "x=1", db=pair_db).output


def test_search_ranks_and_highlights(run, pair_db):
    result = run("search", "understanding", "--format", "json", db=pair_db)
    rows = json.loads(result.output)
    assert rows and all("[understanding]" in r["snippet"] for r in rows)
    assert rows[0]["kind"] in ("claim", "paragraph")
    assert [r["score"] for r in rows] == sorted(r["score"] for r in rows)
    # punctuation that is FTS syntax is harmless
    assert run("search", 'Kremlin" OR (', db=pair_db).exit_code == 0


WRITES = [
    "DROP TABLE claims", "DELETE FROM claims", "INSERT INTO meta VALUES ('k', 'v')", "UPDATE claims SET status = 'x'",
    "ATTACH DATABASE '{tmp}/other.db' AS other", "VACUUM INTO '{tmp}/copy.db'", "PRAGMA user_version = 3",
    "PRAGMA journal_mode = DELETE", "PRAGMA writable_schema = 1", "CREATE TABLE x (a)", "REINDEX",
    "WITH a AS (SELECT 1) DELETE FROM claims",
]


@pytest.mark.parametrize("sql", WRITES)
def test_read_only_whatever_the_sql_says(run, pair_db, tmp_path, sql):
    before = hashlib.sha256(pair_db.read_bytes()).hexdigest()
    result = run("query", sql.format(tmp=tmp_path), db=pair_db)
    assert result.exit_code == 1
    assert "read-only" in result.output or "refused" in result.output
    assert hashlib.sha256(pair_db.read_bytes()).hexdigest() == before
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "other.db").exists()
