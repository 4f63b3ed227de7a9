"""ClaimExtractor: the steps of the claims stage (see __init__.py) over a document's paragraphs."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.claims.account import RelayedAccount
from pipeline.claims.attribute import Attributor
from pipeline.claims.attribution import Attribution, Discourse, content_parts, quote_spans
from pipeline.claims.carried import CarriedStatements, points_back, speaker_key
from pipeline.claims.claim_dates import StatementDates, basis, clause_dates, said_earlier
from pipeline.claims.confirmation import NON_CONFIRMATION_RE, mark_unconfirmed
from pipeline.claims.discourse_steps import DiscourseSteps
from pipeline.claims.event_text import EventReader
from pipeline.claims.facts import ActorFacts
from pipeline.claims.make import ClaimMaker, claim_id
from pipeline.claims.readout import ReadoutClaims
from pipeline.claims.transcript import title_speaker, turn_label
from pipeline.knowledge import Knowledge
from pipeline.lexicon import ENGLISH, REPORT_VERBS
from pipeline.records import Claim, Mention, Paragraph

__all__ = ["ClaimExtractor", "claim_id"]

_CUES = ENGLISH["sentence_cues"]
# The author's own assessment, by construction rather than by phrase: a sentence opened by an
# evaluative or epistemic adverb, an impersonal evaluation, an estimate of likelihood, a prediction
# of an outcome, a statement of what is not known (knowledge/lexicon_en.toml [sentence_cues]).
AUTHOR_CUES = re.compile("|".join([rf"^(?:{'|'.join(_CUES['author_openers'])}),", *_CUES["author"]]), re.I)


class ClaimExtractor(ReadoutClaims, DiscourseSteps, CarriedStatements, ActorFacts):
    def __init__(self, knowledge: Knowledge):
        super().__init__(knowledge)
        self.attributor = Attributor(knowledge)
        self.events = EventReader(knowledge)
        self.relays = RelayedAccount(knowledge)
        self.maker = ClaimMaker(knowledge)

    def start(self, result) -> None:
        self.result = result
        self.side = result.side.value if result.side else None
        src = self.k.source_for(url=result.spec.url, publisher=result.spec.publisher)
        self.channel = (src.channel if src and src.channel else
                        result.spec.publisher or f"{result.spec.kind} ({self.side or 'unknown side'})")
        if result.relays:  # a news page reprinting an official release: that office's account
            self.channel = result.relays.title() if result.relays.isupper() else result.relays
        self.readout = result.spec.kind in ("readout", "statement") or bool(result.relays)
        self.news = result.spec.kind == "news" and not result.relays
        self.discourse = Discourse()  # a news item is one narrative: attribution carries over paragraphs
        self.scene_date: str | None = None  # a readout's call or meeting: the date its sentences take
        self.dates = StatementDates()
        self.maker.start(official=result.spec.kind in ("readout", "statement") and not result.relays,
                         language=result.language.value if result.language else None)
        self.doc_event: tuple | None = None
        self.doc_lead: str | None = None  # the side of the participant the readout's event sentence names first
        self.turn: Mention | None = None  # a transcript's current speaker (readouts and statements)
        self.author: Mention | None = None  # the person a statement of unknown side is by

    def paragraph(self, p: Paragraph, doc, mentions: list[Mention], dates) -> list[Claim]:
        self.maker.paragraph(doc, mentions, dates)
        if p.kind == "caption" and self.news:  # "Source: ..." laid out as a caption line
            for sent in doc.sents:
                line = self.attributor.source_line(sent, self.mentions_in(mentions, sent.start_char, sent.end_char))
                self.discourse.source_line = line or self.discourse.source_line
        if p.kind == "heading" and self.news:
            self.announcement(doc, mentions)
        if p.kind in ("heading", "caption", "meta"):
            if self.readout and p.kind == "heading" and self.doc_event is None:
                self.doc_event = self.events.event(p.text, mentions, self._published())
            if self.readout and p.kind == "heading":  # a speaker label laid out as a line, or a title
                sent = next(iter(doc.sents), None)
                inside = self.mentions_in(mentions, 0, len(p.text))
                title = title_speaker(self, doc, inside) if self.turn is None else None
                self.turn = (sent is not None and turn_label(self, sent, inside)) or title or self.turn
            return []
        if self.readout:
            return self._readout(p, doc, mentions, dates)
        return self._review(p, doc, mentions, dates)

    def finish(self, claims: list[Claim]) -> list[Claim]:
        """After the last paragraph: a date given after the fact ("X made the statement at the
        press conference on 9 April") dates that speaker's undated claims before it."""
        claims = self.dates.apply_backdates(claims)
        if self.news and (self._published() or self.result.month):  # news reports the day's statements
            date, how = self._document_time()
            claims = [replace(c, date=date, date_basis=how)
                      if c.date is None and c.reported_by != "author" and c.date_basis != "earlier" else c
                      for c in claims]
        return claims

    def _document_time(self) -> tuple[str | None, str | None]:
        """A statement with no time words of its own: the document's own time (GUIDE.md)."""
        if self._published() is None and self.result.month:  # only the month of the document is known
            return self.result.month, "month"
        return self._published(), basis(self._published(), "document")

    def _published(self) -> str | None:
        return self.result.published.value if self.result.published else None

    def _review(self, p, doc, mentions, dates) -> list[Claim]:
        claims: list[Claim] = []
        waiting: list[tuple[int, int]] = []  # sentences of a quotation whose attribution comes later
        # a review's paragraphs are separate stories; a news item carries its speakers, scene and
        # relayed channel from paragraph to paragraph
        st = self.discourse if self.news else Discourse()
        running = self.running_quotation(p, doc, st) if self.news else None
        if running is not None:
            return running
        spans = quote_spans(p.text)
        # (attribution, end of its quotation, its date, its event); a quotation announced before
        open_quote: tuple | None = self.announced_quotation(p.text, st, spans) if self.news else None
        unattributed: list[tuple[int, int]] = []  # sentences a back-reference may attribute
        for sent in doc.sents:
            s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
            text = p.text[s:e]
            inside = self.mentions_in(mentions, s, e)
            # a time word inside quotation marks is what the speaker says ("yesterday we talked"), not
            # when he said it
            sdates = [d for d in clause_dates(sent, dates) if not any(qs < d.start < qe for qs, qe in spans)]
            line = self.attributor.source_line(sent, inside) if self.news else None
            if line is not None:
                st.source_line = line  # not a claim: it says whose the quotation below is
                continue
            att, cue, subject_person = self._sentence_attribution(sent, inside, st, p.text, spans,
                                                                  carry=open_quote is None)
            who = speaker_key(att)
            own_date, own_basis = self.dates.date_for(s, e, sdates, text, who, st.scene, said_earlier(sent, sdates))
            found = self._scene_step(sent, text, inside, sdates, own_date, who, st)
            if open_quote is not None and s >= open_quote[1]:
                open_quote = None
            if open_quote is not None:  # inside a quotation: the quoted side reports it
                att, cue = self._inside_quotation(open_quote[0], att, sent, inside), "inside a quotation attributed earlier"
            elif att is None and any(qs <= s and e <= qe for qs, qe in spans):
                waiting.append((s, e))  # inside a quotation whose attribution comes later: its claim
                if any(qs < s and e <= qe for qs, qe in spans):
                    continue
            start = s
            if att is not None and cue != "inside a quotation attributed earlier":
                # a quotation that began in an earlier sentence and closes here is part of this statement
                start = min([qs for qs, qe in spans if qs < s <= qe <= e + 1] or [s])
                opened = [qe for qs, qe in spans if s <= qs < e < qe]
                if opened:
                    open_quote = (att, opened[0], (own_date, own_basis),
                                  st.event if (found or self.events.joins(st.event, att, cue, text)) else None)
            if att is not None:
                self._remember(st, att, cue, subject_person)
            if att is not None and points_back(sent):
                # "X. Об этом заявил Y": Y's attribution is the unattributed sentences before it
                claims += [self.maker.make(p, ws, we, att, (own_date, own_basis), f"{cue}, back-reference", None)
                           for ws, we in unattributed]
                unattributed = []
                self._follow_names(sent, inside, att, st)
                continue
            if att is None and not waiting and open_quote is None and len(text.split()) >= 4:
                unattributed.append((s, e))
            if att is not None:
                unattributed = []
                quoted = open_quote is not None and cue.startswith("inside a quotation")
                dated = open_quote[2] if quoted and open_quote[2][0] else (own_date, own_basis)
                joined = (open_quote[3] if quoted else
                          st.event if (found or self.events.joins(st.event, att, cue, text)) else None)
                claims += self._statement(p, sent, start, att, cue, dated, joined, waiting)
                waiting = []
            elif self.result.spec.kind == "review" and AUTHOR_CUES.search(text) and not NON_CONFIRMATION_RE.search(text):
                claims.append(self.maker.make(p, s, e, Attribution(None, None, "author", "analyst's assessment"),
                                         (own_date, own_basis), "author's assessment", None))
            if NON_CONFIRMATION_RE.search(text):
                claims = mark_unconfirmed(self.k, claims, text, s)
            self._follow_names(sent, inside, att, st)
        if self.news:
            claims += self.quotations_after(p, st, spans, waiting, bool(claims))
        return claims

    def _statement(self, p, sent, start: int, att: Attribution, cue: str, dated: tuple, joined,
                   waiting: list[tuple[int, int]]) -> list[Claim]:
        """The claims of an attributed sentence from `start` (a quotation that began in an earlier
        sentence: one claim for each of its sentences still `waiting`), its content parts, and one
        for each further side it names."""
        s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
        claims = []
        earlier = [(ws, we) for ws, we in waiting if start <= ws and we <= s]
        for ws, we in earlier:
            claims.append(self.maker.make(p, ws, we, att, dated, cue, joined))
        if earlier:
            start = s
        for qs, qe in content_parts(sent, att.verb, start, e):
            claims.append(self.maker.make(p, qs, qe, att, dated, cue, joined))
        for side in att.also:
            claims.append(self.maker.make(p, start, e, Attribution(None, None, side, att.source),
                                          dated, cue, joined))
        return claims

    def _sentence_attribution(self, sent, inside, st: Discourse, text: str, spans, carry: bool):
        """The sentence's own attribution; else a quotation carried on from the last one; else the
        relayed account it goes on with. (Attribution, cue, subject person)."""
        s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
        att, cue, subject_person = self.attributor.attribution(sent, inside, st)
        if att is not None and att.reported_by is None and self.side and self.news:
            # a source the gazetteer cannot place ("MAEIE", a local official by title): the side of
            # the state outlet or official site that publishes it
            att, cue = replace(att, reported_by=self.side), f"{cue}, the publisher's side"
        relayed = self.relays.participants_in_relay(att, sent, st) if att is not None and self.news else None
        if relayed is not None:
            att, cue = relayed, f"relayed account of {st.relay.source}"
        if att is None and st.last is not None and carry and any(
                s <= qs and qe <= e + 1 and len(text[qs:qe].split()) >= 4 for qs, qe in spans):
            # the verb belongs to the sentence that attributed it, perhaps in another paragraph
            att, cue = replace(st.last, verb=None), "quotation carried over from the previous attribution"
        if att is None and st.relay is not None and self.relays.relayed(sent, inside, st):
            att, cue = self.relays.relay_of(sent, inside, st), f"relayed account of {st.relay.source}"
        if att is None and st.relay is None and not any(qs <= s < qe for qs, qe in spans):
            att, cue = self.relays.readout_account(sent, inside, st, self.side if self.news else None) or (None, cue)
        return att, cue, subject_person

    def _inside_quotation(self, quoted: Attribution, att: Attribution | None, sent, inside) -> Attribution:
        """A sentence inside a quotation attributed earlier: the quotation's side and channel, its
        own speaker when it names one ("the Uzbek leader expressed hope" inside it)."""
        inner = self._quoted_speaker(sent, inside)
        if att is not None and att.speaker_id:
            return Attribution(att.speaker_id, att.speaker, quoted.reported_by, quoted.source)
        if inner is not None:
            return Attribution(inner.actor_id, inner.actor, quoted.reported_by, quoted.source)
        return quoted

    def _quoted_speaker(self, sent, inside: list[Mention]) -> Mention | None:
        """The person whose words a quoted sentence reports ("... the Uzbek leader expressed hope
        that ..." inside a quotation): the subject of its reporting verb."""
        if sent.root.lemma_.lower() not in REPORT_VERBS:
            return None
        return self.subject_person(sent, inside)
