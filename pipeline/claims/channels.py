"""The channels a sentence names: "according to X", "citing X", a page's "Source:" line and the
quotation labelled after it, the channel named before ("the press service said"), channel words
in the attribution ("on Twitter", "as quoted by TASS"). The base of attribute.Attributor."""

from __future__ import annotations

import re

from pipeline.claims.attribution import Attribution, Discourse
from pipeline.claims.facts import ActorFacts
from pipeline.lexicon import ENGLISH, INSTITUTION_HEADS, OWNER_HEADS, PRONOUNS, RUSSIAN
from pipeline.records import Mention

#: (words of a channel, its name), the first found naming it (knowledge/lexicon_en.toml [channel_cues])
CHANNEL_CUES = [(re.compile("|".join(words), re.I), name) for name, words in ENGLISH["channel_cues"].items()]
#: "according to X", "in his opinion" and their Russian forms ("по словам X", "по данным X", "по его мнению")
ACCORDING_RE = re.compile(rf"\b(?:{'|'.join(ENGLISH['according'])}|(?i:{'|'.join(RUSSIAN['according'])}))\b")

#: a label before a quotation ("Quote:", "Direct quote from X:", "X to Y:"), and a page's source line
LABEL_RE = re.compile(r'^\s*([^"“”«»:\n]{1,150}?):\s*["“«„]')
SOURCE_LINE_RE = re.compile(r"^\s*Source:\s*\S", re.I)


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
    return as_written(words) or None


def as_written(words) -> str:
    """Tokens joined as the text spaces them ("Kazakhstan's", not "Kazakhstan 's"); one space where
    words between them were left out."""
    return "".join(t.text + (" " if t.whitespace_ or (k + 1 < len(words) and words[k + 1].i != t.i + 1) else "")
                   for k, t in enumerate(words)).strip()


class ChannelReader(ActorFacts):
    def source_line(self, sent, inside) -> Attribution | None:
        """'Source: Zelenskyy on Telegram', 'Source: website of the President of Kazakhstan': the
        person or channel a labelled quotation after it comes from (a news page's layout)."""
        if not SOURCE_LINE_RE.match(sent.text):
            return None
        tokens = list(sent)
        channel = self._channel(tokens, inside)
        people = [m for m in inside if self.is_person(m) and m.actor_id]
        if people and channel in (None, "Twitter"):  # his own words, wherever he posted them
            who = people[0]
            return Attribution(who.actor_id, who.actor, self.side_of(who), channel or "statement")
        sided = [m for m in inside if self.side_of(m)]
        if not sided:
            return None
        return Attribution(None, None, self.side_of(sided[0]), channel or institution_phrase(tokens) or sided[0].actor,
                           relay=True)

    def _labelled_quotation(self, sent, inside, st: Discourse):
        """'Quote: "..."', 'Direct quote from Tokayev: "..."', 'X to Y: "..."': a quotation after a
        label with no verb is the words of the person the label names, else of the source line."""
        m = LABEL_RE.match(sent.text)
        if m is None or any(t.pos_ in ("VERB", "AUX") and t.idx - sent.start_char < m.end(1) for t in sent):
            return None
        lo, hi = sent.start_char, sent.start_char + m.end(1)
        people = [x for x in inside if lo <= x.start < hi and self.is_person(x) and x.actor_id]
        if people:
            who = people[0]
            return (Attribution(who.actor_id, who.actor, self.side_of(who), "statement"),
                    "labelled quotation", who)
        if st.source_line is not None:
            return st.source_line, "labelled quotation (the source line)", None
        return None

    def _according_to(self, sent, inside, st: Discourse):
        """'According to X, ...' / 'In the words of X, ...': (Attribution, cue, person) or None."""
        according = ACCORDING_RE.search(sent.text)
        acc_tok = next((t for t in sent if t.idx - sent.start_char == according.start()), None) if according else None
        if acc_tok is None:
            return None
        if acc_tok.dep_ == "case":  # UD: "по словам X" hangs the preposition under its noun
            acc_tok = acc_tok.head
        pronoun = any(w.lower() in PRONOUNS | {"his"} for w in according.group().split())  # "по его мнению": no X
        span = [acc_tok] if pronoun else list(acc_tok.subtree)
        lo, hi = span[0].idx, span[-1].idx + len(span[-1].text)
        sources = [m for m in inside if lo <= m.start and m.end <= hi]
        channel = self._channel(span, inside)
        subject = self.subject_person(sent, [m for m in inside if not (lo <= m.start and m.end <= hi)])
        if sources:
            src = sources[0]
            person = src if self.is_person(src) else None
            speaker = subject or person
            return (Attribution(speaker.actor_id if speaker else None, speaker.actor if speaker else None,
                                self.side_of(src), channel or institution_phrase(span) or "statement",
                                relay=person is None), "according to", speaker)
        before = self._channel_named_before(st)
        if before is not None and any(t.lemma_.lower() in OWNER_HEADS | {"report", "source"} for t in span):
            # "according to the press service": the channel the text named before
            return (Attribution(subject.actor_id if subject else None, subject.actor if subject else None,
                                before.reported_by, before.source, relay=True), "according to", subject)
        if (any(t.lower_ in PRONOUNS for t in span) or pronoun) and st.last_person is not None:
            who = st.last_person
            return (Attribution(who.actor_id, who.actor, self.side_of(who),
                                channel or (st.last.source if st.last else None)),
                    "according to", who)
        return None

    def _citing(self, sent, inside):
        """'..., TASS reports citing the Kremlin's press service', 'the agency said, citing the
        press service of the Belarusian leader': the cited channel is the source (GUIDE.md rule 1)."""
        cite = next((t for t in sent if t.lower_ == "citing" and t.dep_ != "amod"), None)
        if cite is None:
            return None
        span = [t for t in cite.subtree if t.i != cite.i]
        if not span:
            return None
        lo, hi = span[0].idx, span[-1].idx + len(span[-1].text)
        sources = [m for m in inside if lo <= m.start and m.end <= hi and self.side_of(m)]
        if not sources:
            return None
        src = sources[0]
        channel = self._channel(span, inside) or institution_phrase(span)
        person = src if self.is_person(src) and channel is None else None  # "citing Lukashenko" vs "his press service"
        rest = [m for m in inside if not (lo <= m.start and m.end <= hi)]
        speaker = self.subject_person(sent, rest) or person
        return (Attribution(speaker.actor_id if speaker else None, speaker.actor if speaker else None,
                            self.side_of(src), channel or src.actor, relay=person is None),
                "citing", speaker)

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
            people = {m.actor_id: m for sj in subj for m in inside if self.is_person(m) and m.actor_id
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
