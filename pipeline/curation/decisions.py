"""Decision storage: one JSON Lines file per document in annotations/decisions/, each line a
decision with its quote and position selectors; lines are only appended (whole, or not at all),
read back with a numbered problem for any line that cannot be used; and the conflicts between
reviewers."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import ClaimtraceError

CONTEXT = 32
ACTIONS = {"accept", "reject", "edit", "add", "link", "revert"}
EDITABLE = ("speaker", "reported_by", "date", "source", "text", "confirmation", "stance", "cites_doc",
            "citation_status")
STATUS = {"accept": "accepted", "reject": "rejected", "edit": "edited", "add": "accepted"}
EVIDENCE = ("evidence", "evidence_prefix", "evidence_suffix", "evidence_start", "evidence_end")


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
