"""Saved queries, search and the read-only guarantee, on a corpus with two-sided readouts."""

import hashlib
import json

import pytest

from pipeline.store.queries import SAVED


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
    assert [r["relevance"] for r in rows] == sorted((r["relevance"] for r in rows), reverse=True)
    assert all(r["relevance"] > 0 for r in rows)  # higher is better
    # punctuation that is FTS syntax is harmless
    assert run("search", 'Kremlin" ( ) :', db=pair_db).exit_code == 0


def _found(run, db, text):
    result = run("search", text, "--format", "json", "--limit", "100", db=db)
    assert result.exit_code == 0, result.output
    return {r["ref"] for r in json.loads(result.output)}


def test_search_syntax_or_not_phrases_and_prefixes(run, pair_db):
    kremlin, understanding = _found(run, pair_db, "Kremlin"), _found(run, pair_db, "understanding")
    assert kremlin and understanding and kremlin != understanding
    assert _found(run, pair_db, "Kremlin OR understanding") == kremlin | understanding
    assert _found(run, pair_db, "Kremlin NOT understanding") == kremlin - understanding
    assert _found(run, pair_db, "understand*") >= understanding
    assert _found(run, pair_db, '"telephone conversation"') <= _found(run, pair_db, "telephone conversation")
    bad = run("search", "Kremlin OR", db=pair_db)
    assert bad.exit_code == 1 and "OR needs a term on each side" in bad.output and "Putin OR Tokayev" in bad.output


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


# --- issue 12: the schema can be read, values match as people type them, options go anywhere ---

def test_reporting_pragmas_and_the_schema_command(run, pair_db):
    info = run("query", "PRAGMA table_info(claims)", "--format", "json", db=pair_db)
    assert info.exit_code == 0, info.output
    assert {"one_sided", "cue", "status"} <= {r["name"] for r in json.loads(info.output)}
    table_valued = run("query", "SELECT name FROM pragma_table_info('claims')", "--format", "json", db=pair_db)
    assert table_valued.exit_code == 0, table_valued.output
    assert [r["name"] for r in json.loads(table_valued.output)][:2] == ["id", "doc_id"]
    schema = json.loads(run("schema", "--format", "json", db=pair_db).output)
    assert {"claims", "documents", "mentions", "events"} <= {r["table"] for r in schema}
    assert not any("_fts" in r["table"] for r in schema)          # search's index tables are not the schema
    one = json.loads(run("schema", "claims", "--format", "json", db=pair_db).output)
    assert {r["table"] for r in one} == {"claims"} and one[0] == {"table": "claims", "column": "id", "type": "TEXT",
                                                                    "primary_key": 1}
    missing = run("schema", "claim", db=pair_db)
    assert missing.exit_code == 1 and "no table 'claim'" in missing.output and "claims" in missing.output
    checked = run("query", "PRAGMA integrity_check", "--format", "json", db=pair_db)  # reports, never writes
    assert checked.exit_code == 0 and json.loads(checked.output) == [{"integrity_check": "ok"}]


def test_saved_query_values_match_as_people_write_them(q, run, pair_db):
    by_id = q("--saved", "actor", "--param", "actor=uz-mirziyoyev")
    assert by_id
    for value in ("mirziyoyev", "SHAVKAT MIRZIYOYEV", "Mirziyoyev"):   # surname, full name, any case
        assert q("--saved", "actor", "--param", f"actor={value}") == by_id, value
    by_code = q("--saved", "timeline", "--param", "country=UZ")
    for value in ("uz", "Uzbekistan", "uzbekistan"):
        assert q("--saved", "timeline", "--param", f"country={value}") == by_code, value
    typo = run("query", "--saved", "actor", "--param", "actor=Mirziyoev", db=pair_db)
    assert typo.exit_code == 1 and "no actor matches 'Mirziyoev'; did you mean Shavkat Mirziyoyev" in typo.output
    bad = run("query", "--saved", "timeline", "--param", "country=Uzbekstan", db=pair_db)
    assert bad.exit_code == 1 and "no country matches 'Uzbekstan'; did you mean Uzbekistan" in bad.output
    near = run("query", "--saved", "dispute", db=pair_db)
    assert near.exit_code == 1 and "did you mean 'disputed'" in near.output


def test_global_options_after_the_subcommand(pair_db, tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli

    runner = CliRunner()
    before = runner.invoke(cli, ["--db", str(pair_db), "query", "SELECT count(*) AS n FROM claims", "--format", "json"])
    for args in (["query", "--db", str(pair_db), "SELECT count(*) AS n FROM claims", "--format", "json"],
                 ["query", "SELECT count(*) AS n FROM claims", "--format", "json", f"--db={pair_db}"],
                 ["--annotations", str(tmp_path), "query", "SELECT count(*) AS n FROM claims", "--db", str(pair_db),
                  "--format", "json"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        assert result.output == before.output and json.loads(result.output)[0]["n"] > 0


def test_tables_fit_the_terminal_width_and_keep_ids_whole(run, pair_db):
    from click.testing import CliRunner

    from pipeline.cli import cli

    for width in (80, 120):
        result = CliRunner(env={"COLUMNS": str(width)}).invoke(
            cli, ["--db", str(pair_db), "query", "--saved", "timeline", "--param", "country=UZ"])
        lines = result.output.splitlines()
        assert result.exit_code == 0 and len(lines) > 3
        assert max(map(len, lines)) <= width, width
        ids = {r["claim_id"] for r in json.loads(run("query", "--saved", "timeline", "--param", "country=UZ",
                                                     "--format", "json", db=pair_db).output)}
        assert ids <= set(result.output.split())                    # ids are never broken across lines


def test_make_query_keeps_quotes_and_takes_args(pair_db):
    import subprocess
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    sql = """SELECT name FROM actors WHERE name = "Shavkat Mirziyoyev" AND 'it''s' = 'it''s'"""
    out = subprocess.run(["make", "-s", "-C", str(repo), "query", f"Q={sql}", f"ARGS=--db {pair_db} --format csv"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["name", "Shavkat Mirziyoyev"]
    saved = subprocess.run(["make", "-s", "-C", str(repo), "query",
                            f'ARGS=--db {pair_db} --saved actor --param actor="Shavkat Mirziyoyev" --format csv'],
                           capture_output=True, text=True, timeout=300)
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.splitlines()[0] == "date,relation,speaker,reported_by,quote,claim_id"
    assert len(saved.stdout.splitlines()) > 1


def test_exports_carry_what_other_tools_need(run, pair_db, tmp_path):
    claims = [json.loads(x) for x in run("export", "claims", "--with-text", db=pair_db).output.splitlines()]
    assert claims and all(isinstance(c["one_sided"], bool) and c["cue"] for c in claims if c["reported_by"] != "author")
    assert {c["one_sided"] for c in claims} == {True, False}
    disputed = {r["claim_id"] for r in json.loads(run("query", "--saved", "disputed", "--format", "json",
                                                       db=pair_db).output)}
    assert disputed and disputed <= {c["id"] for c in claims if c["one_sided"]}
    for c in claims:                                   # the offsets point into the text that comes with them
        assert c["paragraph_text"][c["start"]:c["end"]] == c["quote"]
    assert "paragraph_text" not in json.loads(run("export", "claims", db=pair_db).output.splitlines()[0])
    mentions = [json.loads(x) for x in run("export", "mentions", "--with-text", db=pair_db).output.splitlines()]
    assert mentions and all(m["paragraph_text"][m["start"]:m["end"]] == m["text"] for m in mentions)
    import shutil

    copy = tmp_path / "copy.db"                           # the shared database stays as it is
    shutil.copy(pair_db, copy)
    linked = run("link", mentions[0]["id"], "ru-putin", db=copy, annotations=tmp_path / "notes")
    assert linked.exit_code == 0, linked.output           # the id is what `claimtrace link` takes
    docs = [json.loads(x) for x in run("export", "documents", "--with-text", db=pair_db).output.splitlines()]
    assert all(d["text"] for d in docs)
    out = tmp_path / "claims.csv"
    assert run("export", "claims", "-o", str(out), db=pair_db).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0].endswith(
        "status,one_sided,cue,stance_rule,reviewer,date_basis,side_rule,language,origin,"
        "cites_doc,cite_rule,cite_paragraph,cite_claim,citation_status,citation_score")


# --- issue 13: one week definition (ISO 8601) in the saved queries and the report ---

def test_weeks_are_iso_8601_in_saved_queries_and_report():
    import datetime as dt
    import sqlite3

    from pipeline.store.queries import SAVED, iso_week
    from pipeline.web.report import iso_week as report_week

    conn = sqlite3.connect(":memory:")
    day = dt.date(2019, 1, 1)
    while day < dt.date(2028, 1, 1):  # every day of nine years, year ends included
        iso = day.isocalendar()
        want = f"{iso.year}-W{iso.week:02d}"
        got = conn.execute(f"SELECT {iso_week(':d')}", {"d": day.isoformat()}).fetchone()[0]
        assert got == want == report_week(day.isoformat()), day
        day += dt.timedelta(days=1)
    # the two definitions differ here: %W says 2025-W09, ISO 8601 says 2025-W10
    assert conn.execute("SELECT strftime('%Y-W%W', '2025-03-05')").fetchone()[0] == "2025-W09"
    assert report_week("2025-03-05") == "2025-W10"
    assert not any("%W" in q.sql for q in SAVED.values())
    assert iso_week("c.date") in SAVED["positions"].sql and iso_week("c.date") in SAVED["by-country"].sql
    assert report_week("2025-03") is None


def test_the_timeline_takes_every_date_basis_the_claims_stage_gives_and_the_reviewers():
    """store/queries.py keeps its own list (the store does not import the claims stage): it must not
    fall behind claim_dates.BASES."""
    from pipeline.claims.claim_dates import BASES
    from pipeline.store.queries import DATE_BASES

    assert set(DATE_BASES) == {*BASES, "reviewer"}
