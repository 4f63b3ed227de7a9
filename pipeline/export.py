"""Database -> the contract's export records (claims, mentions, events, documents)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from .store import open_existing

QUERIES = {
    "claims": """
        SELECT c.id, c.doc_id, c.paragraph_id, c.start, c."end", c.quote, c.text, c.speaker, c.speaker_id,
               c.reported_by, c.source, c.date, c.event_id, c.confirmation, c.stance, c.status,
               c.one_sided, c.cue, c.stance_rule{text}
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
               d.period_start, d.period_end, d.title{doc_text}
        FROM documents d ORDER BY d.rowid""",
}
COLUMNS = {
    "claims": ["id", "doc_id", "paragraph_id", "start", "end", "quote", "text", "speaker", "speaker_id",
               "reported_by", "source", "date", "event_id", "confirmation", "stance", "status", "one_sided", "cue",
               "stance_rule"],
    "mentions": ["id", "doc_id", "paragraph_id", "start", "end", "text", "label", "actor_id", "actor", "country"],
    "events": ["id", "date", "kind", "participants", "sides", "docs", "claims", "one_sided"],
    "documents": ["id", "kind", "publisher", "side", "published", "url", "sha256", "paragraphs", "title", "period"],
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
            yield record
    finally:
        db.close()


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
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for n, row in enumerate(rows, 1):
            writer.writerow(
                {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()}
            )
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return n
