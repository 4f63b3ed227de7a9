"""Notes that a claim is not confirmed: "there is no confirmation from the Uzbek side" marks the
other sides' claims before it; an omission ("did not mention") marks the claims of its own sentence."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.lexicon import ENGLISH
from pipeline.records import Claim

#: notes that a claim is not confirmed, and omissions (knowledge/lexicon_en.toml [sentence_cues])
_NOTES, _OMISSIONS = ENGLISH["sentence_cues"]["confirmation_notes"], ENGLISH["sentence_cues"]["omissions"]
NON_CONFIRMATION_RE = re.compile("|".join(_NOTES + _OMISSIONS), re.I)
CONFIRMATION_NOTE_RE = re.compile("|".join(_NOTES), re.I)
FROM_SIDE_RE = re.compile(r"from the (\w+) side", re.I)


def mark_unconfirmed(knowledge, claims: list[Claim], text: str, sent_start: int) -> list[Claim]:
    """The paragraph's claims so far, those the note in `text` (a sentence at `sent_start`) speaks of marked."""
    explicit = bool(CONFIRMATION_NOTE_RE.search(text))
    side = None
    m = FROM_SIDE_RE.search(text)
    if m:
        entry = knowledge.by_adjective.get(m.group(1).lower())
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
