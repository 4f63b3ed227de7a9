"""Who speaks in a transcript: a speaker label opening a paragraph ("President of Belarus
Alexander Lukashenko: ..."), or the one person a title names beside a noun of speech
("Foreign Minister X's remarks and answers to media questions")."""

from __future__ import annotations

from pipeline.claims.facts import ActorFacts
from pipeline.lexicon import SPEECH_NOUNS
from pipeline.records import Mention


def turn_label(facts: ActorFacts, sent, inside: list[Mention]) -> Mention | None:
    """The one person named before a colon opening the paragraph, with no verb between."""
    if sent.start != 0:
        return None
    colon = next((t for t in sent if t.text == ":"), None)
    if colon is None or colon.i > 12 or any(t.pos_ in ("VERB", "AUX") for t in sent if t.i < colon.i):
        return None
    people = {m.actor_id: m for m in inside if facts.is_person(m) and m.actor_id and m.end <= colon.idx}
    return next(iter(people.values())) if len(people) == 1 else None


def title_speaker(facts: ActorFacts, doc, inside: list[Mention]) -> Mention | None:
    """The one person a title names beside a noun of speech."""
    if not any(t.lemma_.lower() in SPEECH_NOUNS for t in doc):
        return None
    people = {m.actor_id: m for m in inside if facts.is_person(m)}
    return next(iter(people.values())) if len(people) == 1 else None
