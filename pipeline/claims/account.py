"""The account a sentence belongs to, and why its reporting side is that side (GUIDE.md's four rules).

A news item's channel named as the source starts a relayed account that the following sentences go
on relaying until another source is named; a readout or statement on an official site is that
government's account, every sentence of it."""

from __future__ import annotations

from dataclasses import replace

from pipeline.claims.attribution import Attribution, Discourse
from pipeline.claims.event_text import EVENT_REF_RE
from pipeline.claims.facts import ActorFacts
from pipeline.lexicon import PARTICIPANT_NOUNS
from pipeline.records import Mention


#: side_rule values: why reported_by is the side it is
SIDE_RULES = {
    "channel": "a channel named in or before the sentence (a press service, a ministry, an agency's source)",
    "own words": "the speaker's own public words: a speech, interview, press conference, tweet",
    "official document": "a readout or statement on an official site: that government's side, every sentence",
    "speaker": "a readout whose publishing side is not known, no channel named: the speaker's side",
    "publisher": "a source the gazetteer cannot place, in an item of a state outlet or official site: its side",
    "author": "the review author's own assessment",
}


def side_rule(att: Attribution, cue: str, official: bool) -> str | None:
    """Which of SIDE_RULES gave the attribution's side. official: the document is a readout or
    statement on its government's own site (not a news page relaying one)."""
    if not att.reported_by:
        return None
    if att.reported_by == "author":
        return "author"
    if cue.endswith(", the publisher's side"):
        return "publisher"
    if cue == "readout sentence, the speaker's side":
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
            st.relay = Attribution(None, None, att.reported_by, att.source, "relayed account", relay=True)
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
