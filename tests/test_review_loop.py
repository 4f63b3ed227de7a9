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
    child.expect("field to edit")        # another field, or Enter to save the edit
    child.sendline("")
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
    child.expect("field to edit")
    child.sendline("")
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


# --- issue 12: in a real 80x24 terminal, as the person sees it (pyte keeps the screen) ---

class Seen:
    """The program in an 80x24 terminal, and what that terminal shows now."""

    def __init__(self, settings, *args):
        import pyte

        self.child = pexpect.spawn(CLI, ["--corpus", str(settings.corpus), "--db", str(settings.db),
                                         "--annotations", str(settings.annotations), "review", *args],
                                   encoding="utf-8", timeout=30, dimensions=(24, 80))
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.Stream(self.screen)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait(self, needle: str, timeout: float = 30) -> str:
        import time

        end = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > end:
                raise AssertionError(f"{needle!r} never shown; the screen:\n{self.text()}")
            try:
                self.stream.feed(self.child.read_nonblocking(100_000, timeout=0.2))
            except pexpect.TIMEOUT:
                pass
        return self.text()

    def settle(self) -> str:
        """Whatever else arrives within half a second."""
        try:
            while True:
                self.stream.feed(self.child.read_nonblocking(100_000, timeout=0.5))
        except (pexpect.TIMEOUT, pexpect.EOF):
            return self.text()

    def type(self, keys: str, then: str) -> str:
        self.child.send(keys)
        return self.wait(then)


def test_the_screen_fits_80x24_and_a_message_stays_until_the_next_key(built):
    seen = Seen(built)
    seen.wait("1 / 7")
    screen = seen.settle()
    assert seen.screen.display[0].startswith("claimtrace review 1 / 7")     # the header has not scrolled away
    assert "(a)ccept" in seen.screen.display[1]
    assert "Maia Sandu warned" in screen                                     # the evidence is on screen
    highlighted = "".join(ch.data for row in seen.screen.buffer.values() for ch in row.values() if ch.reverse)
    assert "Maia Sandu warned" in highlighted                                # and marked
    assert "stance" in screen and "status" in screen                         # so are the fields
    seen.type("x", "unknown key 'x'")
    screen = seen.settle()                                                   # redrawn, and the message is still there
    assert "unknown key 'x'" in screen and seen.screen.display[0].startswith("claimtrace review 1 / 7")
    seen.type("a", "2 / 7")
    assert "accepted c" in seen.settle() and "(saved)" in seen.text()        # a one-line confirmation
    seen.child.send("q")
    seen.child.expect(pexpect.EOF)


def test_edit_shows_values_reports_errors_takes_several_fields_and_cancels(built):
    seen = Seen(built)
    seen.wait("1 / 7")
    seen.type("e", "field to edit")
    assert "speaker reported_by date source text confirmation stance" in seen.text()
    seen.type("spekaer\r", "did you mean 'speaker'")                        # the error is shown, not lost
    screen = seen.type("stance\r", "new value")
    assert "stance: now" in screen and "allowed: supports, neutral, opposes" in screen
    seen.type("maybe\r", "Error: stance='maybe'")
    assert "new value for stance" in seen.settle()                          # the value is asked again
    seen.type("opposes\r", "stance will be opposes")
    seen.type("date\r", "new value")
    seen.type("\r", "date kept as it is")                                   # an empty answer keeps the value
    seen.type("confirmation\r", "new value")
    seen.type("unconfirmed\r", "confirmation will be unconfirmed")
    seen.type("\r", "2 / 7")                                                 # Enter on no field saves them together
    screen = seen.wait("edited c") and seen.settle()                        # the line may follow the redraw
    assert "edited c" in screen and "stance=opposes" in screen and "confirmation=unconfirmed" in screen
    seen.type("e", "field to edit")
    seen.type("stance\r", "new value")
    seen.type("\x1b", "cancelled; nothing saved")                            # Esc cancels the whole edit
    assert "2 / 7" in seen.text()
    seen.child.send("q")
    seen.child.expect(pexpect.EOF)
    lines = [json.loads(x) for x in (built.annotations / "decisions" / "brief.jsonl").read_text().splitlines()]
    assert [(d["action"], d["fields"]) for d in lines] == [("edit", {"stance": "opposes", "confirmation": "unconfirmed"})]


def test_plain_text_when_not_a_terminal(built):
    import subprocess

    out = subprocess.run([CLI, "--corpus", str(built.corpus), "--db", str(built.db), "--annotations",
                          str(built.annotations), "review"], input="z\na\nq\n", capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout                                         # no escape codes in a file or pipe
    assert "[[On 24 February, Moldova's President Maia Sandu warned" in out.stdout
    assert "unknown key 'z'" in out.stdout and "accepted c" in out.stdout


def test_a_long_paragraph_is_windowed_around_the_evidence():
    import io

    from pipeline.curation.review import Terminal, screen

    filler = "This sentence is filler written for the test and says nothing at all. "
    evidence = "The minister said the border would stay open."
    text = filler * 12 + evidence + " " + filler * 12
    start = text.index(evidence)
    row = {"doc_id": "d", "p_seq": 4, "section": None, "p_text": text, "start": start, "end": start + len(evidence),
           "id": "c0", "speaker": None, "reported_by": "KZ", "date": None, "source": None, "text": evidence,
           "confirmation": None, "stance": None, "event_id": None, "status": "proposed"}

    class Fixed(Terminal):
        def size(self):
            return 80, 24

    out = screen(row, 1, 1, "a message", Fixed(io.StringIO(), io.StringIO()))
    lines = out.strip("\n").splitlines()
    assert len(lines) <= 23 and max(map(len, lines)) <= 80                 # the prompt line still fits below
    assert lines[3].startswith("…") and lines[-1] == "a message"            # cut above the evidence, marked
    joined = " ".join(lines).replace("]] [[", " ")                          # the mark is closed and reopened per line
    assert "[[The minister said the border would stay open.]]" in joined


def test_a_word_typed_at_the_key_prompt_is_never_taken_for_keys(built):
    seen = Seen(built)
    seen.wait("1 / 7")
    seen.type("maybe", "'maybe' is not a key")                              # not: accept, then edit ...
    assert "1 / 7" in seen.settle()
    seen.type("e", "field to edit")
    seen.type("speaker\r", "new value for speaker")
    seen.type("Natalia Example\r", "not in the gazetteer")
    seen.type("maybe\r", "Error: country='maybe'")                          # a bad code: the code again,
    seen.type("MD\r", "speaker will be Natalia Example")                  # still in line mode
    seen.type("\r", "2 / 7")
    seen.child.send("q")
    seen.child.expect(pexpect.EOF)
    lines = [json.loads(x) for x in (built.annotations / "decisions" / "brief.jsonl").read_text().splitlines()]
    assert [d["action"] for d in lines] == ["edit"]


def test_a_word_on_a_line_is_not_a_key_when_not_a_terminal(built):
    import subprocess

    out = subprocess.run([CLI, "--corpus", str(built.corpus), "--db", str(built.db), "--annotations",
                          str(built.annotations), "review"], input="accept\nq\n", capture_output=True, text=True,
                         timeout=60)
    assert "'accept' is not a key" in out.stdout and "accepted c" not in out.stdout


def test_a_missed_claim_is_added_from_the_loop_and_undone(built):
    seen = Seen(built)
    seen.wait("1 / 7")
    seen.type("n", "words of the missed claim")
    seen.type("words the brief never uses\r", "is not in document 'brief'")  # asked again
    seen.type("Western governments were not convinced.\r", "field to edit")
    seen.type("reported_by\r", "new value for reported_by")
    seen.type("UA\r", "reported_by will be UA")
    seen.type("\r", "added c")
    assert "1 / 7" in seen.text()                                           # the claim on screen stays
    claims = [json.loads(x) for x in run_export(built)]
    added = [c for c in claims if c["quote"] == "Western governments were not convinced."]
    assert [(c["reported_by"], c["cue"]) for c in added] == [("UA", "added by a reviewer")]
    seen.type("u", "undid the add")
    seen.child.send("q")
    seen.child.expect(pexpect.EOF)
    assert not [c for c in map(json.loads, run_export(built)) if c["quote"].startswith("Western governments")]


def run_export(built):
    import subprocess

    out = subprocess.run([CLI, "--corpus", str(built.corpus), "--db", str(built.db), "--annotations",
                          str(built.annotations), "export", "claims"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_a_claims_evidence_is_moved_from_the_loop(built):
    seen = Seen(built)
    seen.wait("1 / 7")
    seen.type("v", "the claim's evidence")
    seen.type("Moldova's President Maia Sandu warned that\r", "moved the evidence")
    assert "Moldova's President Maia Sandu warned that" in seen.settle()
    seen.type("v", "the claim's evidence")
    seen.type("words the brief never uses\r", "is not in document 'brief'")   # said; nothing saved
    seen.child.send("q")
    seen.child.expect(pexpect.EOF)
    quotes = [json.loads(x)["quote"] for x in run_export(built)]
    assert "Moldova's President Maia Sandu warned that" in quotes
