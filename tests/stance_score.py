"""Stance precision and recall per class against a gold file whose claims carry a `stance`.

Claims are matched to gold anchors as the shared scorer (tests/eval_score.py) matches them: the
predicted quote, located in the document's normalised text, overlapping the anchor. Stance is
then scored over the matched claims; the share of gold claims matched is reported beside it.

usage: stance_score.py GOLD.json CORPUS_DIR EXPORT_DIR [--verbose]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from eval_score import doc_text, load_jsonl, norm, spans  # noqa: E402

CLASSES = ("supports", "opposes", "neutral", "none")


def score(gold_path: Path, corpus: Path, exports: Path, verbose: bool = False) -> dict:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    docs = {d["id"]: doc_text(corpus / d["path"]) for d in gold["documents"]}
    located = []
    for c in load_jsonl(exports / "claims.jsonl"):
        if c.get("status") == "rejected" or c.get("doc_id") not in docs:
            continue
        hits = spans(docs[c["doc_id"]], norm(c.get("quote") or ""))
        if hits:
            located.append((c, c["doc_id"], hits[0]))
    used, pairs, missed = set(), [], []
    for g in gold["claims"]:
        loc = spans(docs[g["doc"]], norm(g["anchor"]))[0]
        best, best_ov = None, 0
        for i, (c, d, sp) in enumerate(located):
            ov = max(0, min(sp[1], loc[1]) - max(sp[0], loc[0]))
            if d == g["doc"] and i not in used and ov > best_ov:
                best, best_ov = i, ov
        if best is None:
            missed.append(g)
            continue
        used.add(best)
        pairs.append((g.get("stance") or "none", located[best][0].get("stance") or "none", g, located[best][0]))
    out = {"gold": len(gold["claims"]), "matched": len(pairs)}
    confusion = Counter((want, got) for want, got, _, _ in pairs)
    for k in CLASSES:
        tp = confusion[(k, k)]
        predicted = sum(n for (w, g), n in confusion.items() if g == k)
        wanted = sum(n for (w, g), n in confusion.items() if w == k)
        out[k] = {"precision": tp / predicted if predicted else 0.0, "recall": tp / wanted if wanted else 0.0,
                  "gold": wanted, "predicted": predicted}
    out["accuracy"] = sum(confusion[(k, k)] for k in CLASSES) / len(pairs) if pairs else 0.0
    if verbose:
        for want, got, g, c in pairs:
            if want != got:
                print(f"STANCE [{g['doc']}] gold {want} / got {got} ({c.get('stance_rule')}) | {g['anchor'][:70]}",
                      file=sys.stderr)
        for g in missed:
            print(f"MISS   [{g['doc']}] {g['anchor'][:70]}", file=sys.stderr)
    return out


def main() -> None:
    gold, corpus, exports = map(Path, sys.argv[1:4])
    result = score(gold, corpus, exports, "--verbose" in sys.argv)
    print(f"matched {result['matched']}/{result['gold']}  accuracy {result['accuracy']:.2f}")
    for k in CLASSES:
        r = result[k]
        print(f"{k:<9} P {r['precision']:.2f}  R {r['recall']:.2f}  (gold {r['gold']}, predicted {r['predicted']})")


if __name__ == "__main__":
    main()
