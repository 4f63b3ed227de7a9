"""A claim's id: stable across re-runs while its document and evidence text are unchanged."""

from __future__ import annotations

import hashlib

from pipeline.ingest.parse import normalise


def claim_id(doc_id: str, quote: str, n: int = 0) -> str:
    key = f"{doc_id}\x00{normalise(quote)}" + (f"\x00{n}" if n else "")
    return "c" + hashlib.sha1(key.encode()).hexdigest()[:15]
