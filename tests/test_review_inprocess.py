"""The review loop run inside the test process (test_review_loop.py drives the real program in a
terminal, which mutation testing cannot see): its keys, messages, screens and the terminal's
line editing, each pinned to what the reviewer must see. The brief is tests/data/style4 (written
for the test suite); its seven claims in reading order are C[0] .. C[6]."""

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.curation import review
from pipeline.curation.review import Session, Terminal, list_conflicts, list_orphans, printable, queue, screen
from pipeline.extract import run as extract
from conftest import extracted

DATA = Path(__file__).parent / "data"
KEYS = "(a)ccept (r)eject (e)dit (n)ew e(v)idence (s)kip (u)ndo (q)uit"


@pytest.fixture(scope="module")
def once(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review")
    extracted(tmp, [DATA / "style4" / "brief.txt", DATA / "style4" / "manifest.toml"], {})
    return tmp


@pytest.fixture
def built(once, tmp_path, monkeypatch):
    """A fresh copy of the built corpus, in an 80x24 terminal."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    shutil.copytree(once, tmp_path / "w")
    return Settings(corpus=tmp_path / "w" / "corpus", db=tmp_path / "w" / "claims.db",
                    annotations=tmp_path / "w" / "notes")


def ids(settings, status="proposed"):
    return [i for i, _ in queue(settings.db, None, None, status)]


def loop(settings, typed: str, **kw) -> str:
    out = io.StringIO()
    assert review.run(settings.db, settings.annotations, inp=io.StringIO(typed), out=out, reviewer="Tester", **kw) == 0
    return out.getvalue()


def decisions(settings):
    path = settings.annotations / "decisions" / "brief.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def status(settings, claim):
    from pipeline.store import claim_context

    return claim_context(settings.db, claim)


def said(out: str) -> str:
    """The output with its lines joined: a message wrapped to the terminal's width reads whole."""
    return " ".join(out.splitlines())


def headers(out: str) -> list[str]:
    return [line.split("  ")[0].removeprefix("claimtrace review ") for line in out.splitlines()
            if line.startswith("claimtrace review ")]


# --- the queue ----------------------------------------------------------------------------------

def test_the_queue_is_in_reading_order_and_filtered(built):
    items = queue(built.db, None, None, "proposed")
    assert len(items) == 7
    assert [k for _, k in items] == sorted(k for _, k in items)             # document, paragraph, offset
    assert [status(built, i)["quote"][:10] for i, _ in items[:3]] == ["On 24 Febr", "In remarks", "According "]
    assert [status(built, i)["reported_by"] for i, _ in queue(built.db, None, "KZ", "proposed")] == ["KZ"]
    assert len(queue(built.db, "brief", None, "proposed")) == 7 and queue(built.db, "other", None, "proposed") == []
    assert queue(built.db, None, None, "accepted") == []


def test_nothing_to_review(built):
    assert loop(built, "a\n", side="XX") == "nothing to review with these filters\n"
    assert decisions(built) == []


# --- keys ---------------------------------------------------------------------------------------

def test_accept_reject_undo_skip_edit_quit(built):
    c = ids(built)
    out = loop(built, "a\nr\nu\ns\ne\nstance\nneutral\n\nq\n")
    assert headers(out) == ["1 / 7", "2 / 7", "3 / 7", "2 / 7", "3 / 7",     # a, r, u (back), s
                            "3 / 7", "3 / 7", "3 / 7", "4 / 7"]              # e: the field, the value, saving
    for said in (f"accepted {c[0]} (saved)", f"rejected {c[1]} (saved)", f"undid the reject of {c[1]}",
                 f"skipped {c[1]}", f"edited {c[2]}: stance=neutral (saved)"):
        assert said in out.splitlines()
    assert out.endswith(f"\n2 decision(s) saved in {built.annotations / 'decisions'}; run `claimtrace review` "
                        "to go on.\n")
    assert [(d["action"], d["claim_id"], d["fields"], d["reviewer"]) for d in decisions(built)] == [
        ("accept", c[0], {}, "Tester"), ("reject", c[1], {}, "Tester"), ("revert", c[1], {}, "Tester"),
        ("edit", c[2], {"stance": "neutral"}, "Tester")]
    assert [status(built, i)["status"] for i in c[:3]] == ["accepted", "proposed", "edited"]
    assert "\x1b" not in out and out.startswith("\nclaimtrace review 1 / 7")   # plain text, no escape codes


def test_the_next_review_goes_on_after_the_last_claim_done(built):
    c = ids(built)
    loop(built, "s\ns\na\nq\n")                                               # done with C[0], C[1], C[2]
    state = json.loads((built.db.parent / "claims.review-state.json").read_text(encoding="utf-8"))
    assert state["last"] == c[2]
    out = loop(built, "q\n")
    assert headers(out) == ["3 / 6"] and f"  id              {c[3]}" in out     # six still proposed; C[3] is third
    out = loop(built, "s\ns\ns\ns\ns\ns\na\n")                              # on past the end to the start:
    assert headers(out) == ["3 / 6", "4 / 6", "5 / 6", "6 / 6", "1 / 6", "2 / 6"]  # each claim once, then done
    assert "\n0 decision(s) saved in" in out and decisions(built)[-1]["action"] == "accept"


def test_a_state_file_that_is_not_json_starts_at_the_first_claim(built):
    (built.db.parent / "claims.review-state.json").write_text("{broken", encoding="utf-8")
    assert headers(loop(built, "q\n")) == ["1 / 7"]
    (built.db.parent / "claims.review-state.json").write_text('{"key": null}', encoding="utf-8")
    assert headers(loop(built, "q\n")) == ["1 / 7"]


@pytest.mark.parametrize("typed", ["", "\x04\n", "Q\n"])
def test_end_of_input_ctrl_d_and_q_quit(built, typed):
    out = loop(built, typed)
    assert headers(out) == ["1 / 7"] and "\n0 decision(s) saved in" in out and decisions(built) == []


def test_unknown_keys_and_words_are_refused_and_a_capital_is_a_key(built):
    c = ids(built)
    out = loop(built, "x\naccept\n\x1b[A\nA\nq\n")
    assert f"unknown key 'x': {KEYS}" in out.splitlines()
    assert f"'accept' is not a key; press one key: {KEYS}" in said(out)     # wrapped to the width
    assert "'\\x1b[a' is not a key" in out                                   # an arrow key, shown, not sent
    assert headers(out) == ["1 / 7", "1 / 7", "1 / 7", "1 / 7", "2 / 7"]
    assert [d["action"] for d in decisions(built)] == ["accept"] and decisions(built)[0]["claim_id"] == c[0]


def test_undo_with_nothing_to_undo(built):
    out = said(loop(built, "u\nq\n"))
    assert "nothing to undo in this session (`claimtrace undo CLAIM_ID` takes back older decisions)" in out
    assert out.count("claimtrace review 1 / 7") == 2


def test_undo_goes_back_to_the_claim_and_restores_it(built):
    c = ids(built)
    out = loop(built, "e\nstance\nopposes\n\nu\nq\n")
    assert f"undid the edit of {c[0]}" in out and headers(out)[-1] == "1 / 7"
    row = status(built, c[0])
    assert (row["status"], row["stance"]) == ("proposed", None)
    assert "0 decision(s) saved" in out


# --- editing fields -----------------------------------------------------------------------------

def test_edit_errors_kept_values_emptied_values_and_several_fields(built):
    c = ids(built)
    out = said(loop(built, "e\nspekaer\nxyz\nstance\nmaybe\nopposes\ndate\n\nspeaker\n-\nreported_by\nkz\n\nq\n"))
    assert "Error: no field 'spekaer'; did you mean 'speaker'? Fields: speaker, reported_by, " in out
    assert "Error: no field 'xyz' Fields: speaker" in out                    # no close field: no guess
    assert "stance: now (empty); allowed: supports, neutral, opposes" in out
    assert "Error: stance='maybe'" in out
    assert "stance will be opposes; another field, or Enter to save" in out
    assert "date kept as it is" in out
    assert "speaker will be emptied; another field, or Enter to save" in out
    assert "reported_by will be KZ; another field, or Enter to save" in out   # checked and normalised
    assert "  stance          (empty) -> opposes" in out                          # what is pending, before saving
    assert "  speaker         Maia Sandu -> (empty)" in out
    (d,) = decisions(built)
    assert (d["action"], d["claim_id"], d["fields"]) == ("edit", c[0], {"stance": "opposes", "speaker": None, "speaker_id": None,
                                                                         "reported_by": "KZ"})
    assert f"edited {c[0]}: stance=opposes, speaker=None, reported_by=KZ (saved)" in out


@pytest.mark.parametrize("typed", ["e\n\nq\n", "e\n\x1b\nq\n", "e\nstance\n\x1b\nq\n"])
def test_an_edit_with_nothing_or_cancelled_saves_nothing(built, typed):
    c = ids(built)
    out = loop(built, typed)
    assert f"edit of {c[0]} cancelled; nothing saved" in out and decisions(built) == []
    assert headers(out)[-1] == "1 / 7"


def test_a_new_speaker_is_offered_to_the_gazetteer_and_a_bad_code_asked_again(built):
    c = ids(built)
    out = loop(built, "e\nspeaker\nNatalia Example\nzz\nMD\n\nq\n")
    assert "'Natalia Example' is not in the gazetteer. Country code to add this person (Enter or Esc: no): " in out
    assert "Error: country='zz'" in out and "Country code (Enter or Esc: no): " in out
    gazetteer = (built.annotations / "gazetteer.toml").read_text(encoding="utf-8")
    assert 'id = "md-natalia-example"' in gazetteer and 'country = "MD"' in gazetteer
    row = status(built, c[0])
    assert (row["speaker"], row["speaker_id"], row["status"]) == ("Natalia Example", "md-natalia-example", "edited")


def test_a_new_speaker_refused_at_the_country_is_asked_for_again(built):
    out = loop(built, "e\nspeaker\nNatalia Example\n\nMaia Sandu\n\nq\n")
    assert "Error: speaker=" in out and "not in the gazetteer" in out       # the refusal, then the value again
    assert not (built.annotations / "gazetteer.toml").exists()
    assert [d["fields"] for d in decisions(built)] == [{"speaker": "Maia Sandu", "speaker_id": "md-sandu"}]


# --- new claims and moved evidence --------------------------------------------------------------

def test_a_missed_claim_is_added_after_a_refusal_and_undone(built):
    c = ids(built)
    out = loop(built, "n\nwords the brief never uses\nWestern governments were not convinced.\nreported_by\nUA\n\nu\nq\n")
    assert "new claim in brief: type its exact words as the document has them" in out
    assert "Error: " in out and "is not in document 'brief'" in out
    assert "'Western governments were not convinced.': edit fields:" in out   # the fields asked with the words
    added = [line for line in out.splitlines() if line.startswith("added c")]
    assert added and added[0].endswith(" to brief (saved); the claim on screen is still to decide")
    assert "undid the add of " in out and headers(out)[-1] == "1 / 7"
    assert [d["action"] for d in decisions(built)] == ["add", "revert"]
    assert ids(built)[:1] == c[:1]


@pytest.mark.parametrize("typed", ["n\n\x1b\nq\n", "n\n   \nq\n", "n\nWestern governments were not convinced.\n\x1b\nq\n"])
def test_adding_cancelled_adds_nothing(built, typed):
    out = loop(built, typed)
    assert "nothing added" in out and decisions(built) == []


def test_evidence_moved_refused_kept_and_undone(built):
    c = ids(built)
    out = loop(built, "v\nMoldova's President Maia Sandu warned that\nv\nwords the brief never uses\nv\n\x1b\nu\nq\n")
    assert f"moved the evidence of {c[0]} (saved)" in out
    assert "Error: " in out and "is not in document 'brief'" in out       # refused: the loop goes on
    assert f"evidence of {c[0]} kept" in out
    assert f"undid the edit of {c[0]}" in out
    row = status(built, c[0])
    assert row["quote"].startswith("On 24 February, Moldova's President Maia Sandu warned that the country")
    assert headers(out) == ["1 / 7"] * 5


# --- the screen ---------------------------------------------------------------------------------

class Fixed(Terminal):
    def __init__(self, tty: bool, width: int = 80, height: int = 24):
        super().__init__(io.StringIO(), io.StringIO())
        self.tty, self._size = tty, (width, height)

    def size(self):
        return self._size


def row(**kw):
    base = {"doc_id": "d", "p_seq": 4, "section": "KZ", "language": "en", "p_text": "Before. The evidence. After.",
            "start": 8, "end": 21, "id": "c0", "speaker": "Tokayev", "reported_by": "KZ", "date": "2022-03-02",
            "source": None, "text": "The evidence.", "confirmation": None, "stance": None, "event_id": None,
            "status": "proposed", "side_rule": "channel", "date_basis": "stated"}
    return {**base, **kw}


def test_a_screen_on_a_terminal_and_in_plain_text():
    tty = screen(row(), 2, 9, "the last message", Fixed(True))
    assert tty.startswith("\x1b[2J\x1b[H" + "claimtrace review 2 / 9  d ¶4 · KZ · en\n" + KEYS + "\n\n")
    assert "Before. \x1b[7mThe evidence.\x1b[0m After.\n" in tty
    assert "\n  speaker         Tokayev\n" in tty and "\n  reported_by     KZ  (channel)\n" in tty
    assert "\n  date            2022-03-02  (stated)\n" in tty and "\n  source          \n" in tty
    assert tty.endswith("\n\nthe last message\n")
    plain = screen(row(section=None, language=None), 2, 9, "m", Fixed(False))
    assert plain.startswith("\nclaimtrace review 2 / 9  d ¶4\n") and "Before. [[The evidence.]] After." in plain
    assert "\x1b" not in plain


def test_every_field_name_stands_apart_from_its_value():
    out = screen(row(citation_status="supported", cites_doc="kremlin-1"), 1, 1, "m", Fixed(True, 120))
    fields = [line for line in out.splitlines() if line.startswith("  ")]
    assert "  citation_status supported" in fields and "  cites_doc       kremlin-1" in fields
    assert len({line.index(line.split()[1], 2 + len(line.split()[0])) for line in fields if len(line.split()) > 1}) == 1


def test_the_header_and_fields_are_clipped_and_the_message_wrapped_to_three_lines():
    out = screen(row(doc_id="d" * 100, speaker="S" * 100), 1, 1, "word " * 60, Fixed(True, 40, 30))
    lines = out.removeprefix("\x1b[2J\x1b[H").splitlines()
    assert lines[0] == ("claimtrace review 1 / 1  " + "d" * 100)[:39] + "…"
    assert max(len(line) for line in lines) <= 40
    assert f"  speaker         {'S' * 100}"[:39] + "…" in lines
    assert lines[-3:] == ["word " * 7 + "word", "word " * 7 + "word", "word " * 7 + "word"]


def test_a_long_evidence_is_shown_from_its_start_and_marked_on_every_line():
    text = "Opening words. " + "evidence " * 120 + "closing."
    s = len("Opening words. ")
    out = screen(row(p_text=text, start=s, end=len(text) - len(" closing.")), 1, 1, "m", Fixed(True, 40, 24))
    lines = out.removeprefix("\x1b[2J\x1b[H").splitlines()
    assert len(lines) == 23 and lines[2] == "" and lines[7] == ""         # room for four lines of it
    para = lines[3:7]
    assert para[0] == "Opening words. \x1b[7mevidence evidence\x1b[0m"   # from where the evidence starts
    assert para[1:3] == ["\x1b[7mevidence evidence evidence evidence\x1b[0m"] * 2
    assert para[3] == "\x1b[7mevidence evidence evidence evidence…\x1b[0m"  # cut below, and said so


def test_a_short_evidence_deep_in_a_paragraph_is_shown_with_a_line_above():
    text = "Filler words here. " * 30 + "The evidence." + " More filler." * 30
    s = text.index("The evidence.")
    out = screen(row(p_text=text, start=s, end=s + len("The evidence.")), 1, 1, "m", Fixed(False, 40, 24))
    lines = out.lstrip("\n").splitlines()
    para = lines[3:7]
    assert para[0].startswith("…") and "Filler" in para[0] and "[[" not in para[0]   # one line of context above
    assert "[[The evidence.]]" in " ".join(para).replace("]] [[", " ") and para[3].endswith("…")


# --- the terminal: single keys and an editable line ---------------------------------------------

class TtyOut(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def pty_term():
    import termios

    master, slave = os.openpty()
    inp = os.fdopen(slave, "r", encoding="utf-8")
    mode = termios.tcgetattr(slave)
    mode[3] &= ~termios.ECHO  # nothing reads the echo here, and a full echo would keep TCSADRAIN waiting
    termios.tcsetattr(slave, termios.TCSANOW, mode)
    before = termios.tcgetattr(slave)
    term = Terminal(inp, TtyOut())
    yield term, (lambda data: os.write(master, data.encode("utf-8")))
    assert termios.tcgetattr(slave) == before                               # the terminal's mode is given back
    inp.close()
    os.close(master)


def test_a_key_on_a_terminal_comes_without_enter_and_a_word_comes_whole(pty_term):
    term, typed = pty_term
    assert term.tty and term.in_tty
    typed("a")
    assert term.key() == "a"
    typed("maybe")
    assert term.key() == "maybe"
    typed("é")
    assert term.key() == "é"


def test_a_line_on_a_terminal_is_edited_as_typed(pty_term):
    import termios
    import tty

    term, typed = pty_term
    cooked = termios.tcgetattr(term.inp.fileno())
    tty.setcbreak(term.inp.fileno(), termios.TCSANOW)  # as if typed after line() began: no line discipline
    typed("stancx\x7fe\r")
    assert term.line("field: ") == "stance"
    assert term.out.getvalue() == "field: stancx\b \be\n"
    typed("wrong\x15right\x01\n")                                           # Ctrl-U clears; Ctrl-A is ignored
    assert term.line("> ") == "right"
    typed("\x7f\x7fok\r")                                                  # backspace on nothing: nothing
    assert term.line("") == "ok"
    typed("half\x1b")
    assert term.line("") is None                                           # Esc cancels
    assert term.out.getvalue().endswith("half\n")
    termios.tcsetattr(term.inp.fileno(), termios.TCSANOW, cooked)


def test_the_terminal_size_is_kept_within_bounds(monkeypatch):
    term = Terminal(io.StringIO(), io.StringIO())
    for cols, lines, expect in (("200", "10", (120, 16)), ("20", "50", (40, 50)), ("90", "30", (90, 30))):
        monkeypatch.setenv("COLUMNS", cols)
        monkeypatch.setenv("LINES", lines)
        assert term.size() == expect


def test_lines_when_not_a_terminal():
    term = Terminal(io.StringIO("one\n\x1b\n  two  \n"), io.StringIO())
    assert not term.tty and not term.in_tty
    assert term.line("p: ") == "one" and term.line("") is None and term.key() == "two"
    assert term.key() == "q" and term.line("") is None                      # input ended
    assert term.out.getvalue() == "p: "


# --- listings -----------------------------------------------------------------------------------

def test_printable_shows_control_characters():
    assert printable("Ann\x1b[2J\tB") == "Ann\\x1b[2J\\tB" and printable("Zoë") == "Zoë"


def test_no_orphans_and_no_conflicts(built):
    out = io.StringIO()
    assert list_orphans(built.db, out) == 0 and out.getvalue() == "no orphaned decisions\n"
    out = io.StringIO()
    assert list_conflicts(built.annotations, out) == 0 and out.getvalue() == "no conflicting decisions\n"


def test_orphans_are_listed_with_file_line_and_quote(built):
    c = ids(built)
    loop(built, "a\nq\n")
    path = built.corpus / "brief.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("warned that the country was ready to receive refugees",
                                                             "said nothing of note"), encoding="utf-8")
    extract(built, processes=1)
    out = io.StringIO()
    assert list_orphans(built.db, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == (f"{built.annotations / 'decisions' / 'brief.jsonl'}:1: accept {c[0]} in brief: "
                        "the quoted evidence is no longer in the document")
    assert lines[1].startswith("    quote: \"On 24 February, Moldova's President Maia Sandu warned")
    assert lines[2] == "1 orphaned decision(s): kept in their files; fix the quote there or decide again."


def test_conflicts_name_each_reviewer_and_the_decision_applied(built):
    from pipeline.curation.decide import decide

    c = ids(built)
    decide(built.db, built.annotations, c[0], "accept", reviewer="Ann\x1b[2J")
    decide(built.db, built.annotations, c[0], "edit", {"stance": "opposes"}, reviewer="Bo")
    out = io.StringIO()
    assert list_conflicts(built.annotations, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{c[0]} in brief:"
    assert lines[1].endswith("  Ann\\x1b[2J: accept") and lines[2].endswith("  Bo: edit stance=opposes  <- applied")
    assert lines[3] == "1 claim(s) decided differently by two reviewers; decide again to settle one."


def test_session_step_keeps_what_undo_needs(built):
    from pipeline.store import claim_context

    c = ids(built)
    session = Session(built.db, built.annotations, Fixed(False), "Tester")
    row0 = claim_context(built.db, c[0])
    assert session.step("r", row0, 0, lambda *a: None) == (f"rejected {c[0]} (saved)", 1)
    assert session.decided == 1 and session.history[0][1]["status"] == "proposed" and session.history[0][2] == 0
    assert session.step("?", row0, 0, lambda *a: None) == (f"unknown key '?': {KEYS}", None)
    assert session.step("u", claim_context(built.db, c[0]), 3, lambda *a: None) == (f"undid the reject of {c[0]}", 0)
    assert session.decided == 0 and session.history == []


# --- written from the mutation run's survivors: exact messages, prompts and resume points -------

def lines_of(out: str) -> list[str]:
    return out.splitlines()


def test_the_prompts_and_the_first_message_are_exactly_these(built):
    out = loop(built, "e\nstance\n\x1b\nn\n\x1b\nv\n\x1b\nu\nq\n")
    assert "each decision is saved at once; q quits, and the next review goes on from here" in lines_of(out)
    assert "\n> " in out and "XX" not in out
    for prompt in ("field to edit (Enter saves, Esc cancels): ",
                   "new value for stance (Enter keeps, - empties, Esc cancels the edit): ",
                   "words of the missed claim (Esc cancels): ",
                   "the claim's evidence: its exact words in this document (Esc cancels): "):
        assert prompt in out
    assert "edit fields: speaker reported_by date source text confirmation stance" in out
    said_lines = lines_of(out)
    assert "nothing added" in said_lines
    assert "nothing to undo in this session (`claimtrace undo CLAIM_ID` takes back older decisions)" in said(out)
    assert [x for x in said_lines if x.startswith("nothing to undo")][0] == \
        "nothing to undo in this session (`claimtrace undo CLAIM_ID` takes back older"


def test_a_two_letter_word_is_not_a_key(built):
    out = loop(built, "ar\nq\n")
    assert "'ar' is not a key" in out and decisions(built) == []


def test_resume_after_a_skipped_claim_and_after_the_last_one(built):
    c = ids(built)
    loop(built, "s\ns\nq\n")                                   # C[1] skipped last: still proposed
    out = loop(built, "q\n")
    assert headers(out) == ["3 / 7"] and f"  id              {c[2]}" in out
    loop(built, "s\ns\ns\ns\ns\n")                             # on to the end: C[6] done last
    assert headers(loop(built, "q\n")) == ["1 / 7"]            # nothing after it: from the start


def test_the_document_filter_reaches_the_queue(built):
    assert loop(built, "q\n", doc="other") == "nothing to review with these filters\n"
    assert headers(loop(built, "q\n", doc="brief")) == ["1 / 7"]
    assert headers(loop(built, "q\n", side="KZ")) == ["1 / 1"]


def test_an_added_claim_records_its_fields_reviewer_and_shows_a_blank_claim_while_typed(built):
    out = loop(built, "n\nWestern governments were not convinced.\nspeaker\nDmytro Kuleba\nreported_by\nUA\n\nq\n")
    (d,) = decisions(built)
    assert (d["action"], d["reviewer"]) == ("add", "Tester")
    assert d["fields"]["reported_by"] == "UA" and d["fields"]["speaker"] == "Dmytro Kuleba"
    assert d["fields"]["speaker_id"] == "ua-kuleba"                      # checked against the gazetteer
    typed = out[out.index("words of the missed claim (Esc cancels): "):]           # the screens while typing
    assert "  id              (new)\n" in typed and "  status          \n" in typed
    assert "  reviewer        \n" in typed and "  event_id        \n" in typed
    assert "  reported_by     (empty) -> UA" in typed                       # what is pending, while typed
    assert "[[Western governments were not convinced.]]" in typed           # the new claim's words marked,
    assert "claimtrace review 1 / 7  brief ¶5 · BY · en" in typed            # in their own paragraph
    assert "  speaker         Maia Sandu" not in typed.split("speaker will be")[0]  # not the claim on screen
    assert "'Western governments were not convinced.': speaker will be Dmytro Kuleba" in said(typed)


def test_an_added_claim_that_cannot_be_saved_says_why_and_asks_again(built):
    # the words stand in the document, but a second add of the same words is refused by add_claim
    loop(built, "n\nWestern governments were not convinced.\nreported_by\nUA\n\nq\n")
    out = loop(built, "n\nWestern governments were not convinced.\nreported_by\nUA\n\n\x1b\nq\n")
    assert "Error: " in out and "nothing added" in out
    assert [d["action"] for d in decisions(built)] == ["add"]


def test_an_edit_shows_the_current_value_and_the_pending_ones_while_asking(built):
    out = loop(built, "e\nstance\nopposes\nspeaker\n\x1b\nq\n")
    assert "speaker: now Maia Sandu; allowed: " in out                  # the value there now
    asking = out[:out.index("speaker: now Maia Sandu")].split("claimtrace review")[-1]  # that screen
    assert "  stance          (empty) -> opposes" in asking               # with the value pending


def test_moved_evidence_records_the_reviewer_and_undo_returns_to_the_claim(built):
    c = ids(built)
    out = loop(built, "s\nv\nIn remarks to journalists on the same day\nu\nq\n")
    assert [(d["action"], d["reviewer"]) for d in decisions(built)] == [("edit", "Tester"), ("revert", "Tester")]
    assert f"undid the edit of {c[1]}" in out and headers(out)[-1] == "2 / 7"


def test_a_new_speaker_gets_an_id_from_country_and_name_and_no_aliases(built):
    loop(built, "e\nspeaker\n-Natalia  Example-\nMD\n\nq\n")
    gazetteer = (built.annotations / "gazetteer.toml").read_text(encoding="utf-8")
    assert 'id = "md-natalia-example"' in gazetteer
    import tomllib

    (entry,) = [a for a in tomllib.loads(gazetteer)["actor"] if a["id"] == "md-natalia-example"]
    assert entry.get("aliases", []) == [] and entry.get("adjectives", []) == []


def test_a_line_ending_in_cr_lf_and_spaces_is_one_key():
    term = Terminal(io.StringIO("a\r\n"), io.StringIO())
    assert term.key() == "a"
    term = Terminal(io.StringIO("text\r\n"), io.StringIO())
    assert term.line("") == "text\r"                                     # only the newline goes


# --- the paragraph's window, line by line: twelve six-letter words, one to a line -------------------

WORDS = [f"word{n:02}" for n in range(1, 13)]
TWELVE = " ".join(WORDS)


def window(first: str, last: str, tty: bool = False, width: int = 15, height: int = 24) -> list[str]:
    """The paragraph lines of a screen whose evidence runs from word `first` to word `last`. In plain
    output a 15-column screen wraps at 15 - 1 - len("[[]]") = 10 columns: two words never share a line.
    24 rows leave 24 - 3 (header) - 13 (fields) - 1 (message) - 3 (two blank lines, the prompt) = 4."""
    s, e = TWELVE.index(first), TWELVE.index(last) + len(last)
    out = screen(row(p_text=TWELVE, start=s, end=e), 1, 1, "m", Fixed(tty, width, height))
    lines = out.removeprefix("\x1b[2J\x1b[H").lstrip("\n").splitlines()
    assert lines[2] == "" and lines[-2] == "" and lines[-1] == "m"
    return lines[3:lines.index("", 3)]


def test_the_window_keeps_a_line_above_the_evidence_and_says_where_it_cuts():
    assert window("word06", "word06") == ["…word05", "[[word06]]", "word07", "word08…"]
    assert window("word03", "word03") == ["…word02", "[[word03]]", "word04", "word05…"]   # cut after one line
    assert window("word02", "word02") == ["word01", "[[word02]]", "word03", "word04…"]    # nothing cut above
    assert window("word01", "word01") == ["[[word01]]", "word02", "word03", "word04…"]


def test_the_window_ends_with_the_paragraph_when_the_evidence_is_near_its_end():
    assert window("word11", "word11") == ["…word09", "word10", "[[word11]]", "word12"]
    assert window("word12", "word12") == ["…word09", "word10", "word11", "[[word12]]"]


def test_an_evidence_as_long_as_the_window_starts_it_and_is_marked_on_every_line():
    assert window("word03", "word06") == ["…[[word03]]", "[[word04]]", "[[word05]]", "[[word06]]…"]
    assert window("word03", "word05") == ["…word02", "[[word03]]", "[[word04]]", "[[word05]]…"]  # one line shorter


def test_a_short_terminal_still_shows_three_lines_of_the_paragraph():
    # 22 rows leave 22 - 20 = 2 for the paragraph: it gets three all the same
    assert window("word06", "word06", height=22) == ["…word05", "[[word06]]", "word07…"]


def test_a_terminal_wraps_at_the_width_less_one_column_for_the_cut_mark():
    # no [[ ]] on a terminal: 14 columns wrap at 13, where two six-letter words fit
    lines = window("word01", "word01", tty=True, width=14)
    assert lines == ["\x1b[7mword01\x1b[0m", "word02 word03", "word04 word05", "word06 word07…"]


def test_a_header_exactly_as_wide_as_the_screen_is_not_cut_and_the_message_has_three_lines_at_most():
    doc = "d" * (40 - len("claimtrace review 1 / 1  " + " ¶4"))
    out = screen(row(doc_id=doc, section=None, language=None), 1, 1, "word " * 60, Fixed(False, 40, 30))
    lines = out.lstrip("\n").splitlines()
    assert lines[0] == f"claimtrace review 1 / 1  {doc} ¶4" and len(lines[0]) == 40
    assert lines[-4] == "" and lines[-3:] == ["word " * 7 + "word"] * 3


def test_a_missed_claim_mid_paragraph_is_marked_there_with_no_machine_reasons(built):
    out = loop(built, "n\nAlexander Lukashenko as saying\nspeaker\nAlexander Lukashenko\n\nq\n")
    typed = out[out.index("words of the missed claim (Esc cancels): "):out.index("added c")]
    flat = said(typed).replace("]] [[", " ")
    assert "BelTA quoted [[Alexander Lukashenko as saying]] on 27 February" in flat    # not to the paragraph's end
    first = typed.split("field to edit")[0]                                  # the new claim before any value
    assert "\n  date            \n" in first and "\n  reported_by     \n" in first     # no machine basis shown
    assert "(stated)" not in first and "(own words)" not in first and "(channel)" not in first


def test_words_of_a_missed_claim_not_in_the_document_are_refused_with_the_prompts_name_for_them(built):
    out = loop(built, "n\nwords the brief never uses\n\x1b\nq\n")
    assert "Error: the words 'words the brief never uses' is not in document 'brief'" in said(out)
