"""Statements carried beyond the sentence that attributes them, in news items: a paragraph that is
one quotation after a person's attributed words, a quotation left open that runs over paragraphs
with no mark, a quotation announced by a line ending in a colon ("X released the following:"),
and a sentence that points back ("This was reported by X", "Об этом заявил X"). A mixin of
ClaimExtractor (claims/extractor.py), which calls these at a paragraph's start and end."""

from __future__ import annotations

from dataclasses import replace

from pipeline.claims.attribution import Discourse
from pipeline.language.doctext import doc_text
from pipeline.lexicon import BACK_REFERENCES, REPORT_VERBS
from pipeline.records import Claim

#: paragraphs with no quotation mark that a quotation left open may run over before it is taken as lost
MAX_RUNNING_PARAGRAPHS = 4
RUNNING = "quotation running on from the paragraph before"
QUOTE_MARKS = '"“”«»„'  # a paragraph with none of these has no quotation of its own
CARRIED = "quotation paragraph carried over"


def one_quotation(text: str, spans) -> bool:
    """Is the paragraph one quotation from its first character to its last?"""
    body = text.strip()
    lead = len(text) - len(text.lstrip())
    return any(qs <= lead + 1 and qe >= lead + len(body) - 1 for qs, qe in spans)


def points_back(sent) -> bool:
    """'Об этом заявил X', 'This was reported by X': the sentence opens with a back-reference
    (back_references in knowledge/cues.toml and lexicon_ru.toml) and a reporting verb within its
    first words or as its root: it attributes what came before it and is no statement of its own."""
    low = sent.text.lower().lstrip()
    if not any(low.startswith(w + " ") for w in BACK_REFERENCES):
        return False
    # the verb near the start, or the sentence's own verb after what says to whom, where and when
    # ("Об этом телеканалу Al Arabiya заявил X", "Об этом в обращении к нации в понедельник заявила X")
    return any(t.lemma_.lower() in REPORT_VERBS and t.pos_ in ("VERB", "AUX") for t in (*sent[:5], sent.root))


def speaker_key(att) -> str | None:
    """Who speaks, for carrying a date to the same speaker's next sentence (a person, or a channel)."""
    if att is None:
        return None
    return att.speaker_id or (f"{att.reported_by}|{att.source}" if att.reported_by else None)


class CarriedStatements:
    """Needs the extractor's `maker`, `dates`, `attributor` and `discourse`."""

    def announcement(self, doc, mentions) -> None:
        """'The Kremlin press service released the following:' laid out as a line of its own: the
        quotation after it is that attribution's."""
        if not doc_text(doc).rstrip().endswith(":"):
            return
        for sent in doc.sents:
            inside = self.mentions_in(mentions, sent.start_char, sent.end_char)
            att, _, _ = self.attributor.attribution(sent, inside, self.discourse)
            if att is not None:
                self.discourse.announced = replace(att, verb=None)

    def running_quotation(self, p, doc, st: Discourse) -> list[Claim] | None:
        """A paragraph with no quotation mark inside a person's quotation left open before it: every
        sentence is still that person's (a verb in it is what is quoted, not who says it). None when
        the paragraph is not one (or the quotation has run on too long to be taken as open)."""
        if st.quote_runs_on is None or any(ch in p.text for ch in QUOTE_MARKS):
            return None
        st.quote_ran += 1
        if st.quote_ran > MAX_RUNNING_PARAGRAPHS:
            st.quote_runs_on = None
            return None
        att, claims, carried = st.quote_runs_on, [], self.maker.last_dated
        for sent in doc.sents:
            s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
            if len(p.text[s:e].split()) >= 4:
                dated = carried if carried[0] else self.dates.date_for(s, e, [], p.text[s:e], speaker_key(att), st.scene)
                claims.append(self.maker.make(p, s, e, att, dated, RUNNING, None))
        return claims

    @staticmethod
    def announced_quotation(text: str, st: Discourse, spans) -> tuple | None:
        """The quotation a paragraph ending in a colon announced ("X released the following:"),
        opening this paragraph: its sentences are that attribution's, as a quotation attributed
        earlier (the extractor's open_quote: attribution, its end, the date of the sentence that
        announced it, the event)."""
        (announced, dated), st.announced, st.announced_date = (st.announced, st.announced_date), None, (None, None)
        if announced is not None and spans and spans[0][0] <= len(text) - len(text.lstrip()):
            return announced, spans[0][1], dated, st.event
        return None

    def quotations_after(self, p, st: Discourse, spans, waiting, attributed: bool) -> list[Claim]:
        """At a news paragraph's end: the quotation sentences no verb attributed (`waiting`) are the
        words of the person quoted before them, when the paragraph is one quotation, the quotation
        follows an attributed sentence of the paragraph (`attributed`), or it closes one left open;
        the paragraph leaves a quotation open, or announces one with a colon, for the next."""
        if p.text.rstrip().endswith(":") and st.last is not None:
            st.announced, st.announced_date = replace(st.last, verb=None), self.maker.last_dated
        runs_on, st.quote_runs_on = st.quote_runs_on, None
        person = st.last if st.last is not None and st.last.speaker_id and not st.last.relay else None
        cue = CARRIED
        if waiting and spans and spans[0][0] == 0 and runs_on is not None:
            person, cue = runs_on, RUNNING
        claims = []
        if waiting and person is not None and (cue == RUNNING or one_quotation(p.text, spans) or attributed):
            # news goes on quoting the same person ("“...?” he asked. ¶ “I gave instructions ...”")
            att, carried = replace(person, verb=None), self.maker.last_dated
            for ws, we in waiting:
                dated = carried if carried[0] else self.dates.date_for(ws, we, [], p.text[ws:we], speaker_key(att), st.scene)
                claims.append(self.maker.make(p, ws, we, att, dated, cue, None))
        if spans and spans[-1][1] == len(p.text) and p.text.rstrip()[-1:] not in '"”»' and person is not None:
            st.quote_runs_on, st.quote_ran = replace(person, verb=None), 0
        return claims
