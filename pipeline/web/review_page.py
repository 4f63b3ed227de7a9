"""The review page's values, read from the database: the queue of claims, one claim with its
paragraph marked (evidence, actors, dates) and the other side's accounts of its event, the choices
of the filters and forms. Read-only; serve.py renders them."""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup, escape

from pipeline import store
from pipeline.curation import EDITABLE, conflicts
from pipeline.curation.decide import ENUMS
from pipeline.errors import DatabaseError

STATUSES = ("proposed", "accepted", "edited", "rejected")


def queue(db: Path, doc: str | None, side: str | None, status: str | None, event: str | None) -> list[dict]:
    sql = """SELECT c.id, c.doc_id, c.reported_by, c.status, c.event_id, substr(c.quote, 1, 90) AS opening
             FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id JOIN documents d ON d.id = c.doc_id
             WHERE (:status IS NULL OR c.status = :status) AND (:doc IS NULL OR c.doc_id = :doc)
               AND (:side IS NULL OR c.reported_by = :side) AND (:event IS NULL OR c.event_id = :event)
             ORDER BY d.rowid, p.seq, c.start"""
    conn = store.open_existing(db)
    try:
        cur = conn.execute(sql, {"status": status, "doc": doc, "side": side, "event": event})
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur]
    finally:
        conn.close()


def marked_paragraph(text: str, evidence: tuple[int, int], mentions: list[dict], dates: list[dict]) -> Markup:
    """The paragraph as HTML: the evidence in <mark>, actor and date mentions as labelled spans
    (displaCy-style); every piece of text escaped."""
    spans = [(evidence[0], evidence[1], "evidence", None)]
    spans += [(m["start"], m["end"], "ent actor", f"{m['label']}: {m['actor'] or 'not linked'}") for m in mentions]
    spans += [(d["start"], d["end"], "ent date", f"DATE: {d['value'] or '?'}") for d in dates]
    cuts = sorted({0, len(text), *[s for s, _, _, _ in spans], *[e for _, e, _, _ in spans]})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        for s, e, cls, title in sorted(spans, key=lambda x: x[2] != "evidence"):
            if s <= a and b <= e:
                if cls == "evidence":
                    piece = Markup('<mark class="evidence">') + piece + Markup("</mark>")
                else:
                    piece = Markup('<span class="{}" title="{}">').format(cls, title) + piece + Markup("</span>")
        out.append(piece)
    return Markup("").join(out)


def claim_view(db: Path, claim_id: str) -> dict:
    row = store.claim_context(db, claim_id)
    conn = store.open_existing(db)
    try:
        def rows(sql, *args):
            cur = conn.execute(sql, args)
            names = [c[0] for c in cur.description]
            return [dict(zip(names, r)) for r in cur]

        mentions = rows("SELECT start, \"end\", label, actor FROM mentions WHERE paragraph_id = ?", row["paragraph_id"])
        dates = rows("SELECT start, \"end\", value FROM dates WHERE paragraph_id = ?", row["paragraph_id"])
        others = rows("""SELECT id, reported_by, source, quote, one_sided, status FROM claims
                         WHERE event_id = ? AND coalesce(reported_by, '') != 'author'
                         ORDER BY reported_by != ?, reported_by, doc_id, start""",
                      row["event_id"], row["reported_by"]) if row["event_id"] else []
        event = rows("SELECT date, kind, participants FROM events WHERE id = ?", row["event_id"]) if row["event_id"] else []
        cited = cited_source(rows, row)
    finally:
        conn.close()
    accounts: dict[str, list[dict]] = {}
    for o in others:
        accounts.setdefault(o["reported_by"] or "?", []).append(o)
    return {"row": row, "paragraph": marked_paragraph(row["p_text"], (row["start"], row["end"]), mentions, dates),
            "accounts": accounts, "event": event[0] if event else None, "cited": cited}


def cited_source(rows, row: dict) -> dict | None:
    """The document the claim cites and its passage that matched (the statement marked), if any."""
    if not row.get("cites_doc"):
        return None
    doc = rows("SELECT id, title, url, side FROM documents WHERE id = ?", row["cites_doc"])
    statement = rows("SELECT paragraph_id, start, \"end\" FROM claims WHERE id = ?", row["cite_claim"]) \
        if row.get("cite_claim") else []
    pid = statement[0]["paragraph_id"] if statement else row.get("cite_paragraph")
    para = rows("SELECT text FROM paragraphs WHERE id = ?", pid) if pid else []
    passage = None
    if para:
        span = (statement[0]["start"], statement[0]["end"]) if statement else (0, 0)
        passage = marked_paragraph(para[0]["text"], span, [], [])
    return {"doc": doc[0] if doc else {"id": row["cites_doc"]}, "passage": passage}


def choices(db: Path, annotations: Path) -> dict:
    from pipeline.knowledge import load_knowledge

    conn = store.open_existing(db)
    try:
        sides = [r[0] for r in conn.execute("SELECT DISTINCT reported_by FROM claims WHERE reported_by IS NOT NULL "
                                            "ORDER BY 1")]
        docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY rowid")]
        events = [(r[0], f"{r[1] or '?'} {r[2] or 'event'}: {', '.join(json.loads(r[3] or '[]'))}")
                  for r in conn.execute("SELECT id, date, kind, sides FROM events ORDER BY date, id")]
    finally:
        conn.close()
    people = sorted({a.name for a in load_knowledge(annotations).actors.values() if a.type == "person"})
    return {"sides": sides, "docs": docs, "events": events, "people": people,
            "stances": ENUMS["stance"], "confirmations": ENUMS["confirmation"], "statuses": STATUSES,
            "citation_statuses": ENUMS["citation_status"],
            "editable": EDITABLE}


def page_context(db: Path, annotations: Path, q) -> tuple[int, dict]:
    """(HTTP status, template values) of the review page for its query parameters: the queue,
    the claim asked for (or the first), and a notice when that claim is gone."""
    filters = {k: (q.get(k) or None) for k in ("doc", "side", "event")}
    filters["status"] = q.get("status", "proposed") or None
    status, notice = 200, None
    items = queue(db, **filters)
    current = q.get("claim") or (items[0]["id"] if items else None)
    try:
        view = claim_view(db, current) if current else None
    except DatabaseError:  # an old link, or a claim a rebuild or an undo removed: say so, show the queue
        status, notice, current = 404, f"no claim {current!r} in the database (a rebuild or an undo may " \
                                        "have removed it); choose one from the queue", None
        view = None
    return status, {"items": items, "view": view, "current": current, "filters": filters, "notice": notice,
                    "conflicts": conflicts(annotations), **choices(db, annotations)}
