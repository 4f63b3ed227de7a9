"""Making a Claim record from a span and its attribution: a stable id, the stance read from the
parse (stance.py) and the content key used to compare two sides' accounts (claim_content.py)."""

from __future__ import annotations


from pipeline.claims.account import side_rule
from pipeline.claims.attribution import Attribution
from pipeline.claims.claim_content import content_key
from pipeline.claims.event_text import EventReader
from pipeline.claims.ids import claim_id
from pipeline.claims.stance import Stance, StanceReader
from pipeline.ingest.parse import normalise
from pipeline.knowledge import Knowledge
from pipeline.language.doctext import doc_text
from pipeline.records import Claim, Paragraph


class ClaimMaker(EventReader):
    """Per document: start() resets the id counter; per paragraph: the parse, mentions and dates."""

    def __init__(self, knowledge: Knowledge):
        super().__init__(knowledge)
        self.stance = StanceReader()
        self.start()

    def start(self, official: bool = False, language: str | None = None) -> None:
        """official: the document is a readout or statement of its government (account.side_rule);
        language: the document's, carried by every claim."""
        self.seen_ids: dict[str, int] = {}
        self.official = official
        self.language: str | None = language
        self.last_dated: tuple = (None, None)

    def paragraph(self, doc, mentions, dates) -> None:
        self._doc, self._mentions, self._dates = doc, mentions, dates

    def make(self, p: Paragraph, start: int, end: int, att: Attribution, dated: tuple, cue: str, event) -> Claim:
        """dated: (date, date_basis) from claim_dates."""
        self.last_dated = dated  # a quotation carried on from this statement is dated like it
        quote = p.text[start:end]
        base = claim_id(p.doc_id, quote)
        n = self.seen_ids.get(base, 0)
        self.seen_ids[base] = n + 1
        kind, participants, names = event if event else (None, (), ())
        stance = self._stance(start, end, att)
        return Claim(
            id=claim_id(p.doc_id, quote, n), doc_id=p.doc_id, paragraph_id=p.id, start=start, end=end,
            quote=quote, text=normalise(quote), speaker=att.speaker, speaker_id=att.speaker_id,
            reported_by=att.reported_by, source=att.source, date=dated[0], date_basis=dated[1],
            side_rule=side_rule(att, cue, self.official), language=self.language, kind=kind,
            participants=tuple(participants), participant_names=tuple(names),
            stance=stance.value, stance_rule=stance.rule, cue=cue, content=self._content(start, end, participants),
            lemmas=" ".join(t.lemma_ for t in self._doc if start <= t.idx < end and t.is_alpha)
            if self.language == "ru" else None,
        )

    def _stance(self, start: int, end: int, att: Attribution):
        """The claim's stance from its parse (stance.py), the speaker's own side told apart from a
        third party's: a holder naming only other states holds a position that is not the speaker's."""
        span = self._doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return Stance(None, None)
        entry = self.k.actors.get(att.speaker_id) if att.speaker_id else None
        own = {x for x in ((entry.country if entry else None), att.reported_by) if x and x != "author"}
        if entry is not None and entry.country:
            own = {entry.country}  # what Lukashenko said in the Kremlin's account is Belarus's position

        def holder_sides(tokens) -> set[str]:
            spans = [(t.idx, t.idx + len(t)) for t in tokens]
            return {c for m in self._mentions if m.actor_id and any(m.start < e and s < m.end for s, e in spans)
                    for c in [self.actor_country(m)] if c}

        return self.stance.read(span, own, holder_sides)

    def _content(self, start: int, end: int, participants) -> tuple[str, ...]:
        """What a statement says once the event itself is taken out (claim_content.py): its content
        words and the third parties it names ("@" + country, "@" + organisation id)."""
        third = set()
        for m in self._mentions:
            if m.actor_id and start <= m.start < end and not self.is_person(m):
                country = self.actor_country(m)
                entry = self.k.actors.get(m.actor_id)
                if entry is not None and entry.type not in ("state", "territory") and not country:
                    third.add(f"@{m.actor_id}")  # an organisation: "the Eurasian Economic Union"
                elif country and country not in participants:
                    third.add(f"@{country}")
        skip = [(m.start, m.end) for m in self._mentions] + [(d.start, d.end) for d in self._dates]
        # a sentence that reports the call or meeting itself: its capitalised words are titles
        states_event = self.event(doc_text(self._doc)[start:end], self.mentions_in(self._mentions, start, end), None)
        return content_key(self._doc, start, end, skip, third, bool(states_event))
