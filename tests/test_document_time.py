"""The document's own time: page date lines, wire datelines, signature lines, and relative dates
resolved against the time of writing (issue 10). The lines are written for these tests."""

import pytest

from pipeline.ingest.parse import is_date_line, is_signature, parse_text
from pipeline.language.dates import DateContext, scan


@pytest.mark.parametrize("line", [
    "March 2, 2022 The Kremlin, Moscow",             # date and place, no separator
    "Politics 2024-03-05T14:20:00+03:00",            # a rubric and an ISO timestamp
    "07.02.2024 | 17:20",                            # dotted date, bar, time
    "Posted: 3 May 2022, 11:05",
    "03.05.2022",
    "Friday, 16 August 2023",
])
def test_page_date_lines(line):
    assert is_date_line(line)


@pytest.mark.parametrize("line", [
    "On 2 March 2022, Putin spoke with Tokayev.",    # a sentence that opens with a date
    "25 February 2022 Statement by the Ministry",   # a heading with words beside the date
    "Views: 1520",
])
def test_sentences_are_not_date_lines(line):
    assert not is_date_line(line)


def test_signature_lines_of_releases():
    assert is_signature("PRESS SERVICE OF THE PRIME MINISTER OF THE REPUBLIC OF ARMENIA")
    assert is_signature("Information Department of the Ministry of Foreign Affairs of the Republic of Tajikistan")
    assert not is_signature("The press service of the ministry said the talks went well.")


def test_a_wire_dateline_is_furniture_and_the_page_date_line_dates_the_page():
    parsed = parse_text("Talks by phone\nPosted: 15 June 2023, 11:05\n"
                        "ASTANA, June 15. /Agency/. The president held a telephone conversation on Wednesday.\n")
    assert parsed.published.value == "2023-06-15"
    kinds = [(b.kind, b.text) for b in parsed.blocks]
    assert ("meta", "ASTANA, June 15. /Agency/.") in kinds
    assert ("paragraph", "The president held a telephone conversation on Wednesday.") in kinds


@pytest.mark.parametrize("text, published, value", [
    ("They spoke on Wednesday.", "2023-06-15", "2023-06-14"),   # Thursday's news: the day before
    ("They spoke on Tuesday.", "2024-03-05", "2024-03-05"),     # written on a Tuesday: that day
    ("They spoke last Tuesday.", "2024-03-05", "2024-02-27"),   # "last" on the same weekday: a week back
    ("On Thursday morning the ministry said so.", "2024-03-05", "2024-02-29"),
    ("Yesterday, the leaders spoke.", "2023-08-16", "2023-08-15"),
])
def test_weekdays_and_yesterday_resolve_against_the_time_of_writing(text, published, value):
    (found,) = scan(text, DateContext("news", published, None))
    assert found.value == value


def test_without_a_time_of_writing_a_weekday_stays_null():
    (found,) = scan("They spoke on Wednesday.", DateContext("news", None, None))
    assert found.value is None
    (found,) = scan("They spoke on Wednesday.", DateContext("review", "2023-06-15", None))
    assert found.value is None  # a review's weekdays are not relative to its publication


@pytest.mark.parametrize("name", ["news", "pairs", "news2"])
def test_no_page_furniture_becomes_a_claim(tmp_path, run, name):
    from pathlib import Path

    corpus = Path(__file__).parent / "data" / name
    assert run("extract", "--processes", "1", corpus=corpus).exit_code == 0
    out = tmp_path / "claims.jsonl"
    assert run("export", "claims", "--format", "jsonl", "-o", str(out), corpus=corpus).exit_code == 0
    import json

    quotes = [json.loads(line)["quote"] for line in out.read_text().splitlines()]
    assert quotes, "the set gives claims"
    furniture = [q for q in quotes if is_date_line(q) or is_signature(q) or q.startswith(("By ", "Posted", "©"))
                 or "official website" in q.lower() or "/." in q]
    assert furniture == []


@pytest.mark.parametrize("line, head", [
    ("DUSHANBE, 06.09.2022 (Agency) – Yesterday, the minister held talks in Moscow.", "DUSHANBE, 06.09.2022 (Agency) –"),
    ("Astana. September 26. Agency - Kazakhstan does not recognise the referendums.", "Astana. September 26. Agency -"),
    ("ASTANA. AGENCY – Kazakhstan will adhere to the UN Charter, the spokesman said.", "ASTANA. AGENCY –"),
    ("date 2022-02-25 MOSCOW, February 25. /Agency/. The presidents spoke by phone.",
     "date 2022-02-25 MOSCOW, February 25. /Agency/."),
])
def test_wire_datelines_of_regional_agencies_are_furniture(line, head):
    parsed = parse_text("Talks\n" + line + "\n")
    assert ("meta", head) in [(b.kind, b.text) for b in parsed.blocks]
    assert any(b.kind == "paragraph" and not b.text.startswith(head[:5]) for b in parsed.blocks)


@pytest.mark.parametrize("text, dates_its_sentence", [
    ("Talks were held in February-March 2022.", True),  # a span of months dates the sentence
    ("Talks were held from 24 February to 3 March 2022.", True),
    ("He recalled the 1992-1993 war.", False),  # a span of years is history it mentions
    ("It was held in 2020.", False),
])
def test_a_span_of_months_dates_its_sentence_and_a_span_of_years_does_not(text, dates_its_sentence):
    """(issue 25, from surviving mutants) claim_dates.own_time on what the date scanner finds."""
    from pipeline.claims.claim_dates import own_time

    found = scan(text, DateContext(published="2022-04-01", kind="news", period=None))
    assert found and all(own_time(d) is dates_its_sentence for d in found), [(d.value, d.precision) for d in found]
