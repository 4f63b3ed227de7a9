"""Grouping accounts into events, on records made by hand (no model needed)."""

from pipeline.claims.events import group
from pipeline.records import Claim


def claim(n, side, text, kind="call", date="2022-02-28", participants=("AZ", "RU"), doc=None, content=()):
    """`content` is what the claim stage gives: content lemmas and third parties ("@UA"), without the
    participants, titles and the words that only say that the call took place."""
    return Claim(id=f"c{n}", doc_id=doc or f"doc-{side}", paragraph_id="p", start=0, end=len(text), quote=text,
                 text=text, speaker=None, speaker_id=None, reported_by=side, source=None, date=date, kind=kind,
                 participants=participants, participant_names=("Ilham Aliyev", "Vladimir Putin"), content=content)


def test_shared_and_one_sided_content():
    claims = [
        claim(1, "RU", "Vladimir Putin had a telephone conversation with Ilham Aliyev."),
        claim(2, "AZ", "Ilham Aliyev had a telephone conversation with Vladimir Putin."),
        claim(3, "RU", "The leaders discussed the situation around Ukraine.", content=("@UA",)),
        claim(4, "AZ", "The presidents discussed energy projects and transport corridors.",
              content=("corridor", "energy", "project", "transport")),
    ]
    events, flagged = group(claims)
    assert len(events) == 1 and events[0]["sides"] == ["AZ", "RU"]
    flags = {c.id: (one_sided, c.confirmation) for c, one_sided in flagged}
    assert flags["c1"] == (False, "confirmed") and flags["c2"] == (False, "confirmed")
    assert flags["c3"] == (True, "unconfirmed") and flags["c4"] == (True, "unconfirmed")


def test_talks_of_unnamed_mode_join_the_call_of_the_same_day_and_people():
    claims = [claim(1, "RU", "Putin and Aliyev discussed regional security.", kind="talks", doc="review"),
              claim(2, "AZ", "Ilham Aliyev had a telephone conversation with Vladimir Putin.")]
    events, _ = group(claims)
    assert [(e["kind"], e["docs"]) for e in events] == [("call", ["doc-AZ", "review"])]


def test_other_days_and_other_people_stay_apart():
    claims = [claim(1, "RU", "A call.", date="2022-02-28"), claim(2, "AZ", "A call.", date="2022-03-01"),
              claim(3, "KZ", "A call.", participants=("KZ", "RU"))]
    events, _ = group(claims)
    assert len(events) == 3 and all(len(e["sides"]) == 1 for e in events)


def test_claims_without_date_or_two_participants_form_no_event():
    events, flagged = group([claim(1, "RU", "Undated.", date=None), claim(2, "RU", "Alone.", participants=("RU",)),
                             claim(3, "RU", "A month only.", date="2022-02")])
    assert events == [] and all(c.event_id is None for c, _ in flagged)


def test_talks_join_a_meeting_too_and_alone_stay_talks():
    joined, _ = group([claim(1, "RU", "They discussed security.", kind="talks", doc="review"),
                       claim(2, "AZ", "The presidents met in Baku.", kind="meeting")])
    assert [(e["kind"], e["docs"]) for e in joined] == [("meeting", ["doc-AZ", "review"])]
    alone, flagged = group([claim(1, "RU", "They discussed security.", kind="talks")])
    assert [e["kind"] for e in alone] == ["talks"] and flagged[0][0].kind == "talks"


def test_a_call_and_a_meeting_of_the_same_day_and_people_are_two_events():
    """Only talks of no named mode take the day's mode: a call keeps being a call beside a meeting,
    and the two events' ids differ by their kind."""
    events, flagged = group([claim(1, "RU", "A call.", kind="call"), claim(2, "AZ", "A meeting.", kind="meeting")])
    assert sorted(e["kind"] for e in events) == ["call", "meeting"]
    assert len({e["id"] for e in events}) == 2
    assert {c.id: c.kind for c, _ in flagged} == {"c1": "call", "c2": "meeting"}


def test_an_events_sides_are_the_reporting_sides_not_the_author_nor_none():
    """A review's own assessment (reported by 'author') and a claim no side reported belong to the
    event but are no side of it."""
    events, _ = group([claim(1, "RU", "A call."), claim(2, "author", "The call shows a rift.", doc="review"),
                       claim(3, None, "A call took place.", doc="wire")])
    assert [(e["sides"], e["docs"]) for e in events] == [(["RU"], ["doc-RU", "review", "wire"])]
