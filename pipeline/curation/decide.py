"""Recording one human decision: validate it, append it to the annotations, update the database."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from pathlib import Path

from pipeline import store
from pipeline.atomic import exclusive, write_atomic
from pipeline.curation import (
    EDITABLE,
    added_claim,
    STATUS,
    CurationError,
    Decision,
    SavedNotApplied,
    append_decision,
    load_decisions,
    new_decision,
    reviewer_name,
    with_basis,
)
from pipeline.errors import DatabaseBusy
from pipeline.knowledge import load_knowledge
from pipeline.store.rows import claim_row

ENUMS = {
    "confirmation": ("confirmed", "unconfirmed", "contradicted"),
    "stance": ("supports", "neutral", "opposes"),
    "citation_status": ("supported", "partial", "not_found", "differs", "unavailable"),
}
DOC_ID_RE = re.compile(r"^[a-z0-9-]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
ALLOWED = {
    "speaker": "a name the gazetteer knows (full name, alias, id or a unique surname)",
    "reported_by": "an ISO 3166-1 alpha-2 code (RU, UZ, ...) or author",
    "date": "YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)",
    "source": "free text (the channel, e.g. Kremlin press service)",
    "text": "free text (the claim in plain words)",
    "confirmation": ", ".join(ENUMS["confirmation"]),
    "stance": ", ".join(ENUMS["stance"]),
    "cites_doc": "the id of a document of the corpus (claimtrace export documents)",
    "citation_status": ", ".join(ENUMS["citation_status"]),
}
#: what a decision records as the claim's values before it, for undo
BEFORE = (*EDITABLE, "speaker_id", "status", "reviewer")


def parse_sets(pairs: list[str]) -> dict:
    fields = {}
    for pair in pairs:
        if "=" not in pair:
            raise CurationError(f"--set {pair!r}: write FIELD=VALUE, e.g. --set reported_by=UZ")
        key, value = pair.split("=", 1)
        fields[key.strip()] = value.strip()
    return fields


def _given(name: str, value: str) -> str:
    """How a message names what was given: a field as `date='x'`, a command-line option as `--since 'x'`."""
    return f"{name} {value!r}" if name.startswith("--") else f"{name}={value!r}"


def check_date(value: str, field_name: str = "date") -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day or month (2022-02-30 is refused)."""
    parts = value.split("-")
    ok = re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value) is not None
    if ok:
        try:
            dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
        except ValueError:
            ok = False
    if not ok:
        raise CurationError(f"{_given(field_name, value)} is not a calendar date; use {ALLOWED['date']}")
    return value


def check_side(value: str, field_name: str = "reported_by") -> str:
    """A side (pipeline/sides.py: an ISO 3166-1 alpha-2 code in any case, EU, UN, NATO, CSTO) or 'author'."""
    from pipeline.sides import side_code

    if value.lower() == "author" and field_name == "reported_by":
        return "author"
    try:
        return side_code(value)
    except ValueError as exc:
        extra = " or author" if field_name == "reported_by" else ""
        raise CurationError(f"{_given(field_name, value)} {exc}{extra}") from None


def check_speaker(value: str, annotations: Path) -> tuple[str, str]:
    """(name, actor id) of the one person the gazetteer knows by this name form."""
    found = load_knowledge(annotations).person_candidates(value)
    if len(found) > 1:
        listed = "; ".join(f"{a.name} ({a.id})" for a in found[:8])
        raise CurationError(f"speaker={value!r} could be several people: {listed}; give the full name or the id")
    if not found:
        raise CurationError(
            f"speaker={value!r} is not in the gazetteer; add the person first with "
            f"`claimtrace actor add --id ID --name {value!r} --country XX`, or use a known name"
        )
    return found[0].name, found[0].id


def validate(fields: dict, annotations: Path) -> dict:
    """Check edited values where they enter and normalise them; an empty value means null."""
    out = {}
    for key, value in fields.items():
        if key not in EDITABLE:
            close = difflib.get_close_matches(key, EDITABLE, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise CurationError(f"{key!r} cannot be edited; {hint}editable fields: {', '.join(EDITABLE)}")
        value = (value or "").strip() or None
        if value is None:
            out[key] = None
            if key == "speaker":
                out["speaker_id"] = None
        elif key == "reported_by":
            out[key] = check_side(value)
        elif key == "date":
            out[key] = check_date(value)
        elif key in ENUMS:
            if value.lower() not in ENUMS[key]:
                raise CurationError(f"{key}={value!r}: use one of {ALLOWED[key]} (or leave empty for null)")
            out[key] = value.lower()
        elif key == "speaker":
            out["speaker"], out["speaker_id"] = check_speaker(value, annotations)
        elif key == "cites_doc" and not DOC_ID_RE.match(value):
            raise CurationError(f"cites_doc={value!r}: use {ALLOWED[key]}")
        else:
            out[key] = value
    return out


def _check_cited(db: Path, fields: dict) -> None:
    """A citation set by hand names a document of this corpus."""
    if fields.get("cites_doc"):
        conn = store.open_existing(db)
        try:
            known = conn.execute("SELECT 1 FROM documents WHERE id = ?", [fields["cites_doc"]]).fetchone()
        finally:
            conn.close()
        if not known:
            raise CurationError(f"cites_doc={fields['cites_doc']!r}: no such document in {db}; list them with "
                                "`claimtrace export documents`")


def decide(db: Path, annotations: Path, claim_id: str, action: str, fields: dict | None = None,
           reviewer: str | None = None, evidence: str | None = None, nth: int | None = None,
           at: int | None = None) -> Decision:
    if action != "edit" and (fields or evidence):
        raise CurationError(f"{'--set' if fields else '--evidence'} goes with edit only; {action} takes no values "
                            f"(to change a value: `claimtrace decide {claim_id} edit --set FIELD=VALUE`)")
    fields = validate(fields or {}, annotations) if action == "edit" else {}
    _check_cited(db, fields)
    if action == "edit" and not fields and evidence is None:
        raise CurationError("edit needs at least one --set FIELD=VALUE or --evidence \"exact words\"")
    row = store.claim_context(db, claim_id)
    start = row["p_start"] + row["start"]
    moved = _new_evidence(db, row, evidence, nth, at) if evidence is not None else {}
    decision = new_decision(row["doc_id"], action, "claim", claim_id, row["doc_text"], start,
                            row["p_start"] + row["end"], {**fields, **moved.get("fields", {})},
                            before={f: row[f] for f in (*BEFORE, *moved.get("row", {}))},
                            reviewer=reviewer_name(reviewer))
    saved = append_decision(annotations, decision)
    try:
        # accepting an edited claim keeps it "edited", as the next extract's re-application does
        status = "edited" if action == "accept" and row["status"] == "edited" else STATUS[action]
        store.update_row(db, "claims", claim_id, {**with_basis(fields), **moved.get("row", {}), "status": status,
                                                  "reviewer": decision.reviewer})
    except DatabaseBusy as exc:
        raise SavedNotApplied(f"the decision is saved in {saved}, but the database is busy ({exc}); the next "
                              "`claimtrace extract` applies it, so do not repeat it") from None
    return decision


def _new_evidence(db: Path, row: dict, evidence: str, nth: int | None, at: int | None = None) -> dict:
    """Where a claim's evidence moves to: the decision's fields (the new words with their context and
    position, re-anchored on every extract) and the row's new span."""
    from pipeline.curation import CONTEXT
    from pipeline.ingest.parse import normalise

    ctx = store.document_context(db, row["doc_id"])
    start, end, para = place(ctx, row["doc_id"], evidence, nth, "--evidence", at)
    text = ctx["text"]
    fields = {"evidence": text[start:end], "evidence_prefix": text[max(0, start - CONTEXT):start],
              "evidence_suffix": text[end:end + CONTEXT], "evidence_start": start, "evidence_end": end}
    s, e = start - para[1], end - para[1]
    return {"fields": fields, "row": {"paragraph_id": para[0], "start": s, "end": e, "quote": para[3][s:e],
                                      "text": normalise(para[3][s:e])}}


def place(ctx: dict, doc_id: str, words: str, nth: int | None, option: str, at: int | None = None
          ) -> tuple[int, int, tuple]:
    """(start, end, paragraph) of a reviewer's words in a document: once, or the --nth occurrence,
    or the one at the offset `at` where they were selected (the browser), inside one paragraph;
    refused with what to do otherwise."""
    words = (words or "").strip()
    if len(words.split()) < 2:
        raise CurationError(f"{option}: give the claim's exact words from the document (two words at least)")
    spans = _occurrences(ctx["text"], words)
    if not spans:
        raise CurationError(f"{option} {words!r} is not in document {doc_id!r}; copy the words exactly as the "
                            f"document has them (its text: `claimtrace query \"SELECT text FROM paragraphs "
                            f"WHERE doc_id = '{doc_id}'\"`)")
    if at is not None and spans:
        nth = min(range(len(spans)), key=lambda n: abs(spans[n][0] - at)) + 1  # where they were selected
    if nth is not None and not 1 <= nth <= len(spans):
        raise CurationError(f"--nth {nth}: the words occur {len(spans)} time(s) in {doc_id!r}")
    if len(spans) > 1 and nth is None:
        shown = "\n".join(f"  --nth {n}: …{ctx['text'][max(0, s - 40):s]}[{ctx['text'][s:e]}]{ctx['text'][e:e + 40]}…"
                          for n, (s, e) in enumerate(spans[:10], 1))
        raise CurationError(f"{option} occurs {len(spans)} times in {doc_id!r}; say which with --nth:\n{shown}")
    start, end = spans[(nth or 1) - 1]
    para = next((p for p in ctx["paragraphs"] if p[1] <= start and end <= p[2]), None)
    if para is None:
        raise CurationError(f"{option} runs over two paragraphs; a claim's evidence lies inside one paragraph")
    return start, end, para


def undo(db: Path, annotations: Path, claim_id: str, reviewer: str | None = None) -> Decision:
    """Take back the latest decision on a claim that is still in force: a revert line is appended
    (nothing is deleted) and the claim's values from just before that decision are restored."""
    decisions, _ = load_decisions(annotations)
    reverted = {d.reverts for d in decisions if d.action == "revert"}
    live = [d for d in decisions if d.claim_id == claim_id and d.target == "claim"
            and d.action != "revert" and d.id not in reverted]
    if not live:
        raise CurationError(f"no decision on claim {claim_id!r} to undo (in {annotations / 'decisions'})")
    last = max(enumerate(live), key=lambda nd: (nd[1].decided_at, nd[0]))[1]  # the latest; the file order breaks ties
    revert(db, annotations, last, last.before or None, reviewer)
    return last


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Where the quote stands in the text: exactly, else with any run of whitespace for a space."""
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(quote), text)]
    if not found:
        loose = r"\s+".join(re.escape(w) for w in quote.split())
        found = [(m.start(), m.end()) for m in re.finditer(loose, text)]
    return found


def add_claim(db: Path, annotations: Path, doc_id: str, quote: str, fields: dict | None = None,
              nth: int | None = None, reviewer: str | None = None, at: int | None = None) -> tuple[Decision, str]:
    """A claim the machine missed: the reviewer's exact words of one paragraph of the document as its
    evidence, with the values given. Saved as an `add` decision (re-anchored on every extract, undone
    with `undo`) and put into the database at once. (decision, new claim id)"""
    fields = validate(fields or {}, annotations)
    _check_cited(db, fields)
    ctx = store.document_context(db, doc_id)
    start, end, para = place(ctx, doc_id, quote, nth, "--quote", at)
    same = [c for c in ctx["claims"] if c[1] == start and c[2] == end]
    if same:
        raise CurationError(f"claim {same[0][0]} has these words as its evidence already; change it with "
                            f"`claimtrace decide {same[0][0]} edit --set FIELD=VALUE`")
    claim = added_claim(doc_id, para[0], para[3], start - para[1], end - para[1], fields, reviewer_name(reviewer),
                        ctx["language"])
    if any(c[0] == claim.id for c in ctx["claims"]):
        raise CurationError(f"claim {claim.id} has the same words elsewhere in {doc_id!r}; "
                            "give a longer quote that occurs once")
    decision = new_decision(doc_id, "add", "claim", claim.id, ctx["text"], start, end, fields,
                            reviewer=claim.reviewer)
    saved = append_decision(annotations, decision)
    try:
        store.insert_row(db, "claims", claim_row(claim))
    except DatabaseBusy as exc:
        raise SavedNotApplied(f"the added claim is saved in {saved}, but the database is busy ({exc}); the next "
                              "`claimtrace extract` applies it, so do not repeat it") from None
    return decision, claim.id


def revert(db: Path, annotations: Path, decision: Decision, previous: dict | None, reviewer: str | None = None) -> None:
    """Take a decision back: a 'revert' line is appended (nothing is deleted) and the row restored.
    Without the previous values (a decision saved before they were recorded) the database is
    marked as changed, so the next `extract` rebuilds the claim from the decisions."""
    row = store.claim_context(db, decision.claim_id)
    reverting = new_decision(decision.doc_id, "revert", "claim", decision.claim_id, row["doc_text"],
                             decision.start, decision.end, reverts=decision.id, reviewer=reviewer_name(reviewer))
    saved = append_decision(annotations, reverting)
    try:
        if decision.action == "add":
            store.delete_row(db, "claims", decision.claim_id)  # the claim was the reviewer's: it goes
        else:
            store.update_row(db, "claims", decision.claim_id, previous or {})
    except DatabaseBusy as exc:
        raise SavedNotApplied(f"the undo is saved in {saved}, but the database is busy ({exc}); the next "
                              "`claimtrace extract` applies it, so do not repeat it") from None


MENTION_BEFORE = ("actor_id", "actor", "country", "reason")


def _mention(db: Path, mention_id: str) -> dict | None:
    conn = store.open_existing(db)
    try:
        cursor = conn.execute(
            'SELECT m.doc_id, p.start + m.start AS start, p.start + m."end" AS "end", d.text AS doc_text, '
            "m.actor_id, m.actor, m.country, m.reason FROM mentions m "
            "JOIN paragraphs p ON p.id = m.paragraph_id JOIN documents d ON d.id = m.doc_id WHERE m.id = ?",
            [mention_id])
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row)) if row else None
    finally:
        conn.close()


def link_mention(db: Path, annotations: Path, mention_id: str, actor_name: str,
                 reviewer: str | None = None) -> Decision:
    """Correct the actor a mention is linked to, named by any form `decide` takes (id, name, alias, a
    unique surname); the correction is re-anchored like a claim decision and undone with `undo`."""
    found = load_knowledge(annotations).actor_candidates(actor_name)
    if len(found) > 1:
        listed = "; ".join(f"{a.name} ({a.id})" for a in found[:8])
        raise CurationError(f"{actor_name!r} could be several actors: {listed}; give the full name or the id")
    if not found:
        raise CurationError(f"no actor {actor_name!r} in the gazetteer (by id, name, alias or surname); add it with "
                            f"`claimtrace actor add --id ID --name {actor_name!r} --type TYPE` first")
    actor = found[0]
    row = _mention(db, mention_id)
    if row is None:
        raise CurationError(f"no mention {mention_id!r}; list ids with `claimtrace query \"SELECT id, text FROM mentions\"`")
    fields = {"actor_id": actor.id, "actor": actor.name, "country": actor.country}
    decision = new_decision(row["doc_id"], "link", "mention", None, row["doc_text"], row["start"], row["end"], fields,
                            before={k: row[k] for k in MENTION_BEFORE}, reviewer=reviewer_name(reviewer))
    append_decision(annotations, decision)
    store.update_row(db, "mentions", mention_id, {**fields, "reason": "curated"})
    return decision


def undo_link(db: Path, annotations: Path, mention_id: str, reviewer: str | None = None) -> Decision:
    """Take back the latest link still in force on a mention (found by its place in the document):
    a revert line is appended and the link from before it restored."""
    row = _mention(db, mention_id)
    if row is None:
        raise CurationError(f"no mention {mention_id!r}; list ids with `claimtrace query \"SELECT id, text FROM mentions\"`")
    decisions, _ = load_decisions(annotations)
    reverted = {d.reverts for d in decisions if d.action == "revert"}
    live = [d for d in decisions if d.action == "link" and d.doc_id == row["doc_id"] and d.id not in reverted
            and (d.start, d.end) == (row["start"], row["end"])]
    if not live:
        raise CurationError(f"no link decision on mention {mention_id!r} to undo (in {annotations / 'decisions'})")
    last = max(enumerate(live), key=lambda nd: (nd[1].decided_at, nd[0]))[1]
    reverting = new_decision(row["doc_id"], "revert", "mention", None, row["doc_text"], row["start"], row["end"],
                             reverts=last.id, reviewer=reviewer_name(reviewer))
    append_decision(annotations, reverting)
    # without the link from before (a decision saved before it was recorded) the next extract rebuilds it
    store.update_row(db, "mentions", mention_id, {k: last.before.get(k) for k in MENTION_BEFORE} if last.before else {})
    return last


def add_actor(annotations: Path, actor_id: str, name: str, type_: str, country: str | None,
              aliases: list[str], roles: list[str]) -> Path:
    """Append an actor to <annotations>/gazetteer.toml (written atomically); the file is read on the next extract."""
    from pipeline.knowledge import ACTOR_TYPES

    if not re.fullmatch(r"[a-z0-9-]+", actor_id):
        raise CurationError(f"--id {actor_id!r}: use lower-case letters, digits and '-'")
    if type_ not in ACTOR_TYPES:
        raise CurationError(f"--type {type_!r}: use one of {', '.join(sorted(ACTOR_TYPES))}")
    if country:
        country = check_side(country, "--country")
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
