"""Attributed statements -> claims, with speaker, reporting side, channel, date and stance.

Reviews: a sentence is a claim when a reporting verb ("said", "stressed", "wrote", "announced",
"expressed", ...) or "according to X" attributes it to an actor; its speaker is the person in
the verb's subject (pronouns go to the last speaker), its reporting side is the side whose
official or channel put it out ("according to the Kremlin" -> RU even when Mirziyoyev speaks).
A quotation that runs over several sentences is one statement per sentence with one
attribution. Readouts and statements: every substantive sentence is a claim reported by the
publishing side. Sentences that merely name a person are not claims.

Beside this module: attribution.py (the records of who speaks, the discourse state, quotation
spans), claim_dates.py (when a statement was made), claim_content.py (what it says, for comparing
two sides' accounts), knowledge/cues.toml (the reporting verbs).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from pipeline.claims.attribution import Attribution, Discourse, content_parts, quote_spans
from pipeline.claims.claim_content import content_key
from pipeline.claims.claim_dates import StatementDates, clause_dates, sentence_date
from pipeline.claims.stance import Stance, StanceReader
from pipeline.ingest.parse import normalise
from pipeline.knowledge import Knowledge
from pipeline.lexicon import OBJECT_BOUND_VERBS, OWNER_HEADS, PERSONAL_HEADS, PRONOUNS, REPORT_VERBS, ROLE_HEADS
from pipeline.records import Claim, Mention, Paragraph

DECLARED_ACTS = {"state", "emergency", "war", "mourning", "independence", "martial", "holiday", "quarantine"}
OPINION_VERBS = {"view", "consider", "regard", "believe", "see", "assess", "characterize", "characterise"}
CHANNEL_VERBS = {"publish", "post", "issue", "release"}
GENERIC_SUBJECTS = {"statement", "ministry", "administration", "office", "side", "government", "council",
                    "document", "information", "service", "web", "page", "website", "parties", "sides"}
NON_CONFIRMATION_RE = re.compile(
    r"no confirmation|not (?:been )?confirmed|did not mention|without mentioning|(?:is|was|were) not mentioned|"
    r"were not discussed|was not discussed|does not mention|no mention of", re.I)
CONFIRMATION_NOTE_RE = re.compile(r"no confirmation|not (?:been )?confirmed", re.I)
FROM_SIDE_RE = re.compile(r"from the (\w+) side", re.I)
# The author's own assessment, by construction rather than by phrase: a sentence opened by an
# evaluative or epistemic adverb; an impersonal evaluation ("It should be noted that", "It is
# likely that"); an estimate of likelihood ("there is a high probability / a real risk"); a
# prediction of an outcome ("will be a severe blow / a turning point"); a statement of what is not
# known ("X's position is unknown / remains unclear").
AUTHOR_CUES = re.compile(
    r"^(?:Apparently|Undoubtedly|Interestingly|Evidently|Clearly|Obviously|Notably|Nevertheless|Arguably|"
    r"Presumably|Probably|Perhaps|Certainly|Surprisingly|Importantly),|"
    r"\bIt (?:should be|must be|is|is worth|seems) (?:noted|noteworthy|noting|likely|unlikely|clear|evident|obvious)\b|"
    r"\bthere is an? (?:\w+ )?(?:probability|likelihood|chance|possibility|risk)\b|"
    r"\bwill (?:be|become|prove) an? (?:\w+ )?(?:blow|setback|success|victory|defeat|test|turning point)\b|"
    r"\b(?:is|was|remains|remained) (?:still )?(?:unknown|unclear|not known)\b", re.I)
BOILERPLATE_RE = re.compile(
    r"agreed to (?:keep|maintain|stay) in (?:close )?contacts?|agreed to (?:maintain|continue) (?:the )?contacts?|exchanged (?:new year|holiday|festive) greetings|"
    r"^(?:read more|read about|share|print)\b", re.I)
EVENT_CUES = [
    ("call", re.compile(r"telephone (?:conversation|call|talks?)|phone (?:call|conversation)|spoke (?:by|on the) (?:tele)?phone|by phone|\bconversations?\b", re.I)),
    ("meeting", re.compile(r"\bmet\b|\bmeeting\b|\bhosted\b|\bvisit(?:ed)?\b|\breceived\b", re.I)),
    (None, re.compile(r"\btalks\b", re.I)),  # talks: of the kind already in context, else a meeting
    ("talks", re.compile(r"\b(?:discussed|held talks|negotiated)\b", re.I)),  # two sides, the mode not said
]
PLURAL_ROLE_RE = re.compile(r"(Presidents|leaders|Prime Ministers|Foreign Ministers|heads of state) of (?:the )?([\w-]+) and (?:the )?([\w-]+)")
PLURAL_ROLES = {"presidents": "president", "heads of state": "president", "leaders": "leader",
                "prime ministers": "prime_minister", "foreign ministers": "foreign_minister"}
EVENT_REF_RE = re.compile(r"\b(?:conversation|call|talks|meeting|met|discuss\w*|sides|parties|leaders|counterparts?|"
                          r"informed|agreed|exchanged|visit|negotiations|readout|statement|web-?pages?|website|account)\b", re.I)
CHANNEL_CUES = [
    (re.compile(r"\bKremlin\b", re.I), "Kremlin readout"),
    (re.compile(r"\breadout\b", re.I), "readout"),
    (re.compile(r"\bTwitter\b|\btweet", re.I), "Twitter"),
    (re.compile(r"televised (?:speech|address)", re.I), "televised speech"),
    (re.compile(r"\bweb-?\s?page|\bwebsite\b", re.I), "official web-page"),
    (re.compile(r"\bSenate\b|\bplenary session\b|\bparliament\b", re.I), "parliamentary speech"),
    (re.compile(r"\bpress conference\b|\bbriefing\b", re.I), "press conference"),
    (re.compile(r"\bcongress\b", re.I), "party congress speech"),
    (re.compile(r"\bstatement\b", re.I), "statement"),
]


INSTITUTION_HEADS = {"ministry", "ministries", "office", "service", "administration", "government", "council",
                     "department", "kremlin"}


def institution_phrase(tokens) -> str | None:
    """The institution a phrase names, as written: "the Russian Foreign Ministry", "Its Foreign
    Ministry" and "the Tajik and Kyrgyz foreign ministries" give their noun phrase, without
    determiners and possessive pronouns."""
    head = next((t for t in tokens if t.lemma_.lower() in INSTITUTION_HEADS or t.lower_ in INSTITUTION_HEADS), None)
    if head is None:
        return None
    words = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "poss", "punct", "case")]
    if any(t.dep_ == "poss" and t.pos_ == "PROPN" for t in head.children):
        words = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("det", "punct")]
    return " ".join(t.text for t in words) or None


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


def _speaker_key(att) -> str | None:
    """Who speaks, for carrying a date to the same speaker's next sentence (a person, or a channel)."""
    if att is None:
        return None
    return att.speaker_id or (f"{att.reported_by}|{att.source}" if att.reported_by else None)


def _in_content(token, verb) -> bool:
    """Is the token part of what the verb reports (its clausal complement) rather than the attribution?"""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp", "parataxis") and child.left_edge.i <= token.i <= child.right_edge.i:
            return True
    return False


def claim_id(doc_id: str, quote: str, n: int = 0) -> str:
    key = f"{doc_id}\x00{normalise(quote)}" + (f"\x00{n}" if n else "")
    return "c" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]


class ClaimExtractor:
    def __init__(self, knowledge: Knowledge):
        self.k = knowledge
        self.stance = StanceReader()

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
        self.seen_ids: dict[str, int] = {}
        self.doc_event: tuple | None = None

    # --- helpers -------------------------------------------------------------------------------

    def _mentions_in(self, mentions: list[Mention], start: int, end: int) -> list[Mention]:
        return [m for m in mentions if m.actor_id and start <= m.start and m.end <= end]

    def _actor_country(self, m: Mention) -> str | None:
        entry = self.k.actors.get(m.actor_id)
        return (entry.country if entry else None) or m.country

    def _side_of(self, m: Mention) -> str | None:
        """The reporting side an actor speaks for; none for de facto entities (no ISO code)."""
        entry = self.k.actors.get(m.actor_id)
        if entry is not None and (entry.entity or entry.type == "territory"):
            return None
        return self._actor_country(m)

    def _is_person(self, m: Mention) -> bool:
        entry = self.k.actors.get(m.actor_id)
        return m.label == "PERSON" and (entry is None or entry.type == "person")

    def _make(self, p: Paragraph, start: int, end: int, att: Attribution, date, cue: str, event) -> Claim:
        quote = p.text[start:end]
        base = claim_id(p.doc_id, quote)
        n = self.seen_ids.get(base, 0)
        self.seen_ids[base] = n + 1
        kind, participants, names = event if event else (None, (), ())
        stance = self._stance(start, end, att)
        return Claim(
            id=claim_id(p.doc_id, quote, n), doc_id=p.doc_id, paragraph_id=p.id, start=start, end=end,
            quote=quote, text=normalise(quote), speaker=att.speaker, speaker_id=att.speaker_id,
            reported_by=att.reported_by, source=att.source, date=date, kind=kind,
            participants=tuple(participants), participant_names=tuple(names),
            stance=stance.value, stance_rule=stance.rule, cue=cue, content=self._content(start, end, participants),
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
                    for c in [self._actor_country(m)] if c}

        return self.stance.read(span, own, holder_sides)

    def _content(self, start: int, end: int, participants) -> tuple[str, ...]:
        """What a statement says once the event itself is taken out (claim_content.py): its content
        words and the third parties it names ("@" + country, "@" + organisation id)."""
        third = set()
        for m in self._mentions:
            if m.actor_id and start <= m.start < end and not self._is_person(m):
                country = self._actor_country(m)
                entry = self.k.actors.get(m.actor_id)
                if entry is not None and entry.type not in ("state", "territory") and not country:
                    third.add(f"@{m.actor_id}")  # an organisation: "the Eurasian Economic Union"
                elif country and country not in participants:
                    third.add(f"@{country}")
        skip = [(m.start, m.end) for m in self._mentions] + [(d.start, d.end) for d in self._dates]
        # a sentence that reports the call or meeting itself: its capitalised words are titles
        states_event = self._event(self._doc.text[start:end], self._mentions_in(self._mentions, start, end), None)
        return content_key(self._doc, start, end, skip, third, bool(states_event))

    def _event(self, text: str, mentions: list[Mention], date: str | None, context_kind: str | None = None) -> tuple | None:
        """(kind, participant countries, participant names) when the sentence reports a call or meeting."""
        for kind, rx in EVENT_CUES:
            if rx.search(text):
                kind = kind or context_kind or "meeting"
                people = {m.actor_id: m for m in mentions if self._is_person(m) and m.actor_id}
                countries = {self._actor_country(m) for m in people.values()}
                names = {m.actor for m in people.values() if not m.actor_id.startswith("local-")}
                for m in PLURAL_ROLE_RE.finditer(text):
                    role = PLURAL_ROLES.get(m.group(1).lower(), "president")
                    for word in m.groups()[1:]:
                        entry = self.k.by_adjective.get(word.lower()) or next(
                            (a for a in self.k.states.values() if word in a.names), None)
                        if entry:
                            countries.add(entry.country)
                            held = self.k.holders(entry.leader if role == "leader" else role, entry.country, date)
                            names.update(a.name for a in held[:1])
                countries.discard(None)
                if len(countries) >= 2:
                    return kind, tuple(sorted(countries)), tuple(sorted(names))
        return None

    def _joins(self, event, att: Attribution, text: str) -> bool:
        """Does a claim after the event sentence speak of that event (and not of something else)?"""
        return bool(event) and att.reported_by in event[1] and (
            bool(EVENT_REF_RE.search(text)) or att.cue.startswith("according to"))

    # --- per paragraph -------------------------------------------------------------------------

    def paragraph(self, p: Paragraph, doc, mentions: list[Mention], dates) -> list[Claim]:
        self._doc, self._mentions, self._dates = doc, mentions, dates
        if p.kind in ("heading", "caption", "meta"):
            if self.readout and p.kind == "heading" and self.doc_event is None:
                self.doc_event = self._event(p.text, mentions, self._published())
            return []
        if self.readout:
            return self._readout(p, doc, mentions, dates)
        return self._review(p, doc, mentions, dates)

    def finish(self, claims: list[Claim]) -> list[Claim]:
        """After the last paragraph: a date given after the fact ("X made the statement at the
        press conference on 9 April") dates that speaker's undated claims before it."""
        return self.dates.apply_backdates(claims)

    def _readout(self, p, doc, mentions, dates) -> list[Claim]:
        spans = quote_spans(p.text)
        rows = []
        for sent in doc.sents:
            text = sent.text.strip()
            s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
            inside = self._mentions_in(mentions, s, e)
            if self.doc_event is None:
                self.doc_event = self._event(text, inside, self._published())
            rows.append((s, e, text, self._subject_person(sent, inside), clause_dates(sent, dates)))
        # a quotation over several sentences is the words of whoever its last sentence names
        for qs, qe in spans:
            named = [r[3] for r in rows if r[3] is not None and r[0] < qe and qs < r[1]]
            if named:
                rows = [(s, e, t, named[-1] if who is None and s < qe and qs < e else who, ds)
                        for s, e, t, who, ds in rows]
        claims = []
        for s, e, text, speaker, sdates in rows:
            if len(text.split()) < 5 or BOILERPLATE_RE.search(text):
                continue
            att = Attribution(speaker.actor_id if speaker else None, speaker.actor if speaker else None,
                              self.side, self.channel, "readout sentence")
            own = self.dates.date_for(s, e, sdates, text)
            if own and self.scene_date is None and (self._event(text, self._mentions_in(mentions, s, e), own)
                                                    or sentence_date(s, e, sdates)[1]):
                self.scene_date = own  # "Yesterday, X had a telephone conversation with Y": the call's day
            date = own or self.scene_date or self._published()
            claims.append(self._make(p, s, e, att, date, "readout sentence", self.doc_event))
        return claims

    def _published(self) -> str | None:
        return self.result.published.value if self.result.published else None

    def _subject_person(self, sent, inside: list[Mention]) -> Mention | None:
        root = sent.root
        verbs = [root] + [t for t in root.children if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")]
        for verb in verbs:
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)
                    people = [m for m in inside if self._is_person(m) and lo <= m.start and m.end <= hi]
                    if len({m.actor_id for m in people}) == 1:
                        return people[-1]
                    if people:
                        return None  # "Putin and Aliyev discussed": a joint account, no single speaker
        return None

    def _review(self, p, doc, mentions, dates) -> list[Claim]:
        claims: list[Claim] = []
        # a review's paragraphs are separate stories; a news item carries its speakers, scene and
        # relayed channel from paragraph to paragraph
        st = self.discourse if self.news else Discourse()
        open_quote: tuple | None = None  # (attribution, end of its quotation, its date, its event)
        spans = quote_spans(p.text)
        scene = st.scene
        for sent in doc.sents:
            s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
            text = p.text[s:e]
            inside = self._mentions_in(mentions, s, e)
            sdates = clause_dates(sent, dates)
            att, cue, subject_person = self._attribution(sent, inside, st)
            if att is None and st.last is not None and open_quote is None and any(
                    s <= qs and qe <= e + 1 and len(p.text[qs:qe].split()) >= 4 for qs, qe in spans):
                att, cue = st.last, "quotation carried over from the previous attribution"
            if att is None and st.relay is not None and self._relayed(sent, inside, st):
                att, cue = self._relay_of(sent, inside, st), f"relayed account of {st.relay.source}"
            who = _speaker_key(att)
            own_date = self.dates.date_for(s, e, sdates, text, who, scene)
            found = self._event(text, inside, own_date, st.event[0] if st.event else None)
            dated, opens = sentence_date(s, e, sdates)
            if dated and (opens or found):
                scene["opening"] = dated  # "On 25 February, ..." or "X and Y spoke by phone on 26 February."
            elif dated and dated != scene["opening"]:
                scene["opening"] = None  # an aside on another day ends the scene the paragraph opened with
            if dated and who:
                scene["speakers"][who] = dated
            self._statement_made(sent, inside, dated, st)
            if found:
                st.event = found
            self.dates.remember(text, own_date)
            if open_quote is not None and s >= open_quote[1]:
                open_quote = None
            if open_quote is not None:  # inside a quotation: the quoted side reports it
                quoted = open_quote[0]
                if att is not None and att.speaker_id:  # "the Uzbek leader expressed hope" inside it
                    att = Attribution(att.speaker_id, att.speaker, quoted.reported_by, quoted.source, att.cue)
                else:
                    att = quoted
                cue = "inside a quotation attributed earlier"
            elif att is None and any(qs < s and e <= qe for qs, qe in spans):
                continue  # inside a quotation whose attribution comes later: joined to that claim
            start = s
            if att is not None and cue != "inside a quotation attributed earlier":
                # a quotation that began in an earlier sentence and closes here is part of this statement
                start = min([qs for qs, qe in spans if qs < s <= qe <= e + 1] or [s])
                opened = [qe for qs, qe in spans if s <= qs < e < qe]
                if opened:
                    open_quote = (att, opened[0], own_date,
                                  st.event if (found or self._joins(st.event, att, text)) else None)
            if att is not None:
                if subject_person is not None:
                    st.last_person = subject_person
                st.last = att
                if self.news:
                    self._follow_relay(st, att, cue)
                quoted = open_quote is not None and cue.startswith("inside a quotation")
                date = open_quote[2] if quoted else own_date
                joined = (open_quote[3] if quoted else
                          st.event if (found or self._joins(st.event, att, text)) else None)
                for qs_, qe_ in content_parts(sent, att.verb, start, e):
                    claims.append(self._make(p, qs_, qe_, att, date, cue, joined))
                for side in att.also:
                    claims.append(self._make(p, start, e, Attribution(None, None, side, att.source, att.cue),
                                             date, cue, joined))
            elif AUTHOR_CUES.search(text) and not NON_CONFIRMATION_RE.search(text):
                claims.append(self._make(p, s, e, Attribution(None, None, "author", "analyst's assessment", "author"),
                                         own_date, "author's assessment", None))
            if NON_CONFIRMATION_RE.search(text):
                claims = self._mark_unconfirmed(claims, text, s, explicit=bool(CONFIRMATION_NOTE_RE.search(text)))
            persons = [m for m in inside if self._is_person(m) and m.actor_id]
            st.people.extend(persons)
            if persons and att is None:  # a pronoun next refers to this sentence's subject, else its last person
                st.last_person = self._subject_person(sent, inside) or persons[-1]
            states = [m for m in inside if m.label == "GPE" and m.actor_id in self.k.actors
                      and self.k.actors[m.actor_id].type == "state"]
            if states:
                st.last_state = states[0] if states[0].start - s < 5 else states[-1]
        return claims

    def _relay_of(self, sent, inside: list[Mention], st: Discourse) -> Attribution:
        """The relayed channel's attribution of a sentence, its subject person as the speaker."""
        speaker = self._subject_person(sent, inside)
        return replace(st.relay, speaker_id=speaker.actor_id if speaker else None,
                       speaker=speaker.actor if speaker else None)

    @staticmethod
    def _follow_relay(st: Discourse, att: Attribution, cue: str) -> None:
        """A channel named as the source starts a relayed account; another source named ends it."""
        if att.relay:
            st.relay = Attribution(None, None, att.reported_by, att.source, "relayed account", relay=True)
        elif not cue.startswith(("relayed", "inside", "quotation")):
            st.relay = None

    def _relayed(self, sent, inside: list[Mention], st: Discourse) -> bool:
        """Does an unattributed sentence of a news item go on relaying the channel's account? It does
        when it speaks of the event ("the parties also discussed") or its subject takes part in it."""
        if EVENT_REF_RE.search(sent.text):
            return True
        subject = self._subject_person(sent, inside)
        return subject is not None and st.event is not None and self._actor_country(subject) in st.event[1]

    def _statement_made(self, sent, inside: list[Mention], dated: str | None, st: Discourse) -> None:
        """'X made the statement at a press conference on 9 April': the date of X's words so far."""
        if not dated:
            return
        for tok in sent:
            if tok.lemma_.lower() in ("make", "deliver", "give") and any(
                    c.dep_ == "dobj" and c.lemma_.lower() in PERSONAL_HEADS | {"comment", "remark"} for c in tok.children):
                subj = [c for c in tok.children if c.dep_ == "nsubj"]
                people = [m for m in inside for sj in subj if self._is_person(m) and m.actor_id
                          and sj.left_edge.idx <= m.start <= sj.right_edge.idx]
                if not people and subj and subj[0].lower_ in PRONOUNS and st.last_person is not None:
                    people = [st.last_person]
                if people:
                    self.dates.backdate.setdefault(people[0].actor_id, dated)
                    st.scene["speakers"][people[0].actor_id] = dated

    def _channel(self, tokens, inside: list[Mention]) -> str | None:
        """The channel named in the attribution itself ("on Twitter", "as quoted by TASS",
        "according to the Kremlin"), never in the reported content."""
        if not tokens:
            return None
        lo, hi = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        for m in inside:
            entry = self.k.actors.get(m.actor_id)
            if entry is not None and entry.type == "media" and lo <= m.start < hi and \
                    any(t.idx == m.start for t in tokens):
                return entry.name
        text = "".join(t.text_with_ws for t in tokens)  # "web-page" stays one word
        return next((name for rx, name in CHANNEL_CUES if rx.search(text)), None)

    def _antecedent(self, relative, inside: list[Mention]) -> Mention | None:
        """'X, who said ...' -> X; 'X was the only leader who declared ...' -> X (through the copula)."""
        verb = relative.head
        while verb.dep_ == "conj":
            verb = verb.head
        if verb.dep_ != "relcl":
            return None
        node = verb.head
        for _ in range(8):
            here = [m for m in inside if self._is_person(m) and m.actor_id and m.start <= node.idx < m.end]
            if here:
                return here[0]
            if node.dep_ == "attr":  # "X was the only one who ..."
                subjects = [c for c in node.head.children if c.dep_ == "nsubj"]
                for sj in subjects:
                    people = [m for m in inside if self._is_person(m) and m.actor_id
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
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in ("readout", "statement", "communique",
                                                                             "communiqué", "account")
                   for c in tok.children)

    def _mark_unconfirmed(self, claims: list[Claim], text: str, sent_start: int, explicit: bool) -> list[Claim]:
        """'No confirmation from the Uzbek side' marks the other sides' claims before it; an omission
        ('did not mention') marks only the claims of its own sentence."""
        from dataclasses import replace

        side = None
        m = FROM_SIDE_RE.search(text)
        if m:
            entry = self.k.by_adjective.get(m.group(1).lower())
            side = entry.country if entry else None
        out = []
        for c in claims:
            if c.reported_by == "author":
                out.append(c)
                continue
            same_sentence = c.start >= sent_start
            other_side = explicit and side is not None and c.reported_by != side
            if same_sentence or other_side or (explicit and side is None and c is claims[-1]):
                c = replace(c, confirmation="unconfirmed")
            out.append(c)
        return out

    def _attribution(self, sent, inside, st: Discourse):
        """(Attribution, cue, subject person) for a sentence, or (None, None, None)."""
        att, cue, who = self._attribution_of(sent, inside, st)
        if att is not None and att.relay and att.speaker_id is None:
            # "X backed the plan, the Kremlin said": the channel reports, X speaks
            speaker = self._content_speaker(sent, att, inside)
            if speaker is not None:
                att = replace(att, speaker_id=speaker.actor_id, speaker=speaker.actor)
        return att, cue, who

    def _content_speaker(self, sent, att: Attribution, inside: list[Mention]) -> Mention | None:
        """The one person who is the subject of what a channel reports."""
        if att.verb is None:
            return None
        verb = sent.doc[att.verb]
        # only when the content comes first ("X backed the plan, the ministry said"); in "the press
        # service reported that X ..." the service speaks
        clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i]
        if verb.dep_ in ("ccomp", "parataxis") and verb.head.i < verb.i:
            clauses.append(verb.head)
        for clause in clauses:
            subj = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
            people = {m.actor_id: m for sj in subj for m in inside if self._is_person(m) and m.actor_id
                      and sj.left_edge.idx <= m.start <= sj.right_edge.idx}
            if len(people) == 1:
                return next(iter(people.values()))
        return None

    def _channel_named_before(self, st: Discourse) -> Attribution | None:
        """'the press service', 'the statement': the channel the text named last."""
        for att in (st.relay, st.last):
            if att is not None and att.relay:
                return att
        return None

    def _role_holder(self, noun, st: Discourse) -> Mention | None:
        """'The president further explained': the last person named who holds that role."""
        words = {noun.lemma_.lower()} | {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod")}
        qualifiers = words & {"prime", "foreign", "defence", "defense", "deputy", "vice"}
        for m in [st.last_person, *reversed(st.people)]:  # the person in focus first
            entry = self.k.actors.get(m.actor_id) if m is not None else None
            if entry is not None and any(noun.lemma_.lower() in r.role.split("_") and qualifiers <= set(r.role.split("_"))
                                         for r in entry.roles):
                return m
        return None

    def _according_to(self, sent, inside, st: Discourse):
        """'According to X, ...' / 'In the words of X, ...': (Attribution, cue, person) or None."""
        according = re.search(r"\b(?:[Aa]ccording to|[Ii]n the words of)\b", sent.text)
        acc_tok = next((t for t in sent if t.idx - sent.start_char == according.start()), None) if according else None
        if acc_tok is None:
            return None
        span = list(acc_tok.subtree)
        lo, hi = span[0].idx, span[-1].idx + len(span[-1].text)
        sources = [m for m in inside if lo <= m.start and m.end <= hi]
        channel = self._channel(span, inside)
        subject = self._subject_person(sent, [m for m in inside if not (lo <= m.start and m.end <= hi)])
        if sources:
            src = sources[0]
            person = src if self._is_person(src) else None
            speaker = subject or person
            return (Attribution(speaker.actor_id if speaker else None, speaker.actor if speaker else None,
                                self._side_of(src), channel or institution_phrase(span) or "statement",
                                "according to", relay=person is None), "according to", speaker)
        before = self._channel_named_before(st)
        if before is not None and any(t.lemma_.lower() in OWNER_HEADS | {"report", "source"} for t in span):
            # "according to the press service": the channel the text named before
            return (Attribution(subject.actor_id if subject else None, subject.actor if subject else None,
                                before.reported_by, before.source, "according to (the channel named before)",
                                relay=True), "according to", subject)
        if any(t.lower_ in PRONOUNS for t in span) and st.last_person is not None:
            who = st.last_person
            return (Attribution(who.actor_id, who.actor, self._side_of(who),
                                channel or (st.last.source if st.last else None), "according to (pronoun)"),
                    "according to", who)
        return None

    def _attribution_of(self, sent, inside, st: Discourse):
        found = self._according_to(sent, inside, st)
        if found is not None:
            return found
        last, last_person, last_state = st.last, st.last_person, st.last_state
        # the reporting verb highest in the parse attributes; one below it is part of the content
        # ("X informed Y of Z, the Kremlin said": said, not informed)
        for tok in sorted(sent, key=lambda t: (len(list(t.ancestors)), t.i)):
            if tok.pos_ not in ("VERB", "AUX"):
                continue
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
            negated = any(c.dep_ == "neg" for c in tok.children) or before & {"nor", "neither"}
            if negated and not self._owner_subject(tok):
                continue  # "did not condemn", "nor overtly condemned": not a statement; but "the
                # Kazakh readout did not mention X" is that side's account of what it left out
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            agent = [c for c in tok.children if c.dep_ == "agent"]
            if agent and (not subj or all(c.dep_ == "nsubjpass" and c.lower_ in ("it", "this") for c in subj)):
                # "a statement issued by X", "it was stated by X that", "as stated by X, ..."
                subj = [c for a in agent for c in a.children if c.dep_ == "pobj"] or agent
            elif not subj and (tok.dep_ == "conj" or (tok.dep_ in ("xcomp", "advcl") and any(
                    c.dep_ == "ccomp" for c in tok.children))):
                # "X went on to say that", "X declined to comment, saying that": the subject of the verb above
                subj = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
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
                people = [m for m in found if self._is_person(m) and m.actor_id]
                if not found and sj.lemma_.lower() in ROLE_HEADS and any(t.lower_ == "the" for t in sj.children):
                    holder = self._role_holder(sj, st)  # "The president further explained that ..."
                    people = [holder] if holder else people
                if sj.lower_ in PRONOUNS and last_person is not None:
                    people = [last_person]
                elif sj.lower_ in ("who", "that"):
                    antecedent = self._antecedent(sj, inside)
                    people = [antecedent] if antecedent else people
                possessors = [m for m in people if any(t.dep_ == "poss" and m.start <= t.idx < m.end for t in sent)]
                if heads & ROLE_HEADS and possessors and len(people) > len(possessors):
                    people = [m for m in people if m not in possessors]  # "Zelensky's adviser X": X speaks
                if len({m.actor_id for m in people}) > 1 and not heads & OWNER_HEADS:
                    continue  # two speakers at once: not one person's statement
                cue = f"{tok.lemma_} ({sj.text})"
                if tok.lemma_.lower() in ("quote", "cite"):  # "BelTA quoted Lukashenko as saying"
                    objs = [c for c in tok.children if c.dep_ == "dobj"]
                    quoted = [m for m in inside for o in objs
                              if self._is_person(m) and m.actor_id and o.left_edge.idx <= m.start <= o.right_edge.idx]
                    if quoted:
                        who = quoted[0]
                        return (Attribution(who.actor_id, who.actor, self._side_of(who),
                                            channel or (found[0].actor if found else "statement"), cue,
                                            verb=tok.i), cue, who)
                if people and not (heads & (OWNER_HEADS - PERSONAL_HEADS)):
                    who = people[0]
                    side = self._side_of(who)
                    if side is None and possessors:
                        side = self._side_of(possessors[0])  # "Zelensky's adviser X said": X speaks for UA
                    if side is None and last_person is not None and any(
                            t.dep_ == "poss" and t.lower_ in ("his", "her") for t in sj.children):
                        side = self._side_of(last_person)  # "His spokesman X said": X speaks for his side
                    return (Attribution(who.actor_id, who.actor, side, channel or "statement", cue, verb=tok.i),
                            cue, who)
                actors = [m for m in found if m.country]
                if not actors and last_state is not None and heads & OWNER_HEADS and any(
                        t.dep_ == "poss" and t.lower_ == "its" for sj_ in subj for t in sj_.subtree):
                    actors = [last_state]  # "Turkmenistan remained silent. Its Foreign Ministry published ..."
                if actors:
                    a = actors[0]
                    entry = self.k.actors.get(a.actor_id)
                    is_person = self._is_person(a) and not (heads & (OWNER_HEADS - PERSONAL_HEADS))
                    also = ()
                    if not is_person and any(t.tag_ in ("NNS", "NNPS") for t in subj):
                        sides = [self._side_of(m) for m in actors if not self._is_person(m)]
                        also = tuple(dict.fromkeys(x for x in sides if x and x != self._side_of(a)))
                    return (Attribution(a.actor_id if is_person else None, a.actor if is_person else None,
                                        self._side_of(a),
                                        channel or _owner_source(subj, entry, is_person),
                                        cue, also, relay=not is_person, verb=tok.i), cue, a if is_person else None)
                before = self._channel_named_before(st)
                if sj.lemma_.lower() in OWNER_HEADS and before is not None and not people:
                    # "the press service said": the channel named before, whoever its content is about
                    return (Attribution(None, None, before.reported_by, before.source, "carried over", relay=True,
                                        verb=tok.i), f"{tok.lemma_} ({sj.text}, the channel named before)", None)
                if sj.lemma_.lower() in GENERIC_SUBJECTS and last is not None:
                    return Attribution(last.speaker_id, last.speaker, last.reported_by, last.source,
                                       "carried over"), f"{tok.lemma_} ({sj.text}, carried over)", None
        return None, None, None
