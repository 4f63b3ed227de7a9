"""Who the subject of a reporting verb names: a person (by name, pronoun, role noun or relative
pronoun), a channel or institution of a side (named, "its", or by its noun after the sentence that
named it), or the channel named before. The Attributor (attribute.py) finds the verb and its subject."""

from __future__ import annotations

from pipeline.claims.attribution import Attribution, Discourse
from pipeline.claims.channels import ChannelReader, as_written, institution_phrase
from pipeline.lexicon import (BARE_HEAD, BARE_HEAD_OF, GENERIC_SUBJECTS, OWNER_HEADS, PERSONAL_HEADS, PRONOUNS, ROLE_HEADS, ROLE_QUALIFIERS,
                              RU_HEAD_OF, RU_ROLES)
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
            return as_written([t for t in heads[0].subtree if t.dep_ not in ("det", "poss", "punct")])
        return entry.name
    return "statement"


def _in_content(token, verb) -> bool:
    """Is the token part of what the verb reports (its clausal complement) rather than the attribution?"""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp", "parataxis") and child.left_edge.i <= token.i <= child.right_edge.i:
            return True
    return False


class SubjectSpeaker(ChannelReader):
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
                                channel or (found[0].actor if found else "statement"),
                                verb=tok.i), cue, quoted)
        if people and not (heads & (OWNER_HEADS - PERSONAL_HEADS)):
            who = people[0]
            side = self.side_of(who)
            if side is None and st.last_person is not None and any(
                    t.dep_ == "poss" and t.lower_ in ("his", "her") for t in sj.children):
                side = self.side_of(st.last_person)  # "His spokesman X said": X speaks for his side
            return (Attribution(who.actor_id, who.actor, side, channel or "statement", verb=tok.i),
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
                                also, relay=not is_person, verb=tok.i), cue, a if is_person else None)
        if heads & OWNER_HEADS and not people:
            bare = self._bare_head_of_state(sent, inside, tok, subject_tokens)
            if bare is not None:
                return bare
        return self._carried_over(st, tok, sj, people)

    def _bare_head_of_state(self, sent, inside, tok, subject_tokens: set[int]):
        """'..., сообщила пресс-служба главы государства': the channel of a head of state named with
        no state speaks for the state of the first person the sentence names (the item's head of
        state comes first: "Президент Кыргызстана Садыр Жапаров провел телефонный разговор с ...").
        (Attribution, cue, None) or None."""
        words = [t for t in sent if t.i in subject_tokens]
        if not any(t.lemma_.lower() == BARE_HEAD and any(c.lemma_.lower() in BARE_HEAD_OF for c in t.children)
                   for t in words) or any(t.pos_ == "PROPN" for t in words):
            return None
        named = [m for m in inside if self.is_person(m) and m.actor_id and self.side_of(m)]
        if not named:
            return None
        cue = f"{tok.lemma_} (the press service of the head of state named first)"
        side = self.side_of(min(named, key=lambda m: m.start))
        return Attribution(None, None, side, "press service", relay=True, verb=tok.i), cue, None

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
            return (Attribution(None, None, before.reported_by, before.source, relay=True, verb=tok.i),
                    f"{tok.lemma_} ({sj.text}, the channel named before)", None)
        last = st.last
        if sj.lemma_.lower() in GENERIC_SUBJECTS and last is not None:
            return (Attribution(last.speaker_id, last.speaker, last.reported_by, last.source),
                    f"{tok.lemma_} ({sj.text}, carried over)", None)
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
