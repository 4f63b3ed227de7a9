"""Recording one human decision: validate it, append it to the annotations, update the database."""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import store
from .atomic import exclusive, write_atomic
from .curation import (
    EDITABLE,
    STATUS,
    CurationError,
    Decision,
    SavedNotApplied,
    append_decision,
    new_decision,
)
from .errors import DatabaseBusy
from .knowledge import load_knowledge

ENUMS = {
    "confirmation": ("confirmed", "unconfirmed", "contradicted"),
    "stance": ("supports", "neutral", "opposes"),
}
DATE_RE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")


def parse_sets(pairs: list[str]) -> dict:
    fields = {}
    for pair in pairs:
        if "=" not in pair:
            raise CurationError(f"--set {pair!r}: write FIELD=VALUE, e.g. --set reported_by=UZ")
        key, value = pair.split("=", 1)
        fields[key.strip()] = value.strip()
    return fields


def validate(fields: dict, annotations: Path) -> dict:
    """Check edited values and normalise them; an empty value means null."""
    out = {}
    for key, value in fields.items():
        if key not in EDITABLE:
            raise CurationError(f"{key!r} cannot be edited; editable fields: {', '.join(EDITABLE)}")
        value = value or None
        if value is None:
            out[key] = None
            if key == "speaker":
                out["speaker_id"] = None
            continue
        if key == "reported_by" and not (re.fullmatch(r"[A-Z]{2}", value) or value == "author"):
            raise CurationError(f"reported_by={value!r}: use an ISO 3166-1 alpha-2 code (RU, UZ, ...) or 'author'")
        if key == "date" and not DATE_RE.match(value):
            raise CurationError(f"date={value!r}: use YYYY-MM-DD or YYYY-MM")
        if key in ENUMS and value not in ENUMS[key]:
            raise CurationError(f"{key}={value!r}: use one of {', '.join(ENUMS[key])} (or leave empty for null)")
        if key == "speaker":
            match = load_knowledge(annotations).find_person(value)
            if match is None:
                raise CurationError(
                    f"speaker={value!r} is not in the gazetteer; add the person first with "
                    f"`claimtrace actor add --id ID --name {value!r} --country XX`, or use a known name"
                )
            out["speaker"], out["speaker_id"] = match.name, match.id
            continue
        out[key] = value
    return out


def decide(db: Path, annotations: Path, claim_id: str, action: str, fields: dict | None = None) -> Decision:
    row = store.claim_context(db, claim_id)
    fields = validate(fields or {}, annotations) if action == "edit" else {}
    if action == "edit" and not fields:
        raise CurationError("edit needs at least one --set FIELD=VALUE")
    start = row["p_start"] + row["start"]
    decision = new_decision(row["doc_id"], action, "claim", claim_id, row["doc_text"], start,
                            row["p_start"] + row["end"], fields)
    saved = append_decision(annotations, decision)
    try:
        store.update_row(db, "claims", claim_id, {**fields, "status": STATUS[action]})
    except DatabaseBusy as exc:
        raise SavedNotApplied(f"the decision is saved in {saved}, but the database is busy ({exc}); the next "
                              "`claimtrace extract` applies it, so do not repeat it") from None
    return decision


def revert(db: Path, annotations: Path, decision: Decision, previous: dict) -> None:
    """Take a decision back: a 'revert' line is appended (nothing is deleted) and the row restored."""
    row = store.claim_context(db, decision.claim_id)
    undo = new_decision(decision.doc_id, "revert", "claim", decision.claim_id, row["doc_text"],
                        decision.start, decision.end, reverts=decision.id)
    append_decision(annotations, undo)
    store.update_row(db, "claims", decision.claim_id, previous)


def link_mention(db: Path, annotations: Path, mention_id: str, actor_id: str) -> Decision:
    """Correct the actor a mention is linked to; the correction is re-anchored like a claim decision."""
    knowledge = load_knowledge(annotations)
    actor = knowledge.actors.get(actor_id)
    if actor is None:
        raise CurationError(f"no actor {actor_id!r} in the gazetteer; add it with `claimtrace actor add` first")
    conn = store.open_existing(db)
    try:
        row = conn.execute(
            'SELECT m.doc_id, p.start + m.start, p.start + m."end", d.text FROM mentions m '
            "JOIN paragraphs p ON p.id = m.paragraph_id JOIN documents d ON d.id = m.doc_id WHERE m.id = ?",
            [mention_id]).fetchone()
    finally:
        conn.close()
    if row is None:
        raise CurationError(f"no mention {mention_id!r}; list ids with `claimtrace query \"SELECT id, text FROM mentions\"`")
    doc_id, start, end, text = row
    fields = {"actor_id": actor.id, "actor": actor.name, "country": actor.country}
    decision = new_decision(doc_id, "link", "mention", None, text, start, end, fields)
    append_decision(annotations, decision)
    store.update_row(db, "mentions", mention_id, {**fields, "reason": "curated"})
    return decision


def add_actor(annotations: Path, actor_id: str, name: str, type_: str, country: str | None,
              aliases: list[str], roles: list[str]) -> Path:
    """Append an actor to <annotations>/gazetteer.toml (written atomically); the file is read on the next extract."""
    from .knowledge import ACTOR_TYPES

    if not re.fullmatch(r"[a-z0-9-]+", actor_id):
        raise CurationError(f"--id {actor_id!r}: use lower-case letters, digits and '-'")
    if type_ not in ACTOR_TYPES:
        raise CurationError(f"--type {type_!r}: use one of {', '.join(sorted(ACTOR_TYPES))}")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise CurationError(f"--country {country!r}: use an ISO 3166-1 alpha-2 code")
    if actor_id in load_knowledge(annotations).actors:
        raise CurationError(f"actor {actor_id!r} exists already; choose another id")
    lines = ["", "[[actor]]", f"id = {json.dumps(actor_id)}", f"name = {json.dumps(name)}", f"type = {json.dumps(type_)}"]
    if country:
        lines.append(f"country = {json.dumps(country)}")
    if aliases:
        lines.append("aliases = [" + ", ".join(json.dumps(a, ensure_ascii=False) for a in aliases) + "]")
    if roles:
        parsed = []
        for r in roles:
            parts = r.split(":")
            if len(parts) not in (2, 3) or not all(DATE_RE.match(p) for p in parts[1:] if p):
                raise CurationError(f"--role {r!r}: write ROLE:FROM[:TO], e.g. president:2021-01-28")
            entry = f'{{ role = {json.dumps(parts[0])}, from = {json.dumps(parts[1])}'
            entry += f", to = {json.dumps(parts[2])} }}" if len(parts) == 3 and parts[2] else " }"
            parsed.append(entry)
        lines.append("roles = [" + ", ".join(parsed) + "]")
    lines.append('source = "added during review"')
    path = annotations / "gazetteer.toml"
    try:
        with exclusive(path):  # two reviewers adding actors at once keep both
            old = path.read_text(encoding="utf-8") if path.exists() else "# Gazetteer additions made during review.\n"
            write_atomic(path, old.rstrip("\n") + "\n" + "\n".join(lines) + "\n")
    except OSError as exc:
        raise CurationError(f"{path}: cannot write the addition ({exc.strerror}); nothing was saved") from None
    return path
