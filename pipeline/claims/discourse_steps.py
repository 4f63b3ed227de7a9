"""What a sentence of a news item or review leaves for the sentences after it: the last attribution
and person in focus, the relayed channel, the scene's day and its speakers' days, the event it
reports and who it names first, the persons, state and institutions a later pronoun or noun may
refer to. A mixin of ClaimExtractor (extractor.py), which sets the state it reads."""

from __future__ import annotations

from pipeline.claims.attribution import Attribution, Discourse
from pipeline.claims.claim_dates import EVENT_NOUN_RE, sentence_date
from pipeline.lexicon import MADE_STATEMENTS, MAKING_VERBS, PERSONAL_HEADS, PRONOUNS
from pipeline.records import Mention


class DiscourseSteps:
    def _remember(self, st: Discourse, att: Attribution, cue: str, subject_person) -> None:
        """An attributed sentence becomes the discourse's last attribution (and its subject the
        person in focus); in a news item a channel named as the source starts a relayed account."""
        if subject_person is not None:
            st.last_person = subject_person
        st.last = att
        if self.news:
            self.relays.follow_relay(st, att, cue)

    def _scene_step(self, sent, text: str, inside, sdates, own_date, who, st: Discourse):
        """What the sentence sets for those after it: the scene's day, its speakers' days, the event
        it reports, the dated events named. Returns the event the sentence reports, if any."""
        scene = st.scene
        s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
        found = self.events.event(text, inside, own_date, st.event[0] if st.event else None)
        dated, opens = sentence_date(s, e, sdates)
        # "On 25 February, ...", "X and Y spoke by phone on 26 February.", "In an interview on
        # March 29, X discussed ...": the sentence sets the scene of what follows
        if dated and (opens or found or (self.news and EVENT_NOUN_RE.search(text))):
            scene["opening"] = dated
        elif dated and dated != scene["opening"]:
            scene["opening"] = None  # an aside on another day ends the scene the paragraph opened with
        if dated and who:
            scene["speakers"][who] = dated
        self._statement_made(sent, inside, dated, st)
        if found:
            st.event = found
            st.event_lead = self.first_participant_side(inside, found[1]) or found[1][0]
        self.dates.remember(text, own_date)
        return found

    def _follow_names(self, sent, inside, att: Attribution | None, st: Discourse) -> None:
        """The persons and the state a later pronoun or "its" may refer to."""
        persons = [m for m in inside if self.is_person(m) and m.actor_id]
        st.people.extend(persons)
        if persons and att is None:  # a pronoun next refers to this sentence's subject, else its last person
            st.last_person = self.subject_person(sent, inside) or persons[-1]
        states = [m for m in inside if m.label == "GPE" and m.actor_id in self.k.actors
                  and self.k.actors[m.actor_id].type == "state"]
        st.institutions.extend(m for m in inside if m.country and m.actor_id in self.k.actors
                               and self.k.actors[m.actor_id].type in ("institution", "organisation"))
        if states:
            st.last_state = states[0] if states[0].start - sent.start_char < 5 else states[-1]

    def _statement_made(self, sent, inside: list[Mention], dated: str | None, st: Discourse) -> None:
        """'X made the statement at a press conference on 9 April': the date of X's words so far."""
        if not dated:
            return
        for tok in sent:
            if tok.lemma_.lower() in MAKING_VERBS and any(
                    c.dep_ == "dobj" and c.lemma_.lower() in PERSONAL_HEADS | MADE_STATEMENTS for c in tok.children):
                subj = [c for c in tok.children if c.dep_ == "nsubj"]
                people = [m for m in inside for sj in subj if self.is_person(m) and m.actor_id
                          and sj.left_edge.idx <= m.start <= sj.right_edge.idx]
                if not people and subj and subj[0].lower_ in PRONOUNS and st.last_person is not None:
                    people = [st.last_person]
                if people:
                    self.dates.backdate.setdefault(people[0].actor_id, dated)
                    st.scene["speakers"][people[0].actor_id] = dated
