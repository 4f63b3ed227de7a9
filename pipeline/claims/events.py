"""Joining accounts of one event: claims from all documents about the same call, meeting or
statement are grouped by kind, date and participating sides; what only one side's account
carries is flagged one-sided (and unconfirmed)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from pipeline.records import Claim

SHARED = 0.2  # share of the smaller statement's content that the other account must state too (one word in five)


def event_id(kind: str, date: str, participants: tuple[str, ...]) -> str:
    key = f"{kind}|{date}|{','.join(participants)}"
    return "e" + hashlib.sha1(key.encode()).hexdigest()[:11]


def same_proposition(a: Claim, b: Claim) -> bool:
    """Do two sides' statements say the same thing? Their content (names, titles, dates and the
    call itself taken out, see ClaimExtractor._content) overlaps; two statements that only say the
    call took place agree with each other."""
    if not a.content or not b.content:
        return not a.content and not b.content
    shared = set(a.content) & set(b.content)
    weight = len(shared) + sum(1 for w in shared if w.startswith("@"))  # a third party both name counts twice
    return bool(shared) and weight / min(len(a.content), len(b.content)) >= SHARED


def _one_sided(own: list[Claim]) -> dict[str, bool]:
    """Each claim of an event: does no other side's account state it? Only claims that share a
    content word (or, for statements of the call itself, none) are compared: an index by word
    instead of every pair, which grows with the square of the claims."""
    by_word: dict[str, list[Claim]] = {}
    bare: list[Claim] = []
    for c in own:
        for w in c.content:
            by_word.setdefault(w, []).append(c)
        if not c.content:
            bare.append(c)
    flags = {}
    for c in own:
        pool = {o.id: o for w in c.content for o in by_word[w]} if c.content else {o.id: o for o in bare}
        flags[c.id] = not any(o.reported_by != c.reported_by and o.doc_id != c.doc_id and same_proposition(c, o)
                              for o in pool.values())
    return flags


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
            flags.update(_one_sided(own))
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
