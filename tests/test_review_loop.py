"""The review loop driven as a person would: the real program in a terminal, single keys."""

import json
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from pipeline.config import Settings
from pipeline.extract import run

DATA = Path(__file__).parent / "data"
CLI = str(Path(sys.executable).parent / "claimtrace")


@pytest.fixture
def built(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "style4" / "brief.txt", corpus / "brief.txt")
    shutil.copy(DATA / "style4" / "manifest.toml", corpus / "manifest.toml")
    settings = Settings(corpus=corpus, db=tmp_path / "claims.db", annotations=tmp_path / "notes")
    run(settings, processes=1, with_language=True)
    return settings


def spawn(settings, *args):
    return pexpect.spawn(CLI, ["--corpus", str(settings.corpus), "--db", str(settings.db),
                               "--annotations", str(settings.annotations), "review", *args],
                         encoding="utf-8", timeout=30, dimensions=(50, 200))


def actions(settings):
    path = settings.annotations / "decisions" / "brief.jsonl"
    return [json.loads(line)["action"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_keys_undo_quit_and_resume(built):
    child = spawn(built)
    child.expect(r"1 / 7")
    child.expect("Maia Sandu warned")
    child.send("a")                      # accept the first claim
    child.expect(r"2 / 7")
    child.send("r")                      # reject the second
    child.expect(r"3 / 7")
    child.send("u")                      # undo: back to the second claim
    child.expect(r"2 / 7")
    child.send("s")                      # skip it
    child.expect(r"3 / 7")
    child.send("e")                      # edit the third
    child.expect("field")
    child.sendline("stance")
    child.expect("new value")
    child.sendline("neutral")
    child.expect(r"4 / 7")
    child.send("q")
    child.expect("2 decision\\(s\\) saved")
    child.expect(pexpect.EOF)
    assert actions(built) == ["accept", "reject", "revert", "edit"]

    # resume: the next run starts after the last claim seen, counting only what is still proposed
    child = spawn(built)
    child.expect(r"(\d+) / 5")
    child.expect("Azerbaijani presidential website")  # the claim on screen when we quit
    child.send("q")
    child.expect(pexpect.EOF)

    from pipeline.store import open_existing

    db = open_existing(built.db)
    rows = dict(db.execute("SELECT substr(quote, 1, 20), status FROM claims").fetchall())
    db.close()
    assert rows["On 24 February, Mold"] == "accepted"
    assert rows["In remarks to journa"] == "proposed"   # rejected, then undone
    assert rows["According to a reado"] == "edited"


def test_decisions_from_the_loop_survive_extract(built):
    child = spawn(built)
    child.expect(r"1 / 7")
    child.send("r")
    child.expect(r"2 / 7")
    child.send("q")
    child.expect(pexpect.EOF)
    run(built, processes=1, force=True)
    from pipeline.store import open_existing

    db = open_existing(built.db)
    assert db.execute("SELECT status FROM claims WHERE quote LIKE 'On 24 February%'").fetchone() == ("rejected",)
    db.close()


def test_a_new_speaker_goes_to_the_gazetteer_file_during_review(built):
    child = spawn(built)
    child.expect(r"1 / 7")
    child.send("e")
    child.expect("field")
    child.sendline("speaker")
    child.expect("new value")
    child.sendline("Natalia Example")
    child.expect("not in the gazetteer")
    child.sendline("MD")
    child.expect(r"2 / 7")
    child.send("q")
    child.expect(pexpect.EOF)
    gazetteer = (built.annotations / "gazetteer.toml").read_text(encoding="utf-8")
    assert 'id = "md-natalia-example"' in gazetteer and 'country = "MD"' in gazetteer
    from pipeline.store import open_existing

    db = open_existing(built.db)
    assert db.execute("SELECT speaker, speaker_id, status FROM claims WHERE quote LIKE 'On 24 February%'").fetchone() \
        == ("Natalia Example", "md-natalia-example", "edited")
    db.close()
