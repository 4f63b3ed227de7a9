"""`claimtrace browse` (what `make browse` runs): Datasette answers on 127.0.0.1 with canned queries."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "claimtrace")

pytestmark = pytest.mark.skipif(shutil.which("datasette", path=str(Path(sys.executable).parent)) is None,
                                reason="Datasette is installed by `make browse` / `make test`")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_metadata_lists_saved_queries_and_facets(run, pair_db):
    result = run("browse", "--metadata-only", db=pair_db)
    meta = json.loads(Path(result.output.strip()).read_text(encoding="utf-8"))
    db = meta["databases"][pair_db.stem]
    assert {"disputed", "timeline", "positions"} <= set(db["queries"])
    assert db["tables"]["claims"]["facets"] == ["reported_by", "speaker", "date", "status"]
    assert db["tables"]["claims"]["columns"]["reported_by"]
    # descriptions in Datasette's terms (its form fields), not the CLI's --param syntax
    assert all("--param" not in q["description"] for q in db["queries"].values())
    assert "the country field" in db["queries"]["timeline"]["description"]


def test_browse_serves_a_canned_query(pair_db, tmp_path):
    port = free_port()
    proc = subprocess.Popen([CLI, "--db", str(pair_db), "--annotations", str(tmp_path), "browse", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/{pair_db.stem}/disputed.json?_shape=array"
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    rows = json.loads(resp.read())
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError(proc.stdout.read().decode() if proc.poll() is not None else "no answer")
                time.sleep(0.5)
        assert any(r["side"] == "RU" and r["one_sided_claim"].startswith("Shavkat Mirziyoyev") for r in rows)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{pair_db.stem}/timeline.json?country=UZ&_shape=array",
                                    timeout=5) as resp:
            assert json.loads(resp.read())
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_browse_shows_a_decision_made_after_it_started(pair_db, tmp_path):
    db = tmp_path / "live.db"
    shutil.copy(pair_db, db)
    claim = subprocess.run([CLI, "--db", str(db), "query", "SELECT id FROM claims LIMIT 1", "--format", "csv"],
                           capture_output=True, text=True, check=True).stdout.split()[1]
    port = free_port()
    proc = subprocess.Popen([CLI, "--db", str(db), "--annotations", str(tmp_path / "notes"), "browse", "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/{db.stem}/claims/{claim}.json?_shape=array"

    def status() -> str:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    return json.loads(resp.read())[0]["status"]
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError("no answer from Datasette")
                time.sleep(0.5)

    try:
        # several reads, so that every connection Datasette keeps has read the row once
        assert {status() for _ in range(8)} == {"proposed"}
        subprocess.run([CLI, "--db", str(db), "--annotations", str(tmp_path / "notes"), "decide", claim, "reject"],
                       check=True, capture_output=True)
        assert {status() for _ in range(8)} == {"rejected"}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _get(url: str, proc) -> object:
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return json.loads(resp.read())
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                raise AssertionError("no answer from Datasette")
            time.sleep(0.5)


def test_browse_follows_a_rebuild_and_takes_parameters_as_the_cli_does(pair_db, tmp_path):
    db = tmp_path / "live.db"
    shutil.copy(pair_db, db)
    notes = tmp_path / "notes"
    base = [CLI, "--db", str(db), "--annotations", str(notes)]
    cli_rows = json.loads(subprocess.run([*base, "query", "--saved", "timeline", "--param", "country=uz", "--format",
                                          "json"], capture_output=True, text=True, check=True).stdout)
    port = free_port()
    proc = subprocess.Popen([*base, "browse", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}/{db.stem}"
    count = f"{root}.json?sql=select+count(*)+as+n+from+claims&_shape=array"
    try:
        assert cli_rows
        for form in ("uz", "UZ", "Uzbekistan"):  # as `query --saved` takes them
            assert len(_get(f"{root}/timeline.json?country={form}&_shape=array", proc)) == len(cli_rows)
        before = {_get(count, proc)[0]["n"] for _ in range(6)}
        assert len(before) == 1
        # a rebuild replaces the file (as extract does): a copy with one claim less, moved over it
        other = tmp_path / "rebuilt.db"
        shutil.copy(pair_db, other)
        import sqlite3

        conn = sqlite3.connect(other)
        conn.execute("DELETE FROM claims WHERE rowid = (SELECT max(rowid) FROM claims)")
        conn.commit()
        conn.close()
        other.replace(db)
        assert {_get(count, proc)[0]["n"] for _ in range(6)} == {before.pop() - 1}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_browse_answers_only_as_127_0_0_1_or_localhost(pair_db, tmp_path):
    """DNS rebinding: a page of another site whose name resolves to 127.0.0.1 asks with its own Host."""
    import http.client

    port = free_port()
    proc = subprocess.Popen([CLI, "--db", str(pair_db), "--annotations", str(tmp_path / "notes"), "browse", "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def get(host: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", f"/{pair_db.stem}.json", headers={"Host": host})
            resp = conn.getresponse()
            return resp.status, resp.read().decode("utf-8", "replace")
        finally:
            conn.close()

    try:
        _get(f"http://127.0.0.1:{port}/{pair_db.stem}.json", proc)       # up and answering
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", ""):
            status, text = get(host)
            assert status == 400 and "unknown Host" in text and "claims" not in text, host
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", "127.0.0.1"):
            status, text = get(host)
            assert status == 200 and "claims" in text, host
    finally:
        proc.terminate()
        proc.wait(timeout=20)
