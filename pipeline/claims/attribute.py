"""Who a sentence is attributed to: the reporting verb highest in the parse and its subject, "according
to X", a channel named in the attribution; who the subject names is speaker.py's. Gives an
Attribution (speaker, reporting side, channel, cue) or nothing."""

from __future__ import annotations

from dataclasses import replace

from pipeline.claims.attribution import Attribution, Discourse, quote_spans
from pipeline.claims.speaker import SubjectSpeaker
from pipeline.ingest.language import has_cyrillic
from pipeline.language.doctext import doc_text
from pipeline.lexicon import (BACK_REFERENCES, CHANNEL_SUBJECTS, DECLARED_ACTS, IMPERSONAL_VERBS, NEGATION_WORDS,
                              OBJECT_BOUND_VERBS, OPINION_VERBS, OWNER_HEADS, REPORT_VERBS)


def _closing_report_noun(tok) -> bool:
    """'..., Kremlin's press service reports.': a reporting verb the tagger took for the head noun of
    'press service reports', closing the sentence after a comma."""
    if tok.pos_ != "NOUN" or tok.dep_ != "ROOT" or tok.lemma_.lower() not in REPORT_VERBS or not tok.text.endswith("s"):
        return False
    rest = [t for t in tok.doc[tok.i + 1:tok.sent.end] if not t.is_punct]
    lefts = list(tok.lefts)
    return not rest and any(t.text == "," for t in lefts) and any(t.dep_ in ("compound", "poss") for t in lefts)


def _dropped_subject(tok) -> bool:
    """A Russian finite verb of the main clause in the past or third person with no subject of its
    own ("ответил, что", "подчеркнул"): its subject is the person in focus."""
    if not has_cyrillic(tok.lemma_) or tok.lemma_.endswith(("ся", "сь")):
        return False
    if tok.dep_ not in ("ROOT", "conj", "parataxis") or "Fin" not in tok.morph.get("VerbForm"):
        return False
    if not ("Past" in tok.morph.get("Tense") or "3" in tok.morph.get("Person")):
        return False
    return not any(c.dep_.startswith("nsubj") for c in tok.children) and tok.dep_ != "conj"


class Attributor(SubjectSpeaker):
    def attribution(self, sent, inside, st: Discourse):
        """(Attribution, cue, subject person) for a sentence, or (None, None, None)."""
        att, cue, who = self._attribution_of(sent, inside, st)
        if att is None:
            att, cue, who = self._labelled_quotation(sent, inside, st) or (None, None, None)
        if att is not None and not att.relay and att.verb is not None:
            channel = self._trailing_channel(sent, inside, st, att)
            if channel is not None:
                att, cue = channel
        if att is not None and att.relay and att.speaker_id is None:
            # "X backed the plan, the Kremlin said": the channel reports, X speaks
            speaker = self._content_speaker(sent, att, inside)
            if speaker is not None:
                att = replace(att, speaker_id=speaker.actor_id, speaker=speaker.actor)
        return att, cue, who


    def _trailing_channel(self, sent, inside, st: Discourse, att: Attribution):
        """'X expressed support for ..., the Kremlin press service said': a channel set off after the
        content reports what X said (its side, X the speaker). (Attribution, cue) or None."""
        for tok in self._reporting_verbs(sent):
            subj = self._subjects(tok)
            if tok.i <= att.verb or not subj:
                continue
            first = min([tok.i] + [sj.left_edge.i for sj in subj])  # Russian puts the verb first
            while first > sent.start + 1 and f"{sent.doc[first - 2].lower_} {sent.doc[first - 1].lower_}" in BACK_REFERENCES:
                first -= 2  # "…, об этом сообщает пресс-служба X"
            if first == sent.start or sent.doc[first - 1].text not in (",", "—", "–"):
                continue
            found = self._by_subject(sent, inside, st, tok, subj)
            if found is not None and found[0].relay and found[0].reported_by:
                if att.reported_by and self._media(found[0].source):
                    # "X said …, TASS reports": an agency relaying X's own words; X's side (GUIDE rule 2)
                    return replace(att, source=found[0].source), found[1]
                channel = replace(found[0], speaker_id=att.speaker_id, speaker=att.speaker)
                return channel, found[1]
        return None

    def _media(self, name: str | None) -> bool:
        """Is the channel a news outlet (an agency relays words), not a government's own channel?"""
        return bool(name) and any(a.type == "media" and name in a.names for a in self.k.actors.values())

    def _attribution_of(self, sent, inside, st: Discourse):
        found = self._according_to(sent, inside, st) or self._citing(sent, inside)
        if found is not None:
            return found
        # the reporting verb highest in the parse attributes; one below it is part of the content
        # ("X informed Y of Z, the Kremlin said": said, not informed)
        for tok in self._reporting_verbs(sent):
            subj = self._subjects(tok)
            if subj:
                found = self._by_subject(sent, inside, st, tok, subj)
                if found is not None:
                    return found
        for tok in self._reporting_verbs(sent):
            if _dropped_subject(tok) and st.last_person is not None:
                # Russian leaves out the subject the sentence before named: "…Жапаров. … ответил, что"
                who, cue = st.last_person, f"{tok.lemma_} (the person named before)"
                return (Attribution(who.actor_id, who.actor, self.side_of(who), "statement", verb=tok.i),
                        cue, who)
        return None, None, None

    def _reporting_verbs(self, sent) -> list:
        """The verbs that can attribute the sentence (found once per sentence: three steps ask)."""
        if getattr(self, "_verbs_doc", None) is not sent.doc:
            self._verbs_doc, self._verbs = sent.doc, {}
        key = (sent.start, sent.end)
        if key not in self._verbs:
            self._verbs[key] = list(self._find_reporting_verbs(sent))
        return self._verbs[key]

    def _find_reporting_verbs(self, sent):
        """The verbs that can attribute the sentence, highest in the parse first: reporting and
        opinion verbs, a channel as the subject; not acts ("raised prices", "declared a state of
        emergency") and not negated statements ("did not condemn")."""
        quoted = self._quotes(sent.doc)
        candidates = [t for t in sent if t.pos_ in ("VERB", "AUX") or _closing_report_noun(t)]  # sorted after:
        for tok in sorted(candidates, key=lambda t: (len(list(t.ancestors)), t.i)):  # same order, fewer keys
            if any(qs < tok.idx < qe for qs, qe in quoted):
                continue  # a verb inside quotation marks is what is quoted, never who says it
            opinion = tok.lemma_.lower() in OPINION_VERBS and any(c.dep_ == "nsubj" for c in tok.children)
            if tok.lemma_.lower() not in REPORT_VERBS and not opinion and not self._owner_subject(tok):
                continue
            bound = OBJECT_BOUND_VERBS.get(tok.lemma_.lower())
            if bound and not any(c.dep_ == "dobj" and c.lemma_.lower() in bound for c in tok.children):
                continue  # "raised prices" is no statement; "raised the question of" is
            if tok.lemma_.lower() == "declare" and any(
                    c.dep_ == "dobj" and c.lemma_.lower() in DECLARED_ACTS for c in tok.children):
                continue  # "declared a state of emergency" is an act, not a statement
            before = {tok.doc[i].lower_ for i in range(max(sent.start, tok.i - 2), tok.i)}
            negated = any(c.dep_ == "neg" or (c.lower_ in NEGATION_WORDS and c.i < tok.i) for c in tok.children) \
                or before & {"nor", "neither"}
            if negated and not self._owner_subject(tok):
                continue  # "did not condemn", "nor overtly condemned": not a statement; but "the
                # Kazakh readout did not mention X" is that side's account of what it left out
            yield tok

    def _quotes(self, doc) -> list[tuple[int, int]]:
        """The paragraph's quotation spans, found once per paragraph."""
        if getattr(self, "_quoted_doc", None) is not doc:
            self._quoted_doc, self._quoted = doc, quote_spans(doc_text(doc))
        return self._quoted

    @staticmethod
    def _subjects(tok) -> list:
        """Who the verb's statement is by: its subject, the agent of a passive ("a statement issued
        by X"), or the subject of the verb above ("X went on to say that")."""
        if _closing_report_noun(tok):  # "..., Kremlin's press service reports.": the words before it
            return [c for c in tok.lefts if c.dep_ in ("compound", "poss", "nmod", "amod", "det")]
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "nsubj:pass")]
        before = [c for c in subj if c.i < tok.i]
        if len(before) > 1:  # two subjects is a misparse ("…his counterpart X, the Ministry told"):
            subj = [max(before, key=lambda c: c.i)]  # the one next to the verb is its subject
        if not subj:
            inverted = Attributor._inverted_subject(tok)
            if inverted is not None:
                return [inverted]
        agent = [c for c in tok.children if c.dep_ == "agent"]
        if agent and (not subj or all(c.dep_ == "nsubjpass" and c.lower_ in ("it", "this") for c in subj)):
            # "a statement issued by X", "it was stated by X that", "as stated by X, ..."
            subj = [c for a in agent for c in a.children if c.dep_ == "pobj"] or agent
        elif not subj and (tok.dep_ == "conj" or (tok.dep_ in ("xcomp", "advcl") and any(
                c.dep_ == "ccomp" for c in tok.children))):
            # "X went on to say that", "X declined to comment, saying that": the subject of the verb above
            subj = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj and not has_cyrillic(tok.lemma_):
            subj = Attributor._set_off_subject(tok)  # English word order: Russian puts its subject after the verb
        if not subj and tok.lemma_.lower() in IMPERSONAL_VERBS:
            # "В сообщении пресс-службы X говорится, что", "— говорится в заявлении": the channel
            subj = [c for c in tok.children if c.dep_ in ("obl", "nmod") and c.lemma_.lower() in OWNER_HEADS]
        elif not subj and has_cyrillic(tok.lemma_):
            # "Об этом сообщили в пресс-службе X", "— заявили в министерстве": a verb without a subject
            # (an indefinite-personal one) says who speaks by the institution it is said "in"
            subj = [c for c in tok.children if c.dep_ == "obl" and c.lemma_.lower() in OWNER_HEADS
                    and any(a.dep_ == "case" and a.lower_ in ("в", "во") for a in c.children)]
        return subj

    @staticmethod
    def _inverted_subject(tok):
        """'..., reported the Ministry of Foreign Affairs of Tajikistan.', '..." noted the ministry.':
        after a comma or a closing quotation mark, a noun phrase that follows the verb and ends the
        sentence is who speaks (the parser takes it for an object)."""
        doc = tok.doc
        if tok.i == tok.sent.start or doc[tok.i - 1].text not in (",", "”", '"', "»"):
            return None
        objs = [c for c in tok.children if c.dep_ in ("dobj", "attr") and c.i > tok.i]
        if not objs or objs[0].pos_ not in ("NOUN", "PROPN"):
            return None
        last = max(t.i for t in objs[0].subtree)
        rest = [t for t in doc[last + 1:tok.sent.end] if not t.is_punct]
        return objs[0] if not rest else None

    @staticmethod
    def _set_off_subject(tok) -> list:
        """'..., the press service of the Kremlin reported after the talks': a noun phrase between a
        comma and the verb that the parser hung elsewhere is the verb's subject."""
        doc, span = tok.doc, []
        j = tok.i - 1
        while j >= tok.sent.start and doc[j].pos_ in ("DET", "NOUN", "PROPN", "ADP", "ADJ", "PART") and len(span) < 8:
            span.append(j)
            j -= 1
        if not span or j < tok.sent.start or doc[j].text != "," or not any(doc[k].pos_ in ("NOUN", "PROPN") for k in span):
            return []
        lo, hi = min(span), max(span)
        return [doc[k] for k in sorted(span) if not lo <= doc[k].head.i <= hi][:1]

    @staticmethod
    def _owner_subject(tok) -> bool:
        """'The Armenian readout made no mention of ...': a channel as the subject of any verb."""
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in CHANNEL_SUBJECTS for c in tok.children)

