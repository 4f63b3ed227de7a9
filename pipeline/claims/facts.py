"""What the gazetteer says of a linked mention (its country, the side it speaks for, whether it is
a person) and the one person a clause is about. Shared by the claim stage's steps."""

from __future__ import annotations

from pipeline.knowledge import Knowledge
from pipeline.records import Mention


class ActorFacts:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge

    def mentions_in(self, mentions: list[Mention], start: int, end: int) -> list[Mention]:
        return [m for m in mentions if m.actor_id and start <= m.start and m.end <= end]

    def actor_country(self, m: Mention) -> str | None:
        entry = self.k.actors.get(m.actor_id)
        return (entry.country if entry else None) or m.country

    def side_of(self, m: Mention) -> str | None:
        """The reporting side an actor speaks for; none for de facto entities (no ISO code)."""
        entry = self.k.actors.get(m.actor_id)
        if entry is not None and (entry.entity or entry.type == "territory"):
            return None
        return self.actor_country(m)

    def is_person(self, m: Mention) -> bool:
        entry = self.k.actors.get(m.actor_id)
        return m.label == "PERSON" and (entry is None or entry.type == "person")

    def first_participant_side(self, inside: list[Mention], countries) -> str | None:
        """The side of the first person named among `inside` whose country takes part in the event
        (`countries`): a readout names its own side's participant first."""
        named = [m for m in inside if self.is_person(m) and self.actor_country(m) in countries]
        return self.actor_country(min(named, key=lambda m: m.start)) if named else None

    def subject_person(self, sent, inside: list[Mention]) -> Mention | None:
        root = sent.root
        verbs = [root] + [t for t in root.children if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")]
        for verb in verbs:
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)
                    people = [m for m in inside if self.is_person(m) and lo <= m.start and m.end <= hi]
                    if len({m.actor_id for m in people}) == 1:
                        return people[-1]
                    if people:
                        return None  # "Putin and Aliyev discussed": a joint account, no single speaker
        return None
