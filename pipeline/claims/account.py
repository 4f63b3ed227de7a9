"""The account a sentence belongs to, and why its reporting side is that side (GUIDE.md's four rules).

A news item's channel named as the source starts a relayed account that the following sentences go
on relaying until another source is named; a readout or statement on an official site is that
government's account, every sentence of it."""

from __future__ import annotations

from dataclasses import replace

from pipeline.claims.attribution import Attribution, Discourse
from pipeline.claims.event_text import EVENT_REF_RE
from pipeline.claims.facts import ActorFacts
from pipeline.lexicon import ACCOUNT_VERBS, OBJECT_BOUND_VERBS, PARTICIPANT_NOUNS, PARTICIPANT_PRONOUNS, REPORT_VERBS
from pipeline.records import Mention


#: verbs of the participants' account or of reporting (readout_account)
SAYING_VERBS = ACCOUNT_VERBS | REPORT_VERBS

#: side_rule values: why reported_by is the side it is
SIDE_RULES = {
    "channel": "a channel named in or before the sentence (a press service, a ministry, an agency's source)",
    "own words": "the speaker's own public words: a speech, interview, press conference, tweet",
    "official document": "a readout or statement on an official site: that government's side, every sentence",
    "speaker": "a readout whose publishing side is not known, no channel named: the speaker's side",
    "publisher": "a source the gazetteer cannot place, in an item of a state outlet or official site: its side",
    "author": "the review author's own assessment",
}


def _agentless_passive(verb, subject) -> bool:
    """'Satisfaction was expressed with ...', 'The situation was discussed', 'Particular attention
    was paid to ...', 'Обсуждались вопросы ...': what was said, with no one named as saying it."""
    if subject.dep_ not in ("nsubjpass", "nsubj:pass") or any(
            c.dep_ in ("agent", "obl:agent") or c.tag_ == "MD" for c in verb.children):
        return False  # named who said it, or the writer's own "It should be noted that"
    bound = OBJECT_BOUND_VERBS.get(verb.lemma_.lower())
    return bound is None or subject.lemma_.lower() in bound


def side_rule(att: Attribution, cue: str, official: bool) -> str | None:
    """Which of SIDE_RULES gave the attribution's side. official: the document is a readout or
    statement on its government's own site (not a news page relaying one)."""
    if not att.reported_by:
        return None
    if att.reported_by == "author":
        return "author"
    if cue.endswith(", the publisher's side"):
        return "publisher"
    if cue in ("readout sentence, the speaker's side", "readout account, the speaker's side"):
        return "speaker"
    if cue == "readout sentence":
        return "official document" if official else "channel"
    if att.relay or cue.startswith("relayed account") or not att.speaker_id:
        return "channel"
    return "own words"


class RelayedAccount(ActorFacts):
    def relay_of(self, sent, inside: list[Mention], st: Discourse) -> Attribution:
        """The relayed channel's attribution of a sentence, its subject person as the speaker."""
        speaker = self.subject_person(sent, inside)
        return replace(st.relay, speaker_id=speaker.actor_id if speaker else None,
                       speaker=speaker.actor if speaker else None)

    @staticmethod
    def follow_relay(st: Discourse, att: Attribution, cue: str) -> None:
        """A channel named as the source starts a relayed account; another source named ends it."""
        if att.relay:
            st.relay = Attribution(None, None, att.reported_by, att.source, relay=True)
        elif not cue.startswith(("relayed", "inside", "quotation")):
            st.relay = None

    def relayed(self, sent, inside: list[Mention], st: Discourse) -> bool:
        """Does an unattributed sentence of a news item go on relaying the channel's account? It does
        when it speaks of the event ("the parties also discussed") or its subject takes part in it."""
        if EVENT_REF_RE.search(sent.text):
            return True
        subject = self.subject_person(sent, inside)
        return subject is not None and st.event is not None and self.actor_country(subject) in st.event[1]

    def participants_in_relay(self, att: Attribution, sent, st: Discourse) -> Attribution | None:
        """'The Russian side noted ...', 'The ministers positively assessed ...' inside a relayed
        account: a readout's account of the participants (GUIDE.md), not a new source. The relayed
        channel's attribution, or None."""
        if st.relay is None or att.verb is None or any(q in sent.text for q in '"“”«»'):
            return None
        subject = [c for c in sent.doc[att.verb].children if c.dep_ in ("nsubj", "nsubjpass", "nsubj:pass")]
        if not subject or subject[0].lemma_.lower() not in PARTICIPANT_NOUNS:
            return None
        return replace(st.relay, speaker_id=att.speaker_id, speaker=att.speaker, verb=att.verb)

    def readout_account(self, sent, inside: list[Mention], st: Discourse,
                        publisher: str | None) -> tuple[Attribution, str] | None:
        """'The parties discussed ...', 'The two leaders agreed ...', 'Tokayev and Putin discussed ...'
        after a sentence that reports a call or meeting, no channel named: the readout's account of
        the participants (GUIDE.md: a claim; the publishing state outlet's side, else the side of the
        participant who speaks or is named first; the account the text goes on with decides):
        (Attribution, cue), None when the subject is not the participants."""
        if st.event is None:
            return None
        root = sent.root
        for verb in [root] + [t for t in root.children if t.dep_ == "conj"]:
            if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in SAYING_VERBS:
                continue
            subject = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "nsubj:pass")]
            if not subject:
                continue
            head = subject[0]
            lo, hi = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
            people = [m for m in inside if self.is_person(m) and m.actor_id and lo <= m.start and m.end <= hi]
            if people:
                if not all(self.actor_country(m) in st.event[1] for m in people):
                    return None
                speaker = people[0] if len({m.actor_id for m in people}) == 1 else None
                side = self.actor_country(people[0])
            elif (head.lemma_.lower() in PARTICIPANT_NOUNS and (head.tag_ in ("NNS", "CD") or "Number=Plur" in head.morph)) \
                    or head.lower_ in PARTICIPANT_PRONOUNS or _agentless_passive(verb, head):
                speaker, side = None, st.event_lead
            else:
                return None
            # "According to the Kazakh side, ... Mr. Tokayev also noted ... The parties also agreed":
            # the account the text goes on with
            before = st.last if st.last is not None and st.last.reported_by in st.event[1] else None
            rule = ("the publisher's side" if publisher else "the account before" if before
                    else "the speaker's side")
            side = publisher or (before.reported_by if before else side)
            if side is None:
                return None
            return (Attribution(speaker.actor_id if speaker else None, speaker.actor if speaker else None, side,
                                "readout", verb=verb.i), f"readout account, {rule}")
        return None
