"""Score the citation check against a set's gold.json "citations" (issue 26).

    python tests/citation_score.py tests/data/citations/gold.json claims.jsonl

A gold citation is matched to the review claim whose quote holds its anchor (or the anchor holds
the quote). Found: the claim cites the gold document (for an `unavailable` one: no document, with
that status). Status right: citation_status equals the gold status. Uncited claims must cite nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _norm(s: str) -> str:
    return " ".join(s.replace("’", "'").replace("“", '"').replace("”", '"').split())


def score(gold: dict, claims: list[dict]) -> dict:
    def claim_for(doc: str, anchor: str) -> dict | None:
        a = _norm(anchor)
        hits = [c for c in claims if c["doc_id"] == doc and (a in _norm(c["quote"]) or _norm(c["quote"]) in a)]
        return hits[0] if hits else None

    rows, found, right = [], 0, 0
    for g in gold["citations"]:
        c = claim_for(g["doc"], g["anchor"])
        got_doc = c and c.get("cites_doc")
        got_status = c and c.get("citation_status")
        ok_doc = c is not None and got_doc == g["cites_doc"] and bool(g["cites_doc"] or got_status == "unavailable")
        ok_status = c is not None and got_status == g["status"]
        found += ok_doc
        right += ok_status
        rows.append((g["cite_rule"], g["status"], g["cites_doc"], "claim" if c else "NO CLAIM", got_doc,
                     c and c.get("cite_rule"), got_status, g["anchor"][:50]))
    false_cites = [u["anchor"][:50] for u in gold.get("uncited", [])
                   if (c := claim_for(u["doc"], u["anchor"])) and c.get("cite_rule")]
    n = len(gold["citations"])
    return {"citations": n, "found": found / n, "status": right / n, "uncited_but_cited": false_cites, "rows": rows}


def main() -> None:
    gold = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    claims = [json.loads(line) for line in Path(sys.argv[2]).read_text(encoding="utf-8").splitlines() if line]
    result = score(gold, claims)
    for row in result["rows"]:
        print(" | ".join(str(x) for x in row))
    print(f"citations {result['citations']}: found {result['found']:.2f}, status right {result['status']:.2f}; "
          f"uncited claims given a citation: {result['uncited_but_cited']}")


if __name__ == "__main__":
    main()
