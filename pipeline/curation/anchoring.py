"""Re-anchoring: where a decision lands in a document's new extraction. The same id first (when its
quote is unchanged), then the exact quote, then fuzzy matching weighted by quote, prefix, suffix and
position; what cannot be placed is an orphan."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.curation.decisions import CONTEXT, Decision
from pipeline.ingest.parse import normalise


#: a quote this close (rapidfuzz ratio) to the decision's is its evidence even when the text around
#: it was rewritten, if no other quote is as close; a looser match needs its surroundings to agree
NEAR = 95


@dataclass(frozen=True)
class Target:
    """Something a decision can land on: a claim or a mention, with doc-level offsets."""

    key: str
    start: int
    end: int


class TargetIndex:
    """A document's targets indexed once (by id, by normalised quote), so that placing each
    decision costs a lookup; only a decision whose quote changed is fuzzy-matched against them."""

    def __init__(self, targets: list[Target], text: str) -> None:
        self.text = text
        self.targets: list[Target] = []
        self.by_key: dict[str, Target] = {}
        self.norm: dict[str, str] = {}
        self.by_norm: dict[str, list[Target]] = {}
        for t in targets:
            self.add(t)

    def add(self, t: Target) -> None:
        self.targets.append(t)
        self.by_key[t.key] = t
        self.norm[t.key] = n = normalise(self.text[t.start:t.end])
        self.by_norm.setdefault(n, []).append(t)

    def locate(self, d: Decision) -> tuple[Target | None, str]:
        exact_quote = normalise(d.exact)
        if d.claim_id and d.claim_id in self.by_key and self.norm[d.claim_id] == exact_quote:
            return self.by_key[d.claim_id], "same id"
        exact = self.by_norm.get(exact_quote, [])
        if len(exact) == 1:
            return exact[0], "same quote"
        text = self.text
        best, best_score = None, 0.0
        near: list[Target] = []  # all but verbatim: a typo mended, a word changed in a long quote
        for t in exact or self.targets:
            quote = fuzz.ratio(self.norm[t.key], exact_quote)
            if not exact and quote < 80:
                continue
            if quote >= NEAR:
                near.append(t)
            prefix = fuzz.ratio(normalise(text[max(0, t.start - CONTEXT):t.start]), normalise(d.prefix)) if d.prefix else 100
            suffix = fuzz.ratio(normalise(text[t.end:t.end + CONTEXT]), normalise(d.suffix)) if d.suffix else 100
            distance = abs(t.start - d.start) / max(len(text), 1)
            score = 0.6 * quote + 0.15 * prefix + 0.15 * suffix + 10 * (1 - distance)
            if score > best_score:
                best, best_score = t, score
        if best is not None and best_score >= 75:
            return best, f"fuzzy match ({best_score:.0f})"
        if not exact and len(near) == 1:  # the one all-but-verbatim quote, whatever was edited around it
            return near[0], "fuzzy match (the quote, its surroundings changed)"
        return None, "the quoted evidence is no longer in the document"


def locate(d: Decision, targets: list[Target], text: str) -> tuple[Target | None, str]:
    return TargetIndex(targets, text).locate(d)


def span_in_text(d: Decision, text: str) -> tuple[int, int] | None:
    """Where an added claim's quote stands now: exact first, then the closest fuzzy alignment."""
    found = [i for i in _all(text, d.exact)]
    if found:
        return min((abs(i - d.start), i) for i in found)[1], min((abs(i - d.start), i) for i in found)[1] + len(d.exact)
    if len(d.exact) < 12:
        return None
    align = fuzz.partial_ratio_alignment(d.exact, text, score_cutoff=90)
    if align is None:
        return None
    return align.dest_start, align.dest_end


def _all(text: str, needle: str):
    i = text.find(needle)
    while i != -1 and needle:
        yield i
        i = text.find(needle, i + 1)
