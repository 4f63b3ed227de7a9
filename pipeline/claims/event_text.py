"""Does a sentence report a call or meeting between two sides, and does a later sentence speak of
it? (kind, participant countries, participant names) from the event cues and the persons named."""

from __future__ import annotations

import re

from pipeline.claims.attribution import Attribution
from pipeline.claims.facts import ActorFacts
from pipeline.lexicon import EVENT_CUES_RU, EVENT_REFS_RU, PLURAL_ROLES
from pipeline.records import Mention

EVENT_CUES = [
    ("call", re.compile(r"telephone (?:conversation|call|talks?)|phone (?:call|conversation)|spoke (?:by|on the) (?:tele)?phone|by phone|\bconversations?\b"
                        rf"|\b(?:{EVENT_CUES_RU['call']})", re.I)),
    ("meeting", re.compile(rf"\bmet\b|\bmeeting\b|\bhosted\b|\bvisit(?:ed)?\b|\breceived\b|\b(?:{EVENT_CUES_RU['meeting']})", re.I)),
    (None, re.compile(r"\btalks\b", re.I)),  # talks: of the kind already in context, else a meeting
    ("talks", re.compile(rf"\b(?:discussed|held talks|negotiated)\b|\b(?:{EVENT_CUES_RU['talks']})", re.I)),  # two sides, the mode not said
]
PLURAL_ROLE_RE = re.compile(r"(Presidents|leaders|Prime Ministers|Foreign Ministers|heads of state) of (?:the )?([\w-]+) and (?:the )?([\w-]+)")
EVENT_REF_RE = re.compile(r"\b(?:conversation|call|talks|meeting|met|discuss\w*|sides|parties|leaders|counterparts?|presidents|heads of state|"
                          r"informed|agreed|exchanged|visit|negotiations|readout|statement|web-?pages?|website|account)\b"
                          rf"|\b(?:{EVENT_REFS_RU})", re.I)


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

    def joins(self, event, att: Attribution, text: str) -> bool:
        """Does a claim after the event sentence speak of that event (and not of something else)?"""
        return bool(event) and att.reported_by in event[1] and (
            bool(EVENT_REF_RE.search(text)) or att.cue.startswith("according to"))
