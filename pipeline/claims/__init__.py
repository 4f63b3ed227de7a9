"""Attributed statements -> claims, with speaker, reporting side, channel, date and stance.

Reviews: a sentence is a claim when a reporting verb ("said", "stressed", "wrote", "announced",
"expressed", ...) or "according to X" attributes it to an actor; its speaker is the person in
the verb's subject (pronouns go to the last speaker), its reporting side is the side whose
official or channel put it out ("according to the Kremlin" -> RU even when Mirziyoyev speaks).
A quotation that runs over several sentences is one statement per sentence with one
attribution. Readouts and statements: every substantive sentence is a claim reported by the
publishing side. Sentences that merely name a person are not claims.

The steps, in the order a sentence meets them (each its own module):
  facts.py        what the gazetteer says of a mention (country, side, person) and a clause's subject
  attribution.py  the records: Attribution, the Discourse carried between sentences, quotation spans
  attribute.py    who a sentence is attributed to (reporting verb, subject, pronouns, role nouns)
  channels.py     the channels it names ("according to", "citing", a "Source:" line, "on Twitter")
  account.py      a relayed account: a channel named as the source, carried over the next sentences
  claim_dates.py  when a statement was made (own date, scene, event named before, backdates)
  event_text.py   whether a sentence reports a call or meeting, and which later sentences speak of it
  make.py         the Claim record: id, stance (stance.py), content key (claim_content.py)
  transcript.py   a transcript's speaker: a turn label ("X: ...") or the title
  confirmation.py notes that a claim is not confirmed ("no confirmation from the X side")
  extractor.py    runs them over a document's paragraphs: readouts and statements sentence by
                  sentence under the publisher's account, reviews and news by attribution
  ids.py          a claim's id (also for claims a reviewer adds)
  events.py       the cross-document stage: accounts of one call or meeting joined into an event
knowledge/cues.toml holds the reporting verbs. This file imports nothing, so that the cross-document
stage and curation (events.py, ids.py) do not load spaCy with the per-document steps.
"""
