"""The claims of a readout or an official statement: every sentence is its government's account
(GUIDE.md rule 4), but for pleasantries, procedure and boilerplate; a transcript's turns name their
speakers; a readout of unknown side gives the speaker's side, else its author's, else the side of the
participant it names first. A mixin of ClaimExtractor (extractor.py), which sets the state it reads."""

from __future__ import annotations

import re

from pipeline.claims.attribution import Attribution, quote_spans
from pipeline.claims.carried import points_back
from pipeline.claims.claim_dates import basis, clause_dates, sentence_date
from pipeline.claims.transcript import turn_label
from pipeline.lexicon import ENGLISH, SCHEDULED_VERBS
from pipeline.records import Claim

_CUES = ENGLISH["sentence_cues"]
BOILERPLATE_RE = re.compile("|".join(_CUES["boilerplate"]), re.I)


# Pleasantries and procedure in a readout or transcript are not claims (GUIDE.md): greetings,
# thanks and welcomes opening the sentence, questions, and what is scheduled to happen.
COURTESY_RE = re.compile(rf"^(?:{'|'.join(_CUES['courtesy'])})\b", re.I)


def _procedure(text: str, doc, start: int) -> bool:
    """A pleasantry, a question or a scheduling sentence ('The Days of Culture open tomorrow', 'The
    forum will be held in March')."""
    if COURTESY_RE.search(text) or text.rstrip("”\"» ").endswith("?"):
        return True
    span = doc.char_span(start, start + len(text), alignment_mode="expand")
    root = span.root if span is not None else None
    if root is None or root.lemma_.lower() not in SCHEDULED_VERBS or (root.lemma_.lower() == "take" and "place" not in text):
        return False
    return any(c.lower_ == "will" for c in root.children) or any(t.lower_ == "tomorrow" for t in span)


class ReadoutClaims:
    def _readout(self, p, doc, mentions, dates) -> list[Claim]:
        spans = quote_spans(p.text)
        rows = []
        for sent in doc.sents:
            text = sent.text.strip()
            s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
            inside = self.mentions_in(mentions, s, e)
            if self.doc_event is None:
                self.doc_event = self.events.event(text, inside, self._published())
            if self.doc_event is not None and self.doc_lead is None:
                self.doc_lead = self.first_participant_side(inside, self.doc_event[1])
            turn = turn_label(self, sent, inside)
            if turn is not None:
                self.turn = turn  # "President of Russia Vladimir Putin: Mr President, ...": his turn begins
            who = self.turn if self.turn is not None else self.subject_person(sent, inside)
            if points_back(sent):
                continue  # "This was reported by BelTA": who published it, not a statement
            rows.append((s, e, text, who, clause_dates(sent, dates)))
        # a quotation over several sentences is the words of whoever its last sentence names
        for qs, qe in spans:
            named = [r[3] for r in rows if r[3] is not None and r[0] < qe and qs < r[1]]
            if named:
                rows = [(s, e, t, named[-1] if who is None and s < qe and qs < e else who, ds)
                        for s, e, t, who, ds in rows]
        claims = []
        for s, e, text, speaker, sdates in rows:
            if len(text.split()) < 5 or BOILERPLATE_RE.search(text) or _procedure(text, doc, s):
                continue
            side, cue = self.side, "readout sentence"
            if speaker is not None and self.author is None and self.result.spec.kind == "statement":
                self.author = speaker  # a statement or letter of unknown side: its author, named first
            if side is None and speaker is not None:  # no publishing side known: the speaker's (GUIDE rule 3)
                side, cue = self.side_of(speaker), "readout sentence, the speaker's side"
            elif side is None and self.author is not None:  # rule 4: the author's government, every sentence
                side, cue = self.side_of(self.author), "readout sentence, the speaker's side"
            elif side is None and self.doc_lead is not None:  # "the ministers discussed": the participant named first
                side, cue = self.doc_lead, "readout sentence, the speaker's side"
            att = Attribution(speaker.actor_id if speaker else None, speaker.actor if speaker else None,
                              side, self.channel)
            own, how = self.dates.date_for(s, e, sdates, text)
            if own and self.scene_date is None and (self.events.event(text, self.mentions_in(mentions, s, e), own)
                                                    or sentence_date(s, e, sdates)[1]):
                self.scene_date = own  # "Yesterday, X had a telephone conversation with Y": the call's day
            if own:
                dated = own, how
            elif self.scene_date:
                dated = self.scene_date, basis(self.scene_date, "scene")
            else:
                dated = self._document_time()
            claims.append(self.maker.make(p, s, e, att, dated, cue, self.doc_event))
        return claims
