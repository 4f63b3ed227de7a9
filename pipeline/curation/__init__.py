"""Human decisions in the annotations folder, and re-anchoring them on every extraction.

One JSON Lines file per document: annotations/decisions/<doc_id>.jsonl. Each line is one
decision on a claim (accept, reject, edit, add) or a mention (link), with the claim id plus a
quote selector (exact text, ~32 characters of prefix and suffix) and a position selector,
as the W3C Web Annotation model does it. On re-extraction a decision goes back to the same
evidence: the same id first, then the exact quote, then fuzzy matching weighted by quote,
prefix, suffix and position. A decision that cannot be placed is an orphan: kept in its file,
counted and listed, never dropped. Lines are only ever appended; a corrupt line is reported
with its file and line number and left as it is.

The modules: decisions.py (storage: the files, their lines, conflicts), anchoring.py (where a
decision lands), and this one (applying the decisions to a run's claims and mentions). The
precedence of a human decision over the machine's proposal is here: an accepted, edited or
rejected claim keeps the reviewer's values, and the events stage (claims/events.py) sets a
confirmation only where no reviewer set one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.curation.anchoring import Target, TargetIndex, locate, span_in_text
from pipeline.curation.decisions import (ACTIONS, CONTEXT, EDITABLE, EVIDENCE, STATUS, Conflict, CurationError,
                                         Decision, Orphan, Problem, SavedNotApplied, append_decision, conflicts,
                                         decisions_dir, load_decisions, new_decision, reviewer_name)
from pipeline.ingest.parse import normalise
from pipeline.records import Claim, DocumentResult, Mention

__all__ = ["ACTIONS", "CONTEXT", "EDITABLE", "EVIDENCE", "STATUS", "Applied", "Conflict", "CurationError", "Decision",
           "DocumentCuration", "Orphan", "Problem", "SavedNotApplied", "Target", "TargetIndex", "added_claim",
           "append_decision", "apply", "conflicts", "decisions_dir", "load_decisions", "locate", "moved_evidence",
           "new_decision", "reviewer_name", "span_in_text", "with_basis"]


@dataclass
class Applied:
    claims: list[Claim]
    mentions: dict[str, list[Mention]]
    orphans: list[Orphan]
    problems: list[Problem]


def with_basis(fields: dict) -> dict:
    """A date a reviewer set has the basis `reviewer` (beside claim_dates.BASES); one emptied has none."""
    if "date" in fields:
        return {**fields, "date_basis": "reviewer" if fields["date"] else None}
    return fields


#: the fields of an edit that moves a claim's evidence: its new words and where they stood
def moved_evidence(c: Claim, d: Decision, r: DocumentResult) -> Claim | None:
    """The claim with the evidence an edit moved it to, found again in the document as it is now
    (exact, nearest the recorded position, else a fuzzy alignment); None when it is gone."""
    f = d.fields
    where = replace(d, exact=f["evidence"], prefix=f.get("evidence_prefix", ""), suffix=f.get("evidence_suffix", ""),
                    start=f.get("evidence_start", 0), end=f.get("evidence_end", 0))
    span = span_in_text(where, r.text)
    para = next((p for p in r.paragraphs if span and p.start <= span[0] and span[1] <= p.end), None)
    if para is None:
        return None
    s, e = span[0] - para.start, span[1] - para.start
    return replace(c, paragraph_id=para.id, start=s, end=e, quote=para.text[s:e],
                   text=c.text if "text" in f else normalise(para.text[s:e]))


def added_claim(doc_id: str, paragraph_id: str, para_text: str, s: int, e: int, fields: dict,
                reviewer: str | None, language: str | None = None) -> Claim:
    """The claim a reviewer added over para_text[s:e], with the values the decision gave it."""
    from pipeline.claims.ids import claim_id  # ids of added claims follow the same rule as machine ones

    f = fields
    return Claim(
        id=claim_id(doc_id, para_text[s:e]), doc_id=doc_id, paragraph_id=paragraph_id, start=s, end=e,
        quote=para_text[s:e], text=f.get("text") or normalise(para_text[s:e]), speaker=f.get("speaker"),
        speaker_id=f.get("speaker_id"), reported_by=f.get("reported_by"), source=f.get("source"),
        date=f.get("date"), date_basis="reviewer" if f.get("date") else None,
        confirmation=f.get("confirmation"), stance=f.get("stance"),
        cites_doc=f.get("cites_doc"), citation_status=f.get("citation_status"),
        cue="added by a reviewer", status="accepted", reviewer=reviewer, language=language, origin="reviewer",
    )


def apply(results: list[DocumentResult], annotations: Path) -> Applied:
    """Every decision in force (not reverted) applied to its document's claims and mentions, in the
    order they were made; what cannot be placed is an orphan, never dropped."""
    decisions, problems = load_decisions(annotations)
    reverted = {d.reverts for d in decisions if d.action == "revert"}
    by_doc: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.action != "revert" and d.id not in reverted:
            by_doc.setdefault(d.doc_id, []).append(d)
    known = {r.spec.id for r in results}
    orphans = [Orphan(d, f"document {doc_id!r} is not in this corpus (or failed)")
               for doc_id, ds in by_doc.items() if doc_id not in known for d in ds]
    claims: list[Claim] = []
    mentions: dict[str, list[Mention]] = {}
    for r in results:
        doc = DocumentCuration(r)
        for d in by_doc.get(r.spec.id, []):
            why = doc.apply(d)
            if why is not None:
                orphans.append(Orphan(d, why))
        claims.extend(doc.claims)
        mentions[r.spec.id] = doc.mentions
    return Applied(claims, mentions, orphans, problems)


class DocumentCuration:
    """One document's claims and mentions as its decisions leave them. A decision beats the
    machine's proposal: the reviewer's values replace the extracted ones and the status is the
    reviewer's (an accepted edited claim stays edited)."""

    def __init__(self, r: DocumentResult) -> None:
        self.r = r
        self.para_start = {p.id: p.start for p in r.paragraphs}
        self.claims = list(r.claims)
        self.mentions = list(r.mentions)
        self.position = {c.id: n for n, c in enumerate(self.claims)}
        self._mention_index = self._claim_index = None  # built at the first decision that needs one

    def apply(self, d: Decision) -> str | None:
        """Apply one decision; the reason it could not be placed, or None."""
        if d.target == "mention":
            return self._link(d)
        if d.action == "add":
            return self._add(d)
        return self._decide(d)

    def _link(self, d: Decision) -> str | None:
        if self._mention_index is None:
            self._mention_index = TargetIndex(
                [Target(str(i), self.para_start[m.paragraph_id] + m.start, self.para_start[m.paragraph_id] + m.end)
                 for i, m in enumerate(self.mentions)], self.r.text)
        t, why = self._mention_index.locate(replace(d, claim_id=None))
        if t is None:
            return why
        i, f = int(t.key), d.fields
        self.mentions[i] = replace(self.mentions[i], actor_id=f.get("actor_id"), actor=f.get("actor"),
                                   country=f.get("country"), reason=f"curated ({d.file}:{d.line})")
        return None

    def _add(self, d: Decision) -> str | None:
        r = self.r
        span = span_in_text(d, r.text)
        para = next((p for p in r.paragraphs if span and p.start <= span[0] and span[1] <= p.end), None)
        if para is None:
            return "the quoted evidence of the added claim is no longer in the document"
        added = added_claim(r.spec.id, para.id, para.text, span[0] - para.start, span[1] - para.start,
                            d.fields, d.reviewer, r.language.value if r.language else None)
        if self._claim_index is not None:
            self._claim_index.add(Target(added.id, para.start + added.start, para.start + added.end))
        self.position[added.id] = len(self.claims)
        self.claims.append(added)
        return None

    def _decide(self, d: Decision) -> str | None:
        if self._claim_index is None:
            self._claim_index = TargetIndex([Target(c.id, self.para_start[c.paragraph_id] + c.start,
                                                    self.para_start[c.paragraph_id] + c.end) for c in self.claims],
                                            self.r.text)
        t, why = self._claim_index.locate(d)
        if t is None:
            return why
        i = self.position[t.key]
        c = self.claims[i]
        if d.action == "edit" and "evidence" in d.fields:
            c = moved_evidence(c, d, self.r)
            if c is None:
                return "the claim's new evidence is no longer in the document"
        if d.action == "edit":
            c = replace(c, **with_basis({k: v for k, v in d.fields.items() if k in EDITABLE or k == "speaker_id"}))
        self.claims[i] = replace(c, status=STATUS[d.action] if not (d.action == "accept" and c.status == "edited")
                                 else c.status, reviewer=d.reviewer)
        return None
