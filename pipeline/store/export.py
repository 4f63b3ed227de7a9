"""Database -> the contract's export records (claims, mentions, events, documents)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.store import open_existing

QUERIES = {
    "claims": """
        SELECT c.id, c.doc_id, c.paragraph_id, c.start, c."end", c.quote, c.text, c.speaker, c.speaker_id,
               c.reported_by, c.source, c.date, c.event_id, c.confirmation, c.stance, c.status,
               c.one_sided, c.cue, c.stance_rule, c.reviewer, c.date_basis, c.side_rule, c.language, c.origin,
               c.cites_doc, c.cite_rule, c.cite_paragraph, c.cite_claim, c.citation_status, c.citation_score{text}
        FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id JOIN documents d ON d.id = c.doc_id
        ORDER BY d.rowid, p.seq, c.start""",
    "mentions": """
        SELECT m.id, m.doc_id, m.paragraph_id, m.start, m."end", m.text, m.label, m.actor_id, m.actor, m.country{text}
        FROM mentions m JOIN paragraphs p ON p.id = m.paragraph_id
        ORDER BY m.doc_id, p.seq, m.start""",
    "events": """
        SELECT e.id, e.date, e.kind, e.participants, e.sides, e.docs,
               (SELECT json_group_array(id) FROM (SELECT id FROM claims WHERE event_id = e.id ORDER BY id)) AS claims,
               (SELECT json_group_array(id) FROM (SELECT id FROM claims WHERE event_id = e.id AND one_sided ORDER BY id)) AS one_sided
        FROM events e ORDER BY e.date, e.id""",
    "documents": """
        SELECT d.id, d.kind, d.publisher, d.side, d.published, d.url, d.sha256, d.paragraphs,
               d.period_start, d.period_end, d.title, d.language, d.stale{doc_text}
        FROM documents d ORDER BY d.rowid""",
}
COLUMNS = {
    "claims": ["id", "doc_id", "paragraph_id", "start", "end", "quote", "text", "speaker", "speaker_id",
               "reported_by", "source", "date", "event_id", "confirmation", "stance", "status", "one_sided", "cue",
               "stance_rule", "reviewer", "date_basis", "side_rule", "language", "origin", "cites_doc", "cite_rule",
               "cite_paragraph", "cite_claim", "citation_status", "citation_score"],
    "mentions": ["id", "doc_id", "paragraph_id", "start", "end", "text", "label", "actor_id", "actor", "country"],
    "events": ["id", "date", "kind", "participants", "sides", "docs", "claims", "one_sided"],
    "documents": ["id", "kind", "publisher", "side", "published", "url", "sha256", "paragraphs", "title", "period",
                  "language", "stale"],
}
#: --with-text: the text the offsets point into (the paragraph's; the document's for documents)
TEXT_COLUMN = {"claims": "paragraph_text", "mentions": "paragraph_text", "documents": "text"}
JSON_COLUMNS = {"events": ("participants", "sides", "docs", "claims", "one_sided")}
FORMATS = ("jsonl", "csv", "json")


def columns(what: str, with_text: bool = False) -> list[str]:
    return COLUMNS[what] + ([TEXT_COLUMN[what]] if with_text and what in TEXT_COLUMN else [])


def records(db_path: Path, what: str, with_text: bool = False) -> Iterator[dict]:
    sql = QUERIES[what].format(text=", p.text AS paragraph_text" if with_text else "",
                               doc_text=", d.text" if with_text else "")
    db = open_existing(db_path)
    try:
        cursor = db.execute(sql)
        names = [c[0] for c in cursor.description]
        for row in cursor:
            record = dict(zip(names, row))
            if what == "claims":
                record["one_sided"] = bool(record["one_sided"])
            for key in JSON_COLUMNS.get(what, ()):
                record[key] = json.loads(record[key]) if record[key] else []
            if what == "documents":
                start, end = record.pop("period_start"), record.pop("period_end")
                record["period"] = [start, end] if start else None
                record = {c: record[c] for c in columns(what, with_text)}  # the contract's order
            yield record
    finally:
        db.close()


#: which field of a record each export filter looks at (a list field: any of its values)
FILTERS = {
    "doc": {"claims": "doc_id", "mentions": "doc_id", "events": "docs", "documents": "id"},
    "side": {"claims": "reported_by", "mentions": "country", "events": "sides", "documents": "side"},
    "status": {"claims": "status"},
    "since": {"claims": "date", "events": "date", "documents": "published"},
}


def filtered(rows: Iterator[dict], what: str, wanted: dict) -> Iterator[dict]:
    """The records whose fields match every given filter (FILTERS); `since` keeps dates on or after
    it (a month or day given as YYYY-MM or YYYY-MM-DD) and drops undated records."""
    checks = [(FILTERS[name][what], name, value) for name, value in wanted.items() if value is not None]
    for row in rows:
        ok = True
        for field, name, value in checks:
            have = row.get(field)
            if name == "since":
                ok = bool(have) and have[:len(value)] >= value
            else:
                ok = value in have if isinstance(have, list) else have == value
            if not ok:
                break
        if ok:
            yield row


def write(rows: Iterator[dict], fmt: str, out: io.TextIOBase, columns: list[str]) -> int:
    n = 0
    if fmt == "jsonl":
        for n, row in enumerate(rows, 1):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        items = list(rows)
        n = len(items)
        json.dump(items, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", delimiter="," if fmt == "csv" else "\t")
        writer.writeheader()
        for n, row in enumerate(rows, 1):
            writer.writerow(_flat(row))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return n


def _flat(row: dict) -> dict:
    """A row for a table cell each: lists and objects as JSON text."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()}


def write_xlsx(rows: Iterator[dict], path, columns: list[str], sheet: str) -> int:
    """An Excel workbook (openpyxl, write-only: rows streamed) with a header row, frozen below it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.freeze_panes = "A2"
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    n = 0
    for n, row in enumerate(rows, 1):
        flat = _flat(row)
        ws.append([_cell(ws, flat.get(c)) for c in columns])
    book.save(path)
    return n


def _cell(ws, value):
    """A cell that shows the value as written: text beginning with '=' stays text (openpyxl would
    store it as a formula for the spreadsheet to run)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


# --- W3C Web Annotation (JSON-LD): the claims and the human decisions, for annotation tools ---

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
DECISION_MOTIVATION = {"accept": "assessing", "reject": "assessing", "edit": "editing", "add": "describing",
                       "link": "linking", "revert": "editing"}


def _selectors(exact: str, prefix: str, suffix: str, start: int, end: int) -> list[dict]:
    return [{"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": start, "end": end}]


def _tags(pairs: dict) -> list[dict]:
    return [{"type": "TextualBody", "purpose": "tagging", "value": f"{k}:{v}"} for k, v in pairs.items() if v is not None]


def w3c_annotations(db_path: Path, annotations: Path) -> dict:
    """An AnnotationCollection: one Annotation per claim (the machine's proposal as it stands,
    with its evidence as TextQuote and TextPosition selectors on the document) and one per
    human decision (its own selectors, as the decisions file keeps them), the document's url
    as the source (an urn for documents without one)."""
    from pipeline import __version__
    from pipeline.curation import CONTEXT, load_decisions

    db = open_existing(db_path)
    try:
        docs = {r[0]: (r[1] or f"urn:claimtrace:document:{r[0]}", r[2])
                for r in db.execute("SELECT id, url, text FROM documents")}
        claims = db.execute(
            """SELECT c.id, c.doc_id, p.start + c.start, p.start + c."end", c.quote, c.text, c.speaker, c.reported_by,
                      c.source, c.date, c.stance, c.confirmation, c.status, c.reviewer, c.event_id
               FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id JOIN documents d ON d.id = c.doc_id
               ORDER BY d.rowid, p.seq, c.start""").fetchall()
    finally:
        db.close()
    software = {"type": "Software", "name": f"claimtrace {__version__}"}
    items = []
    for cid, doc, start, end, quote, text, speaker, side, source, date, stance, conf, status, reviewer, event in claims:
        source_url, doc_text = docs[doc]
        items.append({
            "@context": W3C_CONTEXT, "id": f"urn:claimtrace:claim:{cid}", "type": "Annotation",
            "motivation": "describing",
            "creator": {"type": "Person", "name": reviewer} if reviewer else software,
            "body": [{"type": "TextualBody", "purpose": "describing", "value": text, "format": "text/plain"},
                     *_tags({"speaker": speaker, "reported_by": side, "source": source, "date": date, "stance": stance,
                             "confirmation": conf, "status": status, "event": event})],
            "target": {"source": source_url, "selector": _selectors(
                quote, doc_text[max(0, start - CONTEXT):start], doc_text[end:end + CONTEXT], start, end)},
        })
    decisions, _ = load_decisions(annotations)
    for d in decisions:
        if d.doc_id not in docs:
            continue
        items.append({
            "@context": W3C_CONTEXT, "id": f"urn:claimtrace:decision:{d.id}", "type": "Annotation",
            "motivation": DECISION_MOTIVATION.get(d.action, "commenting"), "created": d.decided_at or None,
            "creator": {"type": "Person", "name": d.reviewer} if d.reviewer else {"type": "Person"},
            "body": [{"type": "TextualBody", "purpose": DECISION_MOTIVATION.get(d.action, "commenting"),
                      "value": d.action if not d.reverts else f"revert of {d.reverts}"},
                     *_tags({**({"claim": d.claim_id} if d.claim_id else {}),
                             **{k: v for k, v in d.fields.items() if k != "speaker_id"}})],
            "target": {"source": docs[d.doc_id][0], "selector": _selectors(d.exact, d.prefix, d.suffix, d.start, d.end)},
        })
    return {"@context": W3C_CONTEXT, "type": "AnnotationCollection", "label": "claimtrace claims and decisions",
            "total": len(items), "first": {"type": "AnnotationPage", "items": items}}
