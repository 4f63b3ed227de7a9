"""Claims and events: the seed review against a hand-checked list, and a readout pair."""

from pathlib import Path

import pytest
from gold import fetch, score_author, score_claims

from pipeline.config import DEFAULT_CORPUS, Settings
from pipeline.extract import run

DATA = Path(__file__).parent / "data"

# (correct, wrong, sources right) as measured on 2026-12-03, against the hand-checked rows: a change
# may not lose a correct claim, add a wrong one or lose a right channel. These were thresholds
# (precision >= 0.85, recall >= 0.75), which absorbed the loss of any one rule (issue 25).
@pytest.mark.parametrize("corpus, gold, correct, wrong, sources", [
    (DEFAULT_CORPUS, DATA / "review_claims.tsv", 57, 3, 22),       # the seed review
    (DATA / "style3", DATA / "style3" / "claims.tsv", 11, 0, 6),  # a newsroom roundup (straight quotes, "tweeted")
    (DATA / "style4", DATA / "style4" / "claims.tsv", 7, 0, 4),  # a think-tank brief (gold written before the first run)
    (DATA / "style5", DATA / "style5" / "claims.tsv", 7, 0, 3),  # spokesmen, possessive roles, quoting media
    (DATA / "style6", DATA / "style6" / "claims.tsv", 7, 0, 1),  # readout and ministry pages in other layouts
    (DATA / "style7", DATA / "style7" / "claims.tsv", 3, 0, 2),  # an HTML review with country headings
    (DATA / "style8", DATA / "style8" / "claims.tsv", 7, 0, 4),  # unrelated statements: no date leaks
    (DATA / "style9", DATA / "style9" / "claims.tsv", 5, 0, 2),  # a bulletin: advisers, agencies (gold before first run)
    (DATA / "style10", DATA / "style10" / "claims.tsv", 9, 0, 2),  # two ministries' accounts of a meeting (gold first)
    (DATA / "style11", DATA / "style11" / "claims.tsv", 6, 0, 0),  # a readout quoting over several sentences
    (DATA / "style12", DATA / "style12" / "claims.tsv", 6, 0, 2),  # passive and formal attributions
    (DATA / "style13", DATA / "style13" / "claims.tsv", 6, 0, 4),  # "its" ministries, Baltic leaders (gold first)
    (DATA / "style14", DATA / "style14" / "claims.tsv", 4, 0, 0),  # metonyms, de facto leaders (gold first)
])
def test_claims_against_hand_checked_lists(tmp_path, corpus, gold, correct, wrong, sources):
    settings = Settings(corpus=corpus, db=tmp_path / "claims.db", annotations=tmp_path / "none")
    run(settings, processes=1)
    result = score_claims(gold, settings.db)
    print(f"\n{gold.relative_to(DATA)}: precision {result['precision']:.3f}, recall {result['recall']:.3f} "
          f"({result['correct']} correct, {result['found']} found, {result['expected']} expected)")
    print(f"source: {result['source_right']}/{result['source_checked']} rows whose sentence names the channel")
    assert result["correct"] >= correct, (result["wrong"], result["missing"])
    assert result["found"] - result["correct"] <= wrong, result["wrong"]
    assert result["source_right"] >= sources, [w for w in result["wrong"] if w[0] == "wrong source"]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seed-claims")
    settings = Settings(corpus=DEFAULT_CORPUS, db=tmp / "seed.db", annotations=tmp / "none")
    run(settings, processes=1)
    return settings.db


@pytest.mark.parametrize("start, confirmation", [
    ("According to Kremlin reports, Mr. Mirziyoyev", "unconfirmed"),  # "no confirmation ... from the Uzbek side"
    ("According to the Kremlin, the sides discussed", "unconfirmed"),
    ("On March 1, the Ukrainian side also announced", "unconfirmed"),  # "the information is not confirmed"
    ("A statement issued by the Office of the Prime", "unconfirmed"),  # "did not mention the issue of Ukraine"
    # the Uzbek statement lands in the event of the 25 February call, whose Kremlin account
    # carries none of it: one-sided, hence unconfirmed
    ("The Presidential Administration of Uzbekistan", "unconfirmed"),
    ("Mr. Berdimuhamedow has repeatedly stressed", ""),
])
def test_confirmation_notes_attach_to_their_claims(seed_db, start, confirmation):
    rows = fetch(seed_db, f"SELECT coalesce(confirmation, '') FROM claims WHERE quote LIKE '{start}%'")
    assert rows == {(confirmation,): 1}


def test_review_accounts_of_one_call_from_two_sides_form_one_event(seed_db):
    rows = fetch(seed_db, "SELECT e.kind, e.sides, e.participants FROM events e WHERE e.date = '2022-02-25' AND e.kind = 'call'")
    assert rows == {("call", '["RU", "UZ"]', '["Shavkat Mirziyoyev", "Vladimir Putin"]'): 1}
    # a tweet about something else on the same day stays out of the 26 February call
    tweet = fetch(seed_db, "SELECT event_id FROM claims WHERE quote LIKE 'Mr. Zelensky wrote on his Twitter%'")
    assert tweet == {("",): 1}


def test_author_assessments_are_kept_apart(seed_db):
    rows = fetch(seed_db, "SELECT substr(quote, 1, 25), speaker FROM claims WHERE reported_by = 'author'")
    starts = {r[0] for r in rows}
    assert "Undoubtedly, the success " in starts and "This will be a severe blo" in starts
    assert all(r[1] == "" for r in rows)
    # scored apart against the analyst's own assessments, read off the review (tests/data/review_author.tsv)
    result = score_author(DATA / "review_author.tsv", seed_db)
    print(f"\nauthor claims: precision {result['precision']:.2f}, recall {result['recall']:.2f} "
          f"({result['correct']} right of {result['found']}; {result['expected']} expected)")
    # as measured on 2026-12-03: 8 of the 21 found, none wrong (most assessments carry no marker we read)
    assert result["wrong"] == [], result["wrong"]
    assert result["expected"] - len(result["missing"]) >= 8, result["missing"]


def test_readout_pair_and_review_form_one_event(pair_db):
    events = fetch(pair_db, "SELECT id, kind, date, sides, docs FROM events")
    assert len(events) == 1
    ((eid, kind, date, sides, docs),) = events
    assert (kind, date) == ("call", "2022-02-25")
    assert sides == '["RU", "UZ"]'
    assert docs == '["review", "ru-readout-uz-0225", "uz-readout-ru-0225"]'


def test_one_sided_claims_are_flagged(pair_db):
    rows = fetch(pair_db, "SELECT doc_id, substr(quote, 1, 40), speaker, reported_by, source, one_sided, confirmation "
                          "FROM claims WHERE event_id IS NOT NULL")
    def by_start(prefix):
        (row,) = [r for r in rows if r[1].startswith(prefix[:40])]
        return row

    kremlin = by_start("Shavkat Mirziyoyev expressed understanding")
    assert kremlin[2:] == ("Shavkat Mirziyoyev", "RU", "Kremlin readout", "1", "unconfirmed")
    both = by_start("Vladimir Putin had a telephone conversati")
    assert both[5:] == ("0", "confirmed")
    review = by_start("According to the Kremlin, Mr. Mirziyoyev")
    assert review[0] == "review" and review[3] == "RU" and review[5] == "1"
    assert by_start("The Uzbek leader expressed hope that the")[3:6] == ("UZ", "Uzbek presidential readout", "1")


def test_claim_offsets_and_ids(pair_db):
    bad = fetch(pair_db, 'SELECT c.id FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id '
                         'WHERE substr(p.text, c.start + 1, c."end" - c.start) != c.quote')
    assert not bad
    assert fetch(pair_db, "SELECT count(*) = count(DISTINCT id) FROM claims") == {("1",): 1}


def test_html_review_sections_links_and_the_omitting_readout(tmp_path):
    settings = Settings(corpus=DATA / "style7", db=tmp_path / "r.db", annotations=tmp_path / "none")
    run(settings, processes=1)
    assert fetch(settings.db, "SELECT section FROM paragraphs WHERE text LIKE 'On March 3%'") == {("GE",): 1}
    assert fetch(settings.db, "SELECT published, period_start, period_end FROM documents") == {
        ("2022-03-10", "2022-03-01", "2022-03-07"): 1}
    assert fetch(settings.db, "SELECT count(*) FROM paragraphs WHERE text LIKE '%Latest publications%' "
                              "OR text LIKE '%security situation%' OR text LIKE '%Foundation%'") == {("0",): 1}
    # the Kremlin's account and the Kazakh readout's silence form one event; both are one-sided
    rows = fetch(settings.db, "SELECT reported_by, one_sided, confirmation FROM claims WHERE event_id IS NOT NULL")
    assert rows == {("RU", "1", "unconfirmed"): 1, ("KZ", "1", "unconfirmed"): 1}


def test_two_ministries_accounts_of_a_meeting_form_one_event(tmp_path):
    settings = Settings(corpus=DATA / "style10", db=tmp_path / "m.db", annotations=tmp_path / "none")
    run(settings, processes=1)
    events = fetch(settings.db, "SELECT kind, date, participants, sides, docs FROM events")
    assert events == {("meeting", "2022-02-22", '["Rashid Meredov", "Sergey Lavrov"]', '["RU", "TM"]',
                       '["review", "ru-mfa-tm-0222", "tm-mfa-ru-0222"]'): 1}
    one_sided = fetch(settings.db, "SELECT substr(quote, 1, 30) FROM claims WHERE one_sided")
    assert ("Sergey Lavrov informed his cou",) in one_sided  # Ukraine: only the Russian account has it
    assert ("The Turkmen statement did not ",) in one_sided


def test_no_confirmation_from_one_side_marks_the_other_sides_claims_of_the_paragraph():
    """'… There is no confirmation of this from the Uzbek side.' after a Kremlin claim and an Uzbek
    one: the Kremlin's is unconfirmed, the Uzbek side's own is not (a paragraph written for the test)."""
    from pipeline.claims.confirmation import mark_unconfirmed
    from pipeline.knowledge import load_knowledge
    from pipeline.records import Claim

    text = ("According to the Kremlin, the sides agreed on a plan. Tashkent said trade was discussed. "
            "There is no confirmation of the plan from the Uzbek side.")

    def said(cid, quote, side):
        start = text.index(quote)
        return Claim(cid, "review", "p1", start, start + len(quote), quote, quote, None, None, side, None, None)

    claims = [said("a", "According to the Kremlin, the sides agreed on a plan.", "RU"),
              said("b", "Tashkent said trade was discussed.", "UZ")]
    note = text.index("There is")
    marked = mark_unconfirmed(load_knowledge(None), claims, text[note:], note)
    assert [c.confirmation for c in marked] == ["unconfirmed", None]
