"""The report's "Sources checked" section: what the citation check found (claims/citations.py)."""

from __future__ import annotations

from collections import Counter
from html import escape

from pipeline.store.queries import SAVED

STATUSES = ("supported", "partial", "not_found", "differs", "unavailable")
SHOWN = ("differs", "not_found")  # listed one by one: what a reader must go and look at
CITED_SQL = SAVED["citations"].sql
LABELS = {"supported": "supported", "partial": "partly supported", "not_found": "not found in the cited source",
          "differs": "the cited source says otherwise", "unavailable": "cited source not in the corpus"}


def esc(value) -> str:
    """Text for HTML (None as nothing); the report's one escaping helper."""
    return escape("" if value is None else str(value))


def sources_checked_html(cited: list[dict]) -> str:
    if not cited:
        return '<p class="empty">No review claim cites a document of this corpus (by a link, a "Source:" caption ' \
               'or a named channel).</p>'
    counts = Counter(c["status"] for c in cited)
    summary = " · ".join(f'<span class="cite-{s}">{counts[s]} {LABELS[s]}</span>' for s in STATUSES if counts[s])
    rows = []
    for c in cited:
        if c["status"] not in SHOWN:
            continue
        passage = c["cited_statement"] or c["cited_paragraph"]
        rows.append(
            f'<tr class="cite-{esc(c["status"])}"><td>{esc(LABELS[c["status"]])}<br><small>{esc(c["rule"])}</small></td>'
            f'<td><a href="#c-{esc(c["claim_id"])}">{esc(c["review_says"])}</a></td>'
            f'<td><b>{esc(c["cites_doc"])}</b>{": " + esc(passage) if passage else ""}</td></tr>')
    table = ('<table class="cited"><thead><tr><th>status</th><th>the review says</th><th>the cited source</th>'
             f'</tr></thead><tbody>{"".join(rows)}</tbody></table>') if rows else ""
    return f'<p>{len(cited)} review claims cite a corpus document: {summary}.</p>{table}'
