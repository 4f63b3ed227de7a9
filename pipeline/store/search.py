"""Full-text search over claims and paragraphs (SQLite FTS5, ranked by bm25)."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.ingest.language import has_cyrillic
from pipeline.store.query import run_query

SQL = """
SELECT 'claim' AS kind, c.doc_id, c.id AS ref, snippet(claims_fts, 0, :open, :close, '…', 16) AS snippet,
       bm25(claims_fts) AS score
FROM claims_fts JOIN claims c ON c.rowid = claims_fts.rowid WHERE claims_fts MATCH :q
UNION ALL
SELECT 'paragraph', p.doc_id, p.id, snippet(paragraphs_fts, 0, :open, :close, '…', 16), bm25(paragraphs_fts)
FROM paragraphs_fts JOIN paragraphs p ON p.rowid = paragraphs_fts.rowid WHERE paragraphs_fts MATCH :q
ORDER BY score LIMIT :limit
"""


def to_match(text: str) -> str:
    """Plain words become an AND of quoted terms, so that punctuation never breaks the FTS syntax.
    A Russian word also matches its lemmas (claims index theirs): "Токаеву" finds "Токаев"."""
    words = re.findall(r"[\w'’-]+", text)
    terms = []
    for w in words:
        forms = [w.replace('"', "")]
        if has_cyrillic(w):
            from pipeline.language.russian import lemma_forms  # loaded only for a Russian query

            forms += [f for f in lemma_forms(w) if f != w.lower()]
        quoted = [f'"{f}"' for f in forms]
        terms.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return " AND ".join(terms)


def search(db: Path, text: str, limit: int = 20, highlight: tuple[str, str] = ("[", "]")):
    q = to_match(text)
    if not q:
        return ["kind", "doc_id", "ref", "snippet", "score"], []
    return run_query(db, SQL, {"q": q, "open": highlight[0], "close": highlight[1], "limit": limit})
