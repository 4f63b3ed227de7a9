"""Recording one human decision: validate it, append it to the annotations, update the database."""

from __future__ import annotations

import re
from pathlib import Path

from . import store
from .curation import EDITABLE, STATUS, CurationError, Decision, append_decision, new_decision
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
            knowledge = load_knowledge(annotations)
            match = next((a for a in knowledge.actors.values() if a.type == "person" and any(
                n.lower() == value.lower() for n in (a.id, *a.names))), None)
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
    append_decision(annotations, decision)
    store.update_claim(db, claim_id, {**fields, "status": STATUS[action]})
    return decision


def revert(db: Path, annotations: Path, decision: Decision, previous: dict) -> None:
    """Take a decision back: a 'revert' line is appended (nothing is deleted) and the row restored."""
    row = store.claim_context(db, decision.claim_id)
    undo = new_decision(decision.doc_id, "revert", "claim", decision.claim_id, row["doc_text"],
                        decision.start, decision.end, reverts=decision.id)
    append_decision(annotations, undo)
    store.update_claim(db, decision.claim_id, previous)
