"""Mention linking and date resolution against hand-checked lists (tests/data/*.tsv)."""

import shutil
from pathlib import Path

import pytest
from gold import DATES_SQL, PERSONS_SQL, fetch, read_tsv, score

from pipeline.config import DEFAULT_CORPUS, Settings
from pipeline.extract import run

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seed")
    settings = Settings(corpus=DEFAULT_CORPUS, db=tmp / "seed.db", annotations=tmp / "none")
    run(settings, processes=1)
    return settings.db


@pytest.fixture(scope="module")
def style2_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("style2")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for f in [*(DATA / "style2").glob("*.txt"), DATA / "style2" / "manifest.toml", *(DATA / "corpus_pair").glob("*.html")]:
        shutil.copy(f, corpus / f.name)
    settings = Settings(corpus=corpus, db=tmp / "style2.db", annotations=tmp / "none")
    run(settings, processes=1)
    return settings.db


def report(name, result):
    print(f"\n{name}: precision {result['precision']:.3f}, recall {result['recall']:.3f} "
          f"({result['correct']}/{result['expected']} expected, {result['found']} found)")


def test_every_person_mention_in_the_review(seed_db):
    result = score(read_tsv(DATA / "review_persons.tsv"), fetch(seed_db, PERSONS_SQL))
    report("review person mentions", result)
    assert result["missing"] == [] and result["extra"] == []


def test_every_date_expression_in_the_review(seed_db):
    result = score(read_tsv(DATA / "review_dates.tsv"), fetch(seed_db, DATES_SQL))
    report("review dates", result)
    assert result["missing"] == [] and result["extra"] == []


def test_person_mentions_in_other_styles(style2_db):
    result = score(read_tsv(DATA / "style2" / "persons.tsv"), fetch(style2_db, PERSONS_SQL))
    report("style2 person mentions", result)
    assert result["missing"] == [] and result["extra"] == []


def test_dates_in_other_styles(style2_db):
    result = score(read_tsv(DATA / "style2" / "dates.tsv"), fetch(style2_db, DATES_SQL))
    report("style2 dates", result)
    assert result["missing"] == [] and result["extra"] == []


def test_unknown_people_become_local_actors_with_their_country(style2_db):
    rows = fetch(style2_db, "SELECT m.actor_id, m.country, a.local FROM mentions m JOIN actors a ON a.id = m.actor_id "
                            "WHERE m.text = 'Akan Rakhmetullin'")
    assert rows == {("local-digest-akan-rakhmetullin", "KZ", "1"): 1}


def test_two_japarovs_are_never_merged(style2_db):
    rows = fetch(style2_db, "SELECT DISTINCT actor_id FROM mentions WHERE text LIKE '%Japarov%'")
    assert set(rows) == {("kg-s-japarov",), ("kg-a-japarov",)}


def test_unresolvable_dates_keep_their_reason(seed_db):
    rows = fetch(seed_db, "SELECT reason FROM dates WHERE value IS NULL")
    assert rows and all("no earlier date" in r[0] or "not dated" in r[0] for r in rows)


def test_mention_offsets_index_the_paragraph(seed_db):
    bad = fetch(seed_db, 'SELECT m.id FROM mentions m JOIN paragraphs p ON p.id = m.paragraph_id '
                         'WHERE substr(p.text, m.start + 1, m."end" - m.start) != m.text')
    assert not bad


def test_more_date_forms():
    from pipeline.language.dates import DateContext, scan

    ctx = DateContext("review", None, ("2022-03-01", "2022-03-31"))
    found = {r.text: r.value for r in scan("On the 4th of March, and on Feb. 28, and last week, and on Friday.", ctx)}
    assert found == {"the 4th of March": "2022-03-04", "Feb. 28": "2022-02-28", "last week": None, "Friday": None}


# --- issue 24: the month-initial patterns are tried only where a month name starts -------------

# Sentences written for this test: months at the start, inside and at the end of ranges, abbreviated
# with a full stop, next to each other, in Russian, in capitals, and words that begin like a month.
MONTH_TEXTS = [
    "On February 25, 2022 the sides spoke; on March 1 they met again.",
    "The talks ran from Feb. 21 – Mar. 3, 2022 and again in Sept. 2023.",
    "MAY 9, 2022 and May-June 2021 and the Marchers of Mayday; Augusta said March.",
    "January–March 2022, then April 4-6 and Dec 31 2021, then Marchmont on 5 March.",
    "25 февраля 2022 года и март 2022; May 2, May 3, May",
    "",
]


@pytest.mark.parametrize("text", MONTH_TEXTS)
def test_the_month_shortcut_finds_what_a_full_scan_finds(text):
    from pipeline.language.dates import MONTH_AT, MONTH_INITIAL, PATTERNS, _matches_at

    starts = [m.start() for m in MONTH_AT.finditer(text)]
    for name, rx in PATTERNS:
        if name in MONTH_INITIAL:
            assert [m.span() for m in _matches_at(rx, text, starts)] == [m.span() for m in rx.finditer(text)], name
