"""Who a sentence is attributed to: the reporting verb highest in the parse and its subject, "according
to X", a channel named in the attribution, pronouns and role nouns resolved against the discourse.
Gives an Attribution (speaker, reporting side, channel, cue) or nothing."""

from __future__ import annotations

from dataclasses import replace

from pipeline.claims.attribution import Attribution, Discourse, quote_spans
from pipeline.claims.channels import ChannelReader, institution_phrase
from pipeline.ingest.language import has_cyrillic
from pipeline.language.doctext import doc_text
from pipeline.lexicon import (BACK_REFERENCES, CHANNEL_SUBJECTS, DECLARED_ACTS, GENERIC_SUBJECTS, IMPERSONAL_VERBS,
                              NEGATION_WORDS, OBJECT_BOUND_VERBS, OPINION_VERBS, OWNER_HEADS, PERSONAL_HEADS, PRONOUNS,
                              REPORT_VERBS, ROLE_HEADS, ROLE_QUALIFIERS, RU_HEAD_OF, RU_ROLES)
from pipeline.records import Mention


def _owner_source(subj, entry, is_person: bool) -> str:
    """The channel named by the subject: "Tokayev's office" -> "office of Kassym-Jomart Tokayev",
    "the Kyrgyz Foreign Ministry" -> its canonical name, "a Kremlin spokesman" -> "Kremlin spokesman"."""
    if is_person:
        return "statement"
    if entry is None or entry.type in ("state", "territory"):  # "Its Foreign Ministry", "the Tajik ... ministries"
        return institution_phrase([t for sj in subj for t in sj.subtree]) or "statement"
    if entry.type == "person":
        heads = [t for t in subj if t.lemma_.lower() in OWNER_HEADS | ROLE_HEADS]
        return f"{heads[0].text.lower()} of {entry.name}" if heads else "statement"
    if entry.type in ("institution", "organisation", "media"):
        heads = [t for t in subj if t.lemma_.lower() in ROLE_HEADS]
        if heads:
            words = [t.text for t in heads[0].subtree if t.dep_ not in ("det", "poss", "punct")]
            return " ".join(words)
        return entry.name
    return "statement"


def _in_content(token, verb) -> bool:
    """Is the token part of what the verb reports (its clausal complement) rather than the attribution?"""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp", "parataxis") and child.left_edge.i <= token.i <= child.right_edge.i:
            return True
    return False


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


class Attributor(ChannelReader):
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
                return (Attribution(who.actor_id, who.actor, self.side_of(who), "statement", cue, verb=tok.i),
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

    def _by_subject(self, sent, inside, st: Discourse, tok, subj):
        """(Attribution, cue, person) from the verb's subject: a person (by name, pronoun, role noun
        or relative pronoun), a channel or institution of a side, or the channel named before."""
        lo = min(sj.left_edge.idx for sj in subj)
        hi = max(sj.right_edge.idx + len(sj.right_edge.text) for sj in subj)
        sj = subj[-1]
        heads = {t.lemma_.lower() for t in subj}
        found = [m for m in inside if lo <= m.start and m.end <= hi
                 and (heads & (OWNER_HEADS | ROLE_HEADS) or any(m.start <= t.idx < m.end for t in subj))]
        subject_tokens = {t.i for sj_ in subj for t in sj_.subtree}
        role_subject = bool(heads & ROLE_HEADS)
        channel = (None if role_subject else self._channel([t for t in sent if t.i in subject_tokens], inside)) \
            or self._channel([t for t in sent if not _in_content(t, tok) and t.i not in subject_tokens], inside)
        people = self._subject_people(sent, inside, st, sj, heads, found)
        if len({m.actor_id for m in people}) > 1 and not heads & OWNER_HEADS:
            return None  # two speakers at once: not one person's statement
        cue = f"{tok.lemma_} ({sj.text})"
        quoted = self._quoted_person(inside, tok)
        if quoted is not None:  # "BelTA quoted Lukashenko as saying"
            return (Attribution(quoted.actor_id, quoted.actor, self.side_of(quoted),
                                channel or (found[0].actor if found else "statement"), cue,
                                verb=tok.i), cue, quoted)
        if people and not (heads & (OWNER_HEADS - PERSONAL_HEADS)):
            who = people[0]
            side = self.side_of(who)
            if side is None and st.last_person is not None and any(
                    t.dep_ == "poss" and t.lower_ in ("his", "her") for t in sj.children):
                side = self.side_of(st.last_person)  # "His spokesman X said": X speaks for his side
            return (Attribution(who.actor_id, who.actor, side, channel or "statement", cue, verb=tok.i),
                    cue, who)
        actors = self._subject_actors(st, subj, sj, heads, found, people)
        if actors:
            a = actors[0]
            entry = self.k.actors.get(a.actor_id)
            is_person = self.is_person(a) and not (heads & (OWNER_HEADS - PERSONAL_HEADS))
            also = ()
            if not is_person and any(t.tag_ in ("NNS", "NNPS") for t in subj):
                sides = [self.side_of(m) for m in actors if not self.is_person(m)]
                also = tuple(dict.fromkeys(x for x in sides if x and x != self.side_of(a)))
            return (Attribution(a.actor_id if is_person else None, a.actor if is_person else None,
                                self.side_of(a),
                                channel or _owner_source(subj, entry, is_person),
                                cue, also, relay=not is_person, verb=tok.i), cue, a if is_person else None)
        return self._carried_over(st, tok, sj, people)

    def _subject_people(self, sent, inside, st: Discourse, sj, heads: set[str], found: list[Mention]) -> list[Mention]:
        """The persons the subject names: by name, a role noun's holder, a pronoun's or relative
        pronoun's antecedent; of "Zelensky's adviser X", X."""
        people = [m for m in found if self.is_person(m) and m.actor_id]
        if not found and sj.lemma_.lower() in ROLE_HEADS and (
                any(t.lower_ == "the" for t in sj.children) or sj.lemma_.lower() in RU_ROLES or sj.lemma_ == "глава"):
            holder = self._role_holder(sj, st)  # "The president further explained that ...", "— сказал министр"
            people = [holder] if holder else people
        if sj.lower_ in PRONOUNS and st.last_person is not None:
            people = [st.last_person]
        elif sj.lower_ in ("who", "that"):
            antecedent = self._antecedent(sj, inside)
            people = [antecedent] if antecedent else people
        possessors = [m for m in people if any(t.dep_ == "poss" and m.start <= t.idx < m.end for t in sent)]
        if heads & ROLE_HEADS and possessors and len(people) > len(possessors):
            people = [m for m in people if m not in possessors]  # "Zelensky's adviser X": X speaks
        return people

    def _quoted_person(self, inside, tok) -> Mention | None:
        """The person "quote" or "cite" takes as its object ("BelTA quoted Lukashenko as saying")."""
        if tok.lemma_.lower() not in ("quote", "cite"):
            return None
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        quoted = [m for m in inside for o in objs
                  if self.is_person(m) and m.actor_id and o.left_edge.idx <= m.start <= o.right_edge.idx]
        return quoted[0] if quoted else None

    def _subject_actors(self, st: Discourse, subj, sj, heads: set[str], found: list[Mention],
                        people: list[Mention]) -> list[Mention]:
        """The sides' actors the subject names: itself, "its" state, or the institution its noun names."""
        actors = [m for m in found if m.country]
        if not actors and st.last_state is not None and heads & OWNER_HEADS and any(
                t.dep_ == "poss" and t.lower_ == "its" for sj_ in subj for t in sj_.subtree):
            actors = [st.last_state]  # "Turkmenistan remained silent. Its Foreign Ministry published ..."
        if not actors and not people and sj.lemma_.lower() in OWNER_HEADS and not any(
                c.dep_ in ("poss", "nmod", "amod", "compound") for c in sj.children):
            named = self._institution_named_before(sj, st)
            actors = [named] if named else actors  # "The Uzbek Foreign Ministry ... the ministry said"
        return actors

    def _carried_over(self, st: Discourse, tok, sj, people: list[Mention]):
        """"the press service said", "It was noted that": the channel named before; "the sides
        agreed": the last attribution. None otherwise."""
        before = self._channel_named_before(st)
        # "It was noted that", "It emphasized that" (not the writer's "It should be noted that")
        impersonal = sj.lower_ == "it" and not people and not any(c.tag_ == "MD" for c in tok.children)
        if (sj.lemma_.lower() in OWNER_HEADS or impersonal) and before is not None and not people:
            # "the press service said": the channel named before, whoever its content is about
            return (Attribution(None, None, before.reported_by, before.source, "carried over", relay=True,
                                verb=tok.i), f"{tok.lemma_} ({sj.text}, the channel named before)", None)
        last = st.last
        if sj.lemma_.lower() in GENERIC_SUBJECTS and last is not None:
            return Attribution(last.speaker_id, last.speaker, last.reported_by, last.source,
                               "carried over"), f"{tok.lemma_} ({sj.text}, carried over)", None
        return None

    @staticmethod
    def _institution_named_before(noun, st: Discourse) -> Mention | None:
        """'the ministry', 'министерство': the latest institution named before whose name has that
        noun (its first seven letters, so that an inflected Russian name matches too)."""
        stem = noun.lemma_.lower()[:7]
        for m in reversed(st.institutions):
            if any(w.startswith(stem) for w in f"{m.text} {m.actor or ''}".lower().split()):
                return m
        return None

    def _role_holder(self, noun, st: Discourse) -> Mention | None:
        """'The president further explained': the last person named who holds that role."""
        words = {noun.lemma_.lower()} | {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod")}
        role = noun.lemma_.lower()
        if role == "глава" or role in RU_ROLES:  # Russian: the role's own words ("глава правительства")
            of = [RU_HEAD_OF[c.lemma_.lower()] for c in noun.children if c.dep_ == "nmod" and c.lemma_.lower() in RU_HEAD_OF]
            role_name = of[0] if role == "глава" and of else RU_ROLES.get(role)
            if role_name is None:
                return None
            role, words = role_name.split("_")[-1], set(role_name.split("_"))
        if role == "head" and any(c.dep_ == "prep" and any(g.lemma_.lower() == "state" for g in c.children)
                                  for c in noun.children):
            role = "president"  # "the head of state noted"
        qualifiers = words & ROLE_QUALIFIERS
        for m in [st.last_person, *reversed(st.people)]:  # the person in focus first
            entry = self.k.actors.get(m.actor_id) if m is not None else None
            if entry is not None and any(role in r.role.split("_") and qualifiers <= set(r.role.split("_"))
                                         for r in entry.roles):
                return m
        return None

    def _antecedent(self, relative, inside: list[Mention]) -> Mention | None:
        """'X, who said ...' -> X; 'X was the only leader who declared ...' -> X (through the copula)."""
        verb = relative.head
        while verb.dep_ == "conj":
            verb = verb.head
        if verb.dep_ != "relcl":
            return None
        node = verb.head
        for _ in range(8):
            here = [m for m in inside if self.is_person(m) and m.actor_id and m.start <= node.idx < m.end]
            if here:
                return here[0]
            if node.dep_ == "attr":  # "X was the only one who ..."
                subjects = [c for c in node.head.children if c.dep_ == "nsubj"]
                for sj in subjects:
                    people = [m for m in inside if self.is_person(m) and m.actor_id
                              and sj.left_edge.idx <= m.start <= sj.right_edge.idx]
                    if people:
                        return people[0]
                return None
            if node.head is node:
                return None
            node = node.head
        return None

    @staticmethod
    def _owner_subject(tok) -> bool:
        """'The Armenian readout made no mention of ...': a channel as the subject of any verb."""
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in CHANNEL_SUBJECTS for c in tok.children)

