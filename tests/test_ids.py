"""Claim and event ids are kept in annotations/ (decisions, links) and in colleagues' exports: their
form is fixed, or every earlier decision is orphaned by an upgrade. The forms below are written out
by hand from that definition (the sha1 of the key, hex, cut), not taken from the code."""

import hashlib

from pipeline.claims.events import event_id
from pipeline.claims.ids import claim_id


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def test_a_claim_id_is_its_document_and_normalised_words():
    assert claim_id("kremlin-0225", "Putin  said\u00a0so.") == "c" + sha1("kremlin-0225\x00Putin said so.")[:15]
    assert claim_id("kremlin-0225", "Putin said so.", 0) == claim_id("kremlin-0225", "Putin said so.")


def test_a_second_copy_of_the_same_words_has_its_own_id():
    first, second = claim_id("d", "We agree."), claim_id("d", "We agree.", 1)
    assert second == "c" + sha1("d\x00We agree.\x001")[:15] and second != first


def test_an_event_id_is_its_kind_day_and_participants():
    assert event_id("call", "2022-02-25", ("RU", "UZ")) == "e" + sha1("call|2022-02-25|RU,UZ")[:11]
