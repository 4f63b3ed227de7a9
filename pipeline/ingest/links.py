"""Links in review documents, and adding them to the manifest as documents to fetch."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlparse

from pipeline.atomic import exclusive, write_atomic
from pipeline.ingest.corpus import load_manifest
from pipeline.knowledge import Knowledge
from pipeline.store import open_existing


def review_links(db: Path) -> list[dict]:
    conn = open_existing(db)
    try:
        cursor = conn.execute(
            """SELECT l.doc_id, p.seq AS paragraph, p.id AS paragraph_id, l.text AS anchor, l.href
               FROM links l JOIN paragraphs p ON p.id = l.paragraph_id JOIN documents d ON d.id = l.doc_id
               WHERE d.kind = 'review' ORDER BY d.rowid, p.seq, l.start""")
        return [dict(zip([c[0] for c in cursor.description], r)) for r in cursor]
    finally:
        conn.close()


def manifest_entry(href: str, knowledge: Knowledge) -> dict:
    host = (urlparse(href).hostname or "").lower()
    source = knowledge.source_for(url=href)
    slug = re.sub(r"[^a-z0-9]+", "-", host.removeprefix("www.")).strip("-")[:30] or "doc"
    entry = {"id": f"{slug}-{hashlib.sha1(href.encode()).hexdigest()[:8]}", "url": href,
             "kind": "readout" if source and source.channel and "readout" in source.channel.lower() else "statement"}
    if source:
        entry["publisher"] = source.publisher
        entry["side"] = source.side
    return entry


def add_to_manifest(manifest: Path, links: list[dict], knowledge: Knowledge) -> list[dict]:
    """Append one [[document]] per new http(s) link; the existing text is kept as it is."""
    known = {s.url for s in load_manifest(manifest) if s.url}
    ids = {s.id for s in load_manifest(manifest)}
    added = []
    for link in links:
        href = link["href"]
        if urlparse(href).scheme not in ("http", "https") or href in known:
            continue
        entry = manifest_entry(href, knowledge)
        if entry["id"] in ids:
            continue
        known.add(href)
        ids.add(entry["id"])
        added.append(entry)
    if added:
        with exclusive(manifest):
            text = manifest.read_text(encoding="utf-8").rstrip("\n") + "\n"
            for e in added:
                text += "\n[[document]]\n" + "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in e.items())
            write_atomic(manifest, text)
    return added
