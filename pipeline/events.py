"""Joining accounts of one event: claims from all documents about the same call, meeting or
statement are grouped by kind, date and participating sides; what only one side's account
carries is flagged one-sided (and unconfirmed)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from rapidfuzz import fuzz

from .records import Claim

SIMILAR = 60  # token-set similarity (0-100) at which two sides' sentences carry the same content
STOP = {"the", "a", "an", "of", "on", "in", "and", "to", "with", "for", "that", "also", "two", "sides",
        "leaders", "parties", "president", "presidents"}


def event_id(kind: str, date: str, participants: tuple[str, ...]) -> str:
    key = f"{kind}|{date}|{','.join(participants)}"
    return "e" + hashlib.sha1(key.encode()).hexdigest()[:11]


def _content(text: str) -> str:
    return " ".join(w for w in text.lower().replace(",", " ").replace(".", " ").split() if w not in STOP)


def group(claims: list[Claim]) -> tuple[list[dict], list[tuple[Claim, bool]]]:
    """Events, and each claim with its event id set and whether it is one-sided."""
    # "Putin and Aliyev discussed ..." names no mode; a readout of the same day and people does
    specific = {(c.date, c.participants): c.kind for c in claims if c.kind in ("call", "meeting")}
    claims = [replace(c, kind=specific.get((c.date, c.participants), c.kind)) if c.kind == "talks" else c
              for c in claims]
    buckets: dict[tuple, list[Claim]] = {}
    for c in claims:
        if c.kind and c.date and len(c.date) == 10 and len(c.participants) >= 2:
            buckets.setdefault((c.kind, c.date, c.participants), []).append(c)
    events: list[dict] = []
    flags: dict[str, bool] = {}
    assigned: dict[str, str] = {}
    for (kind, date, participants), members in sorted(buckets.items()):
        eid = event_id(kind, date, participants)
        sides = sorted({c.reported_by for c in members if c.reported_by and c.reported_by != "author"})
        for c in members:
            assigned[c.id] = eid
        own = [c for c in members if c.reported_by in participants]
        if len({c.reported_by for c in own}) >= 2:
            for c in own:
                others = [o for o in own if o.reported_by != c.reported_by and o.doc_id != c.doc_id]
                best = max((fuzz.token_set_ratio(_content(c.text), _content(o.text)) for o in others), default=0)
                flags[c.id] = best < SIMILAR
        names = sorted({n for c in members for n in c.participant_names})
        events.append({
            "id": eid, "date": date, "kind": kind,
            "participants": names or list(participants),
            "sides": sides, "docs": sorted({c.doc_id for c in members}),
        })
    out = []
    for c in claims:
        eid = assigned.get(c.id)
        one_sided = flags.get(c.id, False)
        if eid:
            c = replace(c, event_id=eid)
            if c.id in flags and c.confirmation is None:
                c = replace(c, confirmation="unconfirmed" if one_sided else "confirmed")
        out.append((c, one_sided))
    return events, out
