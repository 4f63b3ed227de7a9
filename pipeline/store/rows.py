"""The rows of every table for one run, as a full build writes them and an update compares them."""

from __future__ import annotations

import json

from pipeline.records import DocumentResult


def mention_id(paragraph_id: str, start: int, end: int) -> str:
    return f"{paragraph_id}:{start}-{end}"


#: Claim fields the claims table does not keep: the event stage's working values
NOT_STORED = ("kind", "participants", "participant_names", "content")


def claim_row(claim, one_sided: bool = False) -> dict:
    """A claim as the claims table holds it (an added claim is one-sided only once grouped)."""
    record = dict(vars(claim))  # a flat record: no deep copy (dataclasses.asdict is 10x slower)
    for key in NOT_STORED:
        record.pop(key)
    return {**record, "one_sided": int(one_sided)}


def _fields(record) -> dict:
    return dict(vars(record))  # the records are flat: no deep copy needed (dataclasses.asdict is 10x slower)


def table_rows(results: list[DocumentResult], keys: dict[str, str], built, failures: dict[str, str],
               meta: dict[str, str]) -> dict[str, list[dict]]:
    """table -> rows. Documents carry their place in the manifest as "rowid" (the order every
    listing of documents uses) and their per-document cache key."""
    tables: dict[str, list[dict]] = {"documents": [], "paragraphs": [], "links": [], "dates": []}
    for place, r in enumerate(results, 1):
        tables["documents"].append({**document_row(r, keys.get(r.spec.id)), "rowid": place})
        tables["paragraphs"] += [{"id": p.id, "doc_id": p.doc_id, "seq": p.seq, "kind": p.kind, "section": p.section,
                                  "start": p.start, "end": p.end, "text": p.text} for p in r.paragraphs]
        tables["links"] += [{"paragraph_id": p.id, "seq": n, "doc_id": p.doc_id, "start": link.start,
                             "end": link.end, "text": link.text, "href": link.href}
                            for p in r.paragraphs for n, link in enumerate(p.links)]
        tables["dates"] += [{"id": mention_id(d.paragraph_id, d.start, d.end), **_fields(d)} for d in r.dates]
    tables["actors"] = [{**_fields(a), "local": int(a.local)} for a in built.actors]
    tables["mentions"] = [{"id": mention_id(m.paragraph_id, m.start, m.end), **_fields(m)} for m in built.mentions]
    tables["events"] = [{**e, **{k: json.dumps(e[k], ensure_ascii=False) for k in ("participants", "sides", "docs")}}
                        for e in built.events]
    tables["claims"] = built.claims
    tables["failures"] = [{"doc_id": k, "reason": v} for k, v in sorted(failures.items())]
    tables["orphans"] = [{"decision_id": o.decision.id, "doc_id": o.decision.doc_id, "file": o.decision.file,
                          "line": o.decision.line, "action": o.decision.action, "claim_id": o.decision.claim_id,
                          "quote": o.decision.exact, "reason": o.reason} for o in built.orphans]
    tables["annotation_problems"] = [{"file": p.file, "line": p.line, "message": p.message} for p in built.problems]
    tables["meta"] = [{"key": k, "value": v} for k, v in sorted(meta.items())]
    return tables


def document_row(r: DocumentResult, cache_key: str | None) -> dict:
    s = r.spec
    return {
        "id": s.id, "kind": s.kind, "path": s.path.name if s.path else None, "url": s.url,
        "publisher": s.publisher, "side": r.side.value if r.side else None,
        "side_reason": r.side.reason if r.side else None,
        "published": r.published.value if r.published else None,
        "published_reason": r.published.reason if r.published else None,
        "period_start": r.period[0] if r.period else None, "period_end": r.period[1] if r.period else None,
        "period_reason": r.period_reason, "title": r.title, "sha256": r.sha256, "text": r.text,
        "paragraphs": len(r.paragraphs), "encoding": r.encoding,
        "language": r.language.value if r.language else None,
        "language_reason": r.language.reason if r.language else None,
        "cache_key": cache_key, "stale": r.stale,
    }
