"""Claims and events: the seed review against a hand-checked list, and a readout pair."""

import shutil
from pathlib import Path

import pytest

from gold import fetch, score_claims
from pipeline.config import DEFAULT_CORPUS, Settings
from pipeline.extract import run

DATA = Path(__file__).parent / "data"

PAIR_REVIEW = """Test review written for claimtrace in our own words (not a real publication).
Review period: February 21 - March 3, 2022

On February 25, a telephone conversation took place between the Presidents of Russia and Uzbekistan. According to the Kremlin, Mr. Mirziyoyev expressed understanding of the actions of the Russian side. It should be noted that there is no confirmation of this from the Uzbek side.
"""
PAIR_MANIFEST = """
[[document]]
id = "ru-readout-uz-0225"
path = "ru-readout-uz-0225.html"
url = "http://en.kremlin.ru/events/president/news/00000"
kind = "readout"

[[document]]
id = "uz-readout-ru-0225"
path = "uz-readout-ru-0225.html"
url = "https://president.uz/en/lists/view/0000"
kind = "readout"

[[document]]
id = "review"
path = "review.txt"
kind = "review"
"""


@pytest.fixture(scope="module")
def pair_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pair")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for f in (DATA / "corpus_pair").glob("*.html"):
        shutil.copy(f, corpus / f.name)
    (corpus / "review.txt").write_text(PAIR_REVIEW, encoding="utf-8")
    (corpus / "manifest.toml").write_text(PAIR_MANIFEST, encoding="utf-8")
    settings = Settings(corpus=corpus, db=tmp / "pair.db", annotations=tmp / "none")
    run(settings, processes=1)
    return settings.db


def test_seed_review_claims_against_the_hand_checked_list(tmp_path):
    settings = Settings(corpus=DEFAULT_CORPUS, db=tmp_path / "seed.db", annotations=tmp_path / "none")
    run(settings, processes=1)
    result = score_claims(DATA / "review_claims.tsv", settings.db)
    print(f"\nreview claims: precision {result['precision']:.3f}, recall {result['recall']:.3f} "
          f"({result['correct']} correct, {result['found']} found, {result['expected']} expected)")
    assert result["precision"] >= 0.85, result["wrong"]
    assert result["recall"] >= 0.75, result["missing"]


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
