"""The account a news item's sentence belongs to: a channel named as the source starts a relayed
account that the following sentences go on relaying until another source is named."""

from __future__ import annotations

from dataclasses import replace

from pipeline.claims.attribution import Attribution, Discourse
from pipeline.claims.event_text import EVENT_REF_RE
from pipeline.claims.facts import ActorFacts
from pipeline.records import Mention


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
