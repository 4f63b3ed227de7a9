"""Does a sentence report a call or meeting between two sides, and does a later sentence speak of
it? (kind, participant countries, participant names) from the event cues and the persons named."""

from __future__ import annotations

import re

from pipeline.claims.attribution import Attribution
from pipeline.claims.facts import ActorFacts
from pipeline.lexicon import ENGLISH, PLURAL_ROLES, RUSSIAN, alternation
from pipeline.records import Mention



def _cues(english: list[str], russian: list[str] | None) -> str:
    return "|".join(english) + (rf"|\b(?:{'|'.join(russian)})" if russian else "")


#: (kind, words of a call or meeting of that kind) in the order tried; kind None: the kind already in
#: context, else a meeting (knowledge/lexicon_en.toml and lexicon_ru.toml [event_cues])
EVENT_CUES = [(None if kind == "in_context" else kind, re.compile(_cues(words, RUSSIAN["event_cues"].get(kind)), re.I))
              for kind, words in ENGLISH["event_cues"].items()]
PLURAL_ROLE_RE = re.compile(rf"({alternation(ENGLISH['plural_role_forms'], ' ')}) of (?:the )?([\w-]+) and (?:the )?([\w-]+)")
EVENT_REF_RE = re.compile(rf"\b(?:{'|'.join(ENGLISH['event_references']['words'])})\b"
                          + _cues([], RUSSIAN["event_references"]["words"]), re.I)


class EventReader(ActorFacts):
    def event(self, text: str, mentions: list[Mention], date: str | None, context_kind: str | None = None) -> tuple | None:
        """(kind, participant countries, participant names) when the sentence reports a call or meeting."""
        for kind, rx in EVENT_CUES:
            if rx.search(text):
                kind = kind or context_kind or "meeting"
                people = {m.actor_id: m for m in mentions if self.is_person(m) and m.actor_id}
                countries = {self.actor_country(m) for m in people.values()}
                names = {m.actor for m in people.values() if not m.actor_id.startswith("local-")}
                for m in PLURAL_ROLE_RE.finditer(text):
                    role = PLURAL_ROLES.get(m.group(1).lower(), "president")
                    for word in m.groups()[1:]:
                        entry = self.k.by_adjective.get(word.lower()) or next(
                            (a for a in self.k.states.values() if word in a.names), None)
                        if entry:
                            countries.add(entry.country)
                            held = self.k.holders(entry.leader if role == "leader" else role, entry.country, date)
                            names.update(a.name for a in held[:1])
                countries.discard(None)
                if len(countries) >= 2:
                    return kind, tuple(sorted(countries)), tuple(sorted(names))
        return None

    def joins(self, event, att: Attribution, cue: str, text: str) -> bool:
        """Does a claim after the event sentence speak of that event (and not of something else)?
        cue: the claim's, saying how the sentence is attributed."""
        if cue == "readout account, the speaker's side":
            return False  # a side the text does not give: not that side's account of the event
        return bool(event) and att.reported_by in event[1] and (
            bool(EVENT_REF_RE.search(text)) or cue.startswith("according to"))
