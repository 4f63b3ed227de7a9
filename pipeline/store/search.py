"""Full-text search over claims and paragraphs (SQLite FTS5, ranked by bm25)."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.ingest.language import has_cyrillic
from pipeline.store.query import run_query

SQL = """
SELECT 'claim' AS kind, c.doc_id, c.id AS ref, snippet(claims_fts, 0, :open, :close, '…', 16) AS snippet,
       round(-bm25(claims_fts), 2) AS relevance
FROM claims_fts JOIN claims c ON c.rowid = claims_fts.rowid WHERE claims_fts MATCH :q
UNION ALL
SELECT 'paragraph', p.doc_id, p.id, snippet(paragraphs_fts, 0, :open, :close, '…', 16),
       round(-bm25(paragraphs_fts), 2)
FROM paragraphs_fts JOIN paragraphs p ON p.rowid = paragraphs_fts.rowid WHERE paragraphs_fts MATCH :q
ORDER BY relevance DESC LIMIT :limit
"""
#: a phrase in double quotes, an operator, or a word (a trailing * for any ending)
TOKEN_RE = re.compile(r'"([^"]*)"|(\bOR\b|\bAND\b|\bNOT\b)|([\w\'’-]+\*?)')
SYNTAX = ('words (all must occur), "a phrase", OR and NOT between words (capitals), word* for any ending, '
          'e.g. search \'Putin OR Tokayev\', search \'"special military operation" NOT Ukraine\'')


class SearchSyntaxError(ValueError):
    pass


def _term(word: str) -> str:
    """One word as an FTS5 term; a Russian word also as its lemmas (claims index theirs)."""
    prefix = word.endswith("*")
    word = word.rstrip("*").replace('"', "")
    forms = [word]
    if has_cyrillic(word) and not prefix:
        from pipeline.language.russian import lemma_forms  # loaded only for a Russian query

        forms += [f for f in lemma_forms(word) if f != word.lower()]
    quoted = [f'"{f}"' + ("*" if prefix else "") for f in forms]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def to_match(text: str) -> str:
    """The search syntax (SYNTAX) as an FTS5 query: words and phrases quoted, so that punctuation
    never breaks it; terms side by side must all occur; OR and NOT between terms; word* a prefix."""
    out: list[str] = []
    pending: str | None = None  # an operator waiting for the term after it
    for m in TOKEN_RE.finditer(text):
        phrase, op, word = m.groups()
        if op:
            if not out or pending:
                raise SearchSyntaxError(f"{op} needs a term on each side; {SYNTAX}")
            pending = op
            continue
        if phrase is not None:
            words = re.findall(r"[\w'’-]+", phrase)
            if not words:
                continue
            term = '"' + " ".join(words) + '"'
        else:
            term = _term(word)
        if out:
            out.append(pending or "AND")
        out.append(term)
        pending = None
    if pending:
        raise SearchSyntaxError(f"{pending} needs a term on each side; {SYNTAX}")
    return " ".join(out)


def search(db: Path, text: str, limit: int = 20, highlight: tuple[str, str] = ("[", "]")):
    q = to_match(text)
    if not q:
        return ["kind", "doc_id", "ref", "snippet", "relevance"], []
    return run_query(db, SQL, {"q": q, "open": highlight[0], "close": highlight[1], "limit": limit})
