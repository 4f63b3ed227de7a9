"""Linking mentions to canonical actors.

Sources of mentions, in order of trust: the gazetteer's EntityRuler spans (names, aliases,
demonyms, capitals, institutions), role descriptions ("the Belarusian President", "his Kyrgyz
counterpart", "the President of Kazakhstan") resolved to whoever held the role on the date,
surnames resolved to the nearest preceding full mention that fits, and the statistical NER's
people, who become document-local actors with the country the text gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from pipeline.ingest.language import has_cyrillic
from pipeline.knowledge import ActorEntry, Knowledge
from pipeline.language.doctext import doc_text
from pipeline.language.nlp import SURNAME_PREFIX, surname
from pipeline.language.russian import ROLE_PREFIX, nominative
from pipeline.lexicon import (COMMON_FALSE_ENTS, ENGLISH, NOT_PERSON_WORDS, REPORT_VERBS, ROLE_HEADS, ROLE_WORDS,
                              alternation)
from pipeline.records import Actor, Mention

ROLE_RANK = ["president", "prime_minister", "de_facto_leader", "chancellor", "foreign_minister", "defence_minister",
             "secretary_of_state", "upper_house_speaker", "lower_house_speaker", "parliament_speaker"]
KEEP_LABELS = {"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC"}
NSUBJ = get_string_id("nsubj")  # the dependency label as Doc.to_array gives it


#: a role named without its country ("The Head of State"), in a readout: the publishing side's holder
HOME_ROLES = dict(ENGLISH["home_roles"])
HOME_ROLE_RE = re.compile(rf"\b(?:[Tt]he\s+)?(?P<word>{alternation(HOME_ROLES, ' ')})\b"
                          r"(?!\s+(?:of\b|[A-Z]))(?!s)")
#: determiners of a role description, either case ("[Tt]he"); titles before a local person's name
DETERMINERS = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in ENGLISH["role_determiners"])
HONORIFICS_RE = re.compile(rf"^(?:{alternation(ENGLISH['honorifics'])})\.?\s+")


@dataclass
class LinkState:
    """What linking remembers across one document's paragraphs."""

    home: str | None = None  # in a readout: the publishing side, whose "Head of State" needs no country
    last_seen: dict[str, int] = field(default_factory=dict)  # actor id -> order of last full mention
    local: dict[str, Actor] = field(default_factory=dict)  # local actor id -> actor
    counter: int = 0


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Linker:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge
        self.role_of_word = {w.lower(): role for role, words in ROLE_WORDS.items() for w in words}
        self.role_words = {w for phrase in self.role_of_word for w in phrase.split()}
        adjs = {adj: a for adj, a in ((adj, a) for a in knowledge.actors.values()
                                      if a.type in ("state", "territory") for adj in a.adjectives)}
        names = {n: a for a in knowledge.actors.values() if a.type in ("state", "territory") for n in a.names}
        self.adj_entry = adjs
        self.name_entry = names
        roles = _alternation(self.role_of_word)
        adj = _alternation(adjs)
        name = _alternation(names)
        self.role_rx = re.compile(
            rf"(?:\b(?P<det>{DETERMINERS})\s+)?(?:(?P<adj>{adj})\s+(?P<role>(?i:{roles}))(?![\w-])(?!\s+of\b)"
            rf"|(?P<role2>(?i:{roles}))\s+of\s+(?:the\s+)?(?P<name>{name})\b"
            rf"|(?P<pname>{name})['’]s\s+(?P<role3>(?i:{roles}))(?![\w-])"
            rf"|(?P<cadj>{adj})\s+(?P<counterpart>counterpart)\b(?!s))"
        )
        self.surnames: dict[str, list[ActorEntry]] = {}
        for a in knowledge.actors.values():
            if a.type == "person":
                for n in a.names:
                    if " " in n:
                        lst = self.surnames.setdefault(surname(n), [])
                        if a not in lst:
                            lst.append(a)

    # --- roles ---------------------------------------------------------------------------------

    def role_holder(self, role: str, state: ActorEntry, date: str | None) -> ActorEntry | None:
        if role == "leader":
            role = state.leader or "president"
        country = state.country if state.type == "state" else state.id
        holders = self.k.holders(role, country, date)
        return holders[0] if len(holders) == 1 else None

    def roles_of(self, actor: ActorEntry, date: str | None) -> list[str]:
        held = [r.role for r in actor.roles if r.held_on(date)]
        return sorted(held, key=lambda r: ROLE_RANK.index(r) if r in ROLE_RANK else 99)

    def resolve_role(self, m: re.Match, date: str | None, people_before) -> tuple[int, ActorEntry | None, str]:
        """A role description -> (start, holder or None, reason)."""
        det = m.group("det")
        first = next(g for g in ("adj", "role2", "pname", "cadj") if m.group(g))
        start = m.start("det") if det and det.lower() == "the" else m.start(first)
        if m.group("counterpart"):
            state = self.adj_entry[m.group("cadj")]
            anchor = people_before(start)
            if anchor is None:
                return start, None, "counterpart with no person before it in the sentence"
            roles = self.roles_of(anchor, date)
            if not roles:
                return start, None, f"counterpart of {anchor.name}, who holds no known role on {date}"
            holder = self.role_holder(roles[0], state, date)
            why = f"counterpart of {anchor.name} ({roles[0].replace('_', ' ')}) in {state.name} on {date}"
            return start, holder, why if holder else f"no single known holder: {why}"
        if m.group("adj"):
            state, word = self.adj_entry[m.group("adj")], m.group("role")
        elif m.group("pname"):
            state, word = self.name_entry[m.group("pname")], m.group("role3")
        else:
            state, word = self.name_entry[m.group("name")], m.group("role2")
        role = self.role_of_word[word.lower()]
        holder = self.role_holder(role, state, date)
        why = f"{role.replace('_', ' ')} of {state.name} on {date}"
        return start, holder, why if holder else f"no single known holder: {why}"

    def resolve_home_role(self, m: re.Match, date: str | None, state: LinkState) -> tuple[int, ActorEntry | None, str]:
        """'The Head of State' in a readout: the holder of that role for the publishing side."""
        home = self.k.states[state.home]
        role = HOME_ROLES[m.group("word")]
        why = f"{role.replace('_', ' ')} of the publishing side ({home.name}) on {date}"
        return m.start(), self.role_holder(role, home, date), why

    # --- the linking pass over one paragraph ---------------------------------------------------

    def link(self, doc: Doc, doc_id: str, paragraph_id: str, state: LinkState, date_at) -> tuple[list[Mention], list[Actor]]:
        text = doc_text(doc)
        mentions: list[Mention] = []
        new_local: list[Actor] = []
        ents = [e for e in doc.ents if e.label_ in KEEP_LABELS and not self._false_ent(e)]
        ents += self.unnamed_speakers(doc, ents)
        ents += self.local_surnames(doc, ents, state)
        people_positions: list[tuple[int, ActorEntry]] = []

        def remember(start: int, actor: ActorEntry) -> None:
            state.counter += 1
            state.last_seen[actor.id] = state.counter
            people_positions.append((start, actor))

        def people_before(pos: int) -> ActorEntry | None:
            sent_start = doc.char_span(pos, pos + 1, alignment_mode="expand")
            limit = sent_start.sent.start_char if sent_start is not None else 0
            before = [a for p, a in people_positions if limit <= p < pos]
            return before[-1] if before else None

        orgs = [(e.start_char, e.end_char) for e in ents if e.label_ == "ORG"]
        roles = [m for m in self.role_rx.finditer(text)
                 if not any(s <= m.start("role2" if m.group("role2") else 0) and m.end() <= e for s, e in orgs)]
        # "Kazakhstan's President" is a role; the state mention inside it stays a mention of the state
        items = [(e.start_char, 1, e) for e in ents] + [(m.start(), 0, m) for m in roles]
        if state.home and state.home in self.k.states:
            taken = [(m.start(), m.end()) for m in roles] + [(e.start_char, e.end_char) for e in ents]
            for m in HOME_ROLE_RE.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    items.append((m.start(), 2, m))
        def add(start: int, end: int, label: str, actor, why: str) -> None:
            mentions.append(Mention(doc_id, paragraph_id, start, end, text[start:end], label,
                                    actor.id if actor else None, actor.name if actor else None,
                                    actor.country if actor else None, why))

        for _, kind, item in sorted(items, key=lambda i: (i[0], i[1])):
            if kind in (0, 2):  # a role description; 2: "the Head of State" of a readout's own side
                resolve = self.resolve_role if kind == 0 else self.resolve_home_role
                start, holder, why = resolve(item, date_at(item.start()), people_before if kind == 0 else state)
                if holder is not None:
                    remember(start, holder)
                add(start, item.end(), "PERSON", holder, "role: " + why)
                continue
            e = item
            if e.label_ == "PERSON":
                actor, why = self._person(e, e.ent_id_, state, date_at(e.start_char))
                if actor is None and e.ent_id_.startswith(ROLE_PREFIX):
                    add(e.start_char, e.end_char, e.label_, None, why)
                    continue
                if actor is None:
                    actor = self._local_actor(e, doc_id, state)
                    if actor.id not in state.local:
                        new_local.append(actor)
                        state.local[actor.id] = actor
                else:
                    remember(e.start_char, actor)
                add(e.start_char, e.end_char, e.label_, actor, why)
                continue
            entry = self.k.actors.get(e.ent_id_) if e.ent_id_ else None
            add(e.start_char, e.end_char, e.label_, entry,
                "gazetteer" if entry else "statistical NER; not in the gazetteer")
        mentions.sort(key=lambda m: (m.start, m.end))
        return mentions, new_local

    def _person(self, e: Span, ent_id: str, state: LinkState, date: str | None) -> tuple[ActorEntry | None, str]:
        if ent_id.startswith(ROLE_PREFIX):  # a role phrase of the Russian gazetteer: role:<role>:<country>
            role, country = ent_id[len(ROLE_PREFIX):].split(":")
            state = self.k.states[country]
            holder = self.role_holder(role, state, date)
            why = f"{role.replace('_', ' ')} of {state.name} on {date}"
            return holder, "role: " + (why if holder else f"no single known holder: {why}")
        if ent_id and not ent_id.startswith(SURNAME_PREFIX):
            return self.k.actors[ent_id], "gazetteer name"
        name = ent_id[len(SURNAME_PREFIX):] if ent_id else e.text
        last = name.split()[-1]
        candidates = self.surnames.get(last, []) if (ent_id or len(name.split()) == 1) else []
        if candidates:
            seen = [(state.last_seen[c.id], c) for c in candidates if c.id in state.last_seen]
            if seen:
                best = max(seen, key=lambda s: s[0])[1]
                return best, f"surname: the nearest preceding full mention is {best.name}"
            in_office = [c for c in candidates if self.roles_of(c, date)]
            if len(in_office) >= 1:
                ranked = sorted(in_office, key=lambda c: min(
                    (ROLE_RANK.index(r) if r in ROLE_RANK else 99) for r in self.roles_of(c, date)))
                best = ranked[0]
                return best, f"surname with no earlier full mention: {best.name}, highest office on {date}"
        # a surname of a document-local person seen before
        for local in state.local.values():
            if " " not in name and surname(local.name) == name:
                return None, f"surname of {local.name}, seen earlier in the document"
        return None, "statistical NER; not in the gazetteer"

    def _local_actor(self, e: Span, doc_id: str, state: LinkState) -> Actor:
        # a Russian name in whichever case the sentence puts it: one person, one nominative name
        name = nominative(e) if has_cyrillic(e.text) else HONORIFICS_RE.sub("", e.text)
        if " " not in name:
            for local in state.local.values():
                if surname(local.name) == name:
                    return local
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or re.sub(r"\W+", "-", name.lower()).strip("-")
        return Actor(f"local-{doc_id}-{slug}", name, "person", self._country_from_context(e), local=True)

    def _country_from_context(self, e: Span) -> str | None:
        """'Ukraine's ambassador in Tashkent, X' -> UA, 'Zelensky's adviser X' -> UA, 'the Azerbaijani Foreign
        Ministry spokesperson X' -> AZ: the country of the role noun the name stands beside."""
        root = e.root
        head = root
        if root.dep_ in ("appos", "compound"):
            head = root.head
        elif root.dep_ == "nsubj" and root.head.dep_ == "relcl" and root.head.head.lemma_.lower() in ROLE_HEADS:
            head = root.head.head  # a parse that hangs "X said" under "the ... spokesperson"
        near = [t for t in head.children if t.dep_ in ("poss", "amod", "compound", "nmod")] + \
               [t for t in root.children if t.dep_ in ("amod", "compound")]
        for t in near + [t for t in head.subtree if not (e.start <= t.i < e.end)]:
            if not t.ent_id_ or e.start <= t.i < e.end:
                continue
            entry = self.k.actors.get(t.ent_id_)
            if entry is None or not entry.country:
                continue
            if t.ent_type_ in ("GPE", "NORP", "ORG") or (t.ent_type_ == "PERSON" and t.dep_ == "poss"):
                return entry.country
        return None

    @staticmethod
    def local_surnames(doc: Doc, ents: list[Span], state: LinkState) -> list[Span]:
        """A document-local person named again by surname alone ("Smadiyarov made the remarks")
        where the statistical NER missed it, or took it for an organisation or a place
        ("Cavusoglu" as ORG): the span becomes that person's. Gazetteer surnames come from the
        EntityRuler. (Changes `ents` in place for the relabelled ones.)"""
        names = {surname(a.name) for a in state.local.values() if " " in a.name}
        if not names:
            return []
        for n, e in enumerate(ents):
            if e.label_ != "PERSON" and e.text in names:
                ents[n] = Span(doc, e.start, e.end, label="PERSON")
        covered = {t.i for e in ents for t in e}
        return [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc
                if t.text in names and t.i not in covered and t.pos_ == "PROPN"]

    def unnamed_speakers(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Proper names the statistical NER missed but that speak: the title-case subject of a
        reporting verb ("... spokesperson Leyla Abdullayeva said")."""
        covered = {t.i for e in ents for t in e}
        found = []
        # only the subjects are looked at: making a Token of every word cost more than the test
        for i in (doc.to_array("DEP") == NSUBJ).nonzero()[0].tolist():
            tok = doc[i]
            if tok.head.lemma_.lower() not in REPORT_VERBS or tok.i in covered:
                continue
            if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
                continue
            start = tok.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i in range(start, tok.i + 1) \
                    and doc[start - 1].pos_ == "PROPN" and doc[start - 1].i not in covered:
                start -= 1
            words = [doc[i].text for i in range(start, tok.i + 1)]
            if tok.i - start >= 1 and not any(
                    w in self.adj_entry or w in self.name_entry or w in NOT_PERSON_WORDS or w.lower() in ROLE_HEADS
                    or w.lower() in self.role_words for w in words):
                found.append(Span(doc, start, tok.i + 1, label="PERSON"))
        return found

    def _false_ent(self, e: Span) -> bool:
        """Statistical entities the small model gets wrong on this domain ('Center' as GPE)."""
        if e.ent_id_:
            return False
        if len(e) == 1 and (e.text.lower() in COMMON_FALSE_ENTS or e[0].tag_ in ("NN", "NNS")):
            return True
        if e.label_ == "PERSON" and any(
            t.text in self.adj_entry or t.text in self.name_entry or t.text in NOT_PERSON_WORDS for t in e
        ):
            return True
        return False
