"""Human decisions in the annotations folder, and re-anchoring them on every extraction.

One JSON Lines file per document: annotations/decisions/<doc_id>.jsonl. Each line is one
decision on a claim (accept, reject, edit, add) or a mention (link), with the claim id plus a
quote selector (exact text, ~32 characters of prefix and suffix) and a position selector,
as the W3C Web Annotation model does it. On re-extraction a decision goes back to the same
evidence: the same id first, then the exact quote, then fuzzy matching weighted by quote,
prefix, suffix and position. A decision that cannot be placed is an orphan: kept in its file,
counted and listed, never dropped. Lines are only ever appended; a corrupt line is reported
with its file and line number and left as it is.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.errors import ClaimtraceError
from pipeline.ingest.parse import normalise
from pipeline.records import Claim, DocumentResult, Mention

CONTEXT = 32
ACTIONS = {"accept", "reject", "edit", "add", "link", "revert"}
EDITABLE = ("speaker", "reported_by", "date", "source", "text", "confirmation", "stance")
STATUS = {"accept": "accepted", "reject": "rejected", "edit": "edited", "add": "accepted"}


class CurationError(ClaimtraceError):
    pass


class SavedNotApplied(CurationError):
    """The decision is in the annotations folder but the database could not take it yet."""


@dataclass(frozen=True)
class Decision:
    id: str
    doc_id: str
    action: str
    target: str  # claim | mention
    claim_id: str | None
    exact: str
    prefix: str
    suffix: str
    start: int  # position selector: offsets in the document's extracted text
    end: int
    fields: dict = field(default_factory=dict, hash=False, compare=False)
    reverts: str | None = None
    decided_at: str = ""
    file: str = ""
    line: int = 0
    #: the claim's values just before this decision, so that `claimtrace undo` can restore them
    before: dict = field(default_factory=dict, hash=False, compare=False)
    reviewer: str | None = None  # who decided (--reviewer, git config user.name, or the login name)

    def to_json(self) -> dict:
        out = {
            "id": self.id, "doc_id": self.doc_id, "action": self.action, "target": self.target,
            "claim_id": self.claim_id, "fields": self.fields, "reverts": self.reverts,
            "selector": {"exact": self.exact, "prefix": self.prefix, "suffix": self.suffix,
                         "start": self.start, "end": self.end},
            "decided_at": self.decided_at,
        }
        if self.before:
            out["before"] = self.before
        if self.reviewer:
            out["reviewer"] = self.reviewer
        return out


@dataclass
class Problem:
    file: str
    line: int
    message: str


@dataclass
class Orphan:
    decision: Decision
    reason: str


def decisions_dir(annotations: Path) -> Path:
    return annotations / "decisions"


#: the type each member of a decision line must have (None allowed for all but action)
LINE_TYPES = {"id": str, "doc_id": str, "action": str, "target": str, "claim_id": str, "selector": dict,
              "fields": dict, "reverts": str, "decided_at": str, "before": dict, "reviewer": str}
SELECTOR_TYPES = {"exact": str, "prefix": str, "suffix": str, "start": int, "end": int}


def _check_shape(raw: dict) -> None:
    """A decision line of valid JSON but the wrong shape is that line's problem, never a crash."""
    for name, kind in LINE_TYPES.items():
        value = raw.get(name)
        if value is not None and not isinstance(value, kind):
            raise ValueError(f"{name} must be a {kind.__name__}, not {type(value).__name__}")
    for name, kind in SELECTOR_TYPES.items():
        value = (raw.get("selector") or {}).get(name)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise ValueError(f"selector.{name} must be a {kind.__name__}, not {type(value).__name__}")
    for name, value in (raw.get("fields") or {}).items():
        if value is not None and not isinstance(value, (str, int, float)):
            raise ValueError(f"fields.{name} must be text, not {type(value).__name__}")
    if raw.get("target") not in (None, "claim", "mention"):
        raise ValueError(f"target {raw.get('target')!r} is not claim or mention")


def _parse(raw: dict, file: str, line: int) -> Decision:
    _check_shape(raw)
    action = raw.get("action")
    if action not in ACTIONS:
        raise ValueError(f"action {action!r} is not one of {', '.join(sorted(ACTIONS))}")
    sel = raw.get("selector") or {}
    if action != "revert" and not isinstance(sel.get("exact"), str):
        raise ValueError("selector.exact (the quoted evidence) is missing")
    fields = raw.get("fields") or {}
    unknown = set(fields) - set(EDITABLE) - {"speaker_id", "actor_id", "actor", "country"} - set(EVIDENCE)
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE)}")
    if "evidence" in fields and (action != "edit" or not isinstance(fields["evidence"], str)
                                 or not all(isinstance(fields.get(k, 0), int) for k in EVIDENCE[3:])):
        raise ValueError("fields.evidence (a claim's new words) goes with an edit, as text, with integer positions")
    return Decision(
        id=str(raw.get("id") or ""), doc_id=str(raw.get("doc_id") or ""), action=action,
        target=raw.get("target", "claim"), claim_id=raw.get("claim_id"), exact=sel.get("exact", ""),
        prefix=sel.get("prefix", ""), suffix=sel.get("suffix", ""), start=int(sel.get("start", 0)),
        end=int(sel.get("end", 0)), fields=fields, reverts=raw.get("reverts"),
        decided_at=raw.get("decided_at", ""), file=file, line=line,
        before=raw.get("before") if isinstance(raw.get("before"), dict) else {},
        reviewer=str(raw["reviewer"]) if raw.get("reviewer") else None,
    )


def load_decisions(annotations: Path) -> tuple[list[Decision], list[Problem]]:
    """Every decision in the folder, in file and line order; bad lines become Problems."""
    folder = decisions_dir(annotations)
    decisions: list[Decision] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return decisions, problems
    for path in sorted(folder.glob("*.jsonl")):
        try:
            lines = path.read_bytes().split(b"\n")
        except OSError as exc:
            problems.append(Problem(str(path), 0, f"cannot be read ({exc.strerror}); the file is left as it is"))
            continue
        for n, data in enumerate(lines, 1):
            if not data.strip():
                continue
            try:  # a bad byte loses its own line only
                text = data.decode("utf-8-sig" if n == 1 else "utf-8")  # a byte-order mark costs nothing
                raw = json.loads(text)
                if not isinstance(raw, dict):
                    raise ValueError("not a JSON object")
                d = _parse(raw, str(path), n)
                if not d.doc_id:
                    d = replace(d, doc_id=path.stem)
                decisions.append(d)
            except (ValueError, TypeError) as exc:
                problems.append(Problem(str(path), n, f"{exc}; the line is kept as it is and skipped"))
    return decisions, problems


def _write_whole(fd: int, data: bytes, size: int) -> None:
    """Write every byte (a write may take only part of it) and fsync; on any failure cut the file
    back to `size`, so that a decision is either whole on disk or not there at all."""
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            if written <= 0:
                raise OSError(28, "No space left on device")
            view = view[written:]
        os.fsync(fd)
    except OSError:
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        except OSError:
            pass
        raise


def append_decision(annotations: Path, decision: Decision) -> Path:
    """Append one decision to its document's file: the whole line (O_APPEND) under an exclusive lock
    on the file, then fsync, so that concurrent writers never drop each other's lines; a write that
    fails part-way (a full disk) is cut back, and the decision is reported as not saved."""
    folder = decisions_dir(annotations)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # "decisions" is a file, or the folder cannot be made
        raise CurationError(f"{folder}: cannot hold decisions ({exc.strerror or exc}); it must be a folder; "
                            "nothing was saved") from None
    path = folder / f"{decision.doc_id}.jsonl"
    line = (json.dumps(decision.to_json(), ensure_ascii=False) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CurationError(f"{path}: cannot write the decision ({exc.strerror}); nothing was saved") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size:
            with open(path, "rb") as f:  # a file whose last line lacks its newline: close that line first
                f.seek(size - 1)
                if f.read(1) != b"\n":
                    line = b"\n" + line
        _write_whole(fd, line, size)
    except OSError as exc:
        raise CurationError(f"{path}: cannot write the decision ({exc.strerror}); nothing was saved; "
                            "check the disk and run again") from None
    finally:
        os.close(fd)  # closing releases the lock
    return path


def new_decision(doc_id: str, action: str, target: str, claim_id: str | None, doc_text: str,
                 start: int, end: int, fields: dict | None = None, reverts: str | None = None,
                 before: dict | None = None, reviewer: str | None = None) -> Decision:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    key = f"{doc_id}|{action}|{claim_id}|{start}|{end}|{now}|{os.getpid()}|{json.dumps(fields or {}, sort_keys=True)}"
    return Decision(
        id="d" + hashlib.sha1(key.encode()).hexdigest()[:15], doc_id=doc_id, action=action, target=target,
        claim_id=claim_id, exact=doc_text[start:end], prefix=doc_text[max(0, start - CONTEXT):start],
        suffix=doc_text[end:end + CONTEXT], start=start, end=end, fields=dict(fields or {}),
        reverts=reverts, decided_at=now, before=dict(before or {}), reviewer=reviewer,
    )


# --- re-anchoring --------------------------------------------------------------------------------

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
        for t in exact or self.targets:
            quote = fuzz.ratio(self.norm[t.key], exact_quote)
            if not exact and quote < 80:
                continue
            prefix = fuzz.ratio(normalise(text[max(0, t.start - CONTEXT):t.start]), normalise(d.prefix)) if d.prefix else 100
            suffix = fuzz.ratio(normalise(text[t.end:t.end + CONTEXT]), normalise(d.suffix)) if d.suffix else 100
            distance = abs(t.start - d.start) / max(len(text), 1)
            score = 0.6 * quote + 0.15 * prefix + 0.15 * suffix + 10 * (1 - distance)
            if score > best_score:
                best, best_score = t, score
        if best is not None and best_score >= 75:
            return best, f"fuzzy match ({best_score:.0f})"
        return None, "the quoted evidence is no longer in the document"


def _locate(d: Decision, targets: list[Target], text: str) -> tuple[Target | None, str]:
    return TargetIndex(targets, text).locate(d)


def _span_in_text(d: Decision, text: str) -> tuple[int, int] | None:
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
EVIDENCE = ("evidence", "evidence_prefix", "evidence_suffix", "evidence_start", "evidence_end")


def moved_evidence(c: Claim, d: Decision, r: DocumentResult) -> Claim | None:
    """The claim with the evidence an edit moved it to, found again in the document as it is now
    (exact, nearest the recorded position, else a fuzzy alignment); None when it is gone."""
    f = d.fields
    where = replace(d, exact=f["evidence"], prefix=f.get("evidence_prefix", ""), suffix=f.get("evidence_suffix", ""),
                    start=f.get("evidence_start", 0), end=f.get("evidence_end", 0))
    span = _span_in_text(where, r.text)
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
        cue="added by a reviewer", status="accepted", reviewer=reviewer, language=language, origin="reviewer",
    )


def apply(results: list[DocumentResult], annotations: Path) -> Applied:
    decisions, problems = load_decisions(annotations)
    reverted = {d.reverts for d in decisions if d.action == "revert"}
    by_doc: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.action != "revert" and d.id not in reverted:
            by_doc.setdefault(d.doc_id, []).append(d)
    orphans: list[Orphan] = []
    claims: list[Claim] = []
    mentions: dict[str, list[Mention]] = {}
    known = {r.spec.id for r in results}
    for doc_id, ds in by_doc.items():
        if doc_id not in known:
            orphans.extend(Orphan(d, f"document {doc_id!r} is not in this corpus (or failed)") for d in ds)
    for r in results:
        para_start = {p.id: p.start for p in r.paragraphs}
        doc_claims = list(r.claims)
        doc_mentions = list(r.mentions)
        mention_index = claim_index = None  # built at the first decision that needs one
        position = {c.id: n for n, c in enumerate(doc_claims)}
        for d in by_doc.get(r.spec.id, []):
            if d.target == "mention":
                if mention_index is None:
                    mention_index = TargetIndex(
                        [Target(str(i), para_start[m.paragraph_id] + m.start, para_start[m.paragraph_id] + m.end)
                         for i, m in enumerate(doc_mentions)], r.text)
                t, why = mention_index.locate(replace(d, claim_id=None))
                if t is None:
                    orphans.append(Orphan(d, why))
                    continue
                i = int(t.key)
                f = d.fields
                doc_mentions[i] = replace(doc_mentions[i], actor_id=f.get("actor_id"), actor=f.get("actor"),
                                          country=f.get("country"), reason=f"curated ({d.file}:{d.line})")
                continue
            if d.action == "add":
                span = _span_in_text(d, r.text)
                para = next((p for p in r.paragraphs if span and p.start <= span[0] and span[1] <= p.end), None)
                if para is None:
                    orphans.append(Orphan(d, "the quoted evidence of the added claim is no longer in the document"))
                    continue
                added = added_claim(r.spec.id, para.id, para.text, span[0] - para.start, span[1] - para.start,
                                    d.fields, d.reviewer, r.language.value if r.language else None)
                if claim_index is not None:
                    claim_index.add(Target(added.id, para.start + added.start, para.start + added.end))
                position[added.id] = len(doc_claims)
                doc_claims.append(added)
                continue
            if claim_index is None:
                claim_index = TargetIndex([Target(c.id, para_start[c.paragraph_id] + c.start,
                                                  para_start[c.paragraph_id] + c.end) for c in doc_claims], r.text)
            t, why = claim_index.locate(d)
            if t is None:
                orphans.append(Orphan(d, why))
                continue
            i = position[t.key]
            c = doc_claims[i]
            if d.action == "edit" and "evidence" in d.fields:
                moved = moved_evidence(c, d, r)
                if moved is None:
                    orphans.append(Orphan(d, "the claim's new evidence is no longer in the document"))
                    continue
                c = moved
            if d.action == "edit":
                c = replace(c, **with_basis({k: v for k, v in d.fields.items() if k in EDITABLE or k == "speaker_id"}))
            doc_claims[i] = replace(c, status=STATUS[d.action] if not (d.action == "accept" and c.status == "edited")
                                    else c.status, reviewer=d.reviewer)
        claims.extend(doc_claims)
        mentions[r.spec.id] = doc_mentions
    return Applied(claims, mentions, orphans, problems)


def reviewer_name(given: str | None = None) -> str:
    """Who is deciding: the name given, else `git config user.name`, else the login name."""
    if given and given.strip():
        return given.strip()
    import getpass
    import subprocess

    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Conflict:
    claim_id: str
    doc_id: str
    decisions: list[Decision]  # in the order they were made; the last one is applied


def _outcome(d: Decision) -> tuple:
    return d.action, json.dumps({k: v for k, v in d.fields.items() if k != "speaker_id"}, sort_keys=True)


def conflicts(annotations: Path) -> list[Conflict]:
    """Claims on which two reviewers' decisions in force differ (the later one is applied)."""
    decisions, _ = load_decisions(annotations)
    reverted = {d.reverts for d in decisions if d.action == "revert"}
    by_claim: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.target == "claim" and d.claim_id and d.action != "revert" and d.id not in reverted:
            by_claim.setdefault(d.claim_id, []).append(d)
    found = []
    for claim, ds in by_claim.items():
        ds.sort(key=lambda d: d.decided_at)
        latest: dict[str | None, Decision] = {}
        for d in ds:
            latest[d.reviewer] = d
        if len(latest) > 1 and len({_outcome(d) for d in latest.values()}) > 1:
            found.append(Conflict(claim, ds[0].doc_id, sorted(latest.values(), key=lambda d: d.decided_at)))
    return sorted(found, key=lambda c: (c.doc_id, c.claim_id))
