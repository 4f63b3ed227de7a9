"""The keyboard-driven review loop: one claim at a time, each decision saved the moment it is made."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path

from . import store
from .curation import EDITABLE, CurationError
from .decide import decide, revert

KEYS = "(a)ccept  (r)eject  (e)dit  (s)kip  (u)ndo  (q)uit"
HL_ON, HL_OFF = "\x1b[7m", "\x1b[0m"
STATE_FILE = "review-state.json"


def queue(db: Path, doc: str | None, side: str | None, status: str) -> list[tuple[str, list]]:
    """(claim id, reading-order key) of the claims to review, in reading order."""
    sql = ("SELECT c.id, d.rowid, p.seq, c.start FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id JOIN documents d ON d.id = c.doc_id "
           "WHERE c.status = :status AND (:doc IS NULL OR c.doc_id = :doc) AND (:side IS NULL OR c.reported_by = :side) "
           "ORDER BY d.rowid, p.seq, c.start")
    conn = store.open_existing(db)
    try:
        return [(r[0], list(r[1:])) for r in conn.execute(sql, {"status": status, "doc": doc, "side": side})]
    finally:
        conn.close()


def read_key(stream) -> str:
    """One key press without Enter on a terminal; a line's first character otherwise."""
    if stream.isatty():
        import termios
        import tty

        fd = stream.fileno()
        old = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            return stream.read(1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
    line = stream.readline()
    return line[:1] if line else "q"


def show(row: dict, n: int, total: int, out) -> None:
    text = row["p_text"]
    s, e = row["start"], row["end"]
    out.write("\x1b[2J\x1b[H" if out.isatty() else "\n")
    out.write(f"claimtrace review  {n} / {total}    {KEYS}\n")
    out.write(f"document {row['doc_id']}, paragraph {row['p_seq']}, section {row['section'] or '-'}\n\n")
    width = max(40, min(shutil.get_terminal_size((100, 30)).columns, 120) - 2)
    marked = text[:s] + "\x01" + text[s:e] + "\x02" + text[e:]  # markers survive wrapping as one character
    wrapped = "\n".join(textwrap.wrap(marked, width))
    out.write(wrapped.replace("\x01", HL_ON).replace("\x02", HL_OFF) + "\n\n")
    for field in ("id", *EDITABLE, "event_id", "status"):
        value = "" if row.get(field) is None else str(row.get(field))
        lines = textwrap.wrap(value, width - 16) or [""]
        out.write(f"  {field:<13} " + ("\n" + " " * 16).join(lines) + "\n")
    out.write("\n> ")
    out.flush()


def run(db: Path, annotations: Path, doc: str | None = None, side: str | None = None, status: str = "proposed",
        inp=None, out=None) -> int:
    inp, out = inp or sys.stdin, out or sys.stdout
    items = queue(db, doc, side, status)
    if not items:
        out.write("nothing to review with these filters\n")
        return 0
    ids = [i for i, _ in items]
    keys = {i: k for i, k in items}
    state_path = db.with_name(f"{db.stem}.{STATE_FILE}")  # session state: beside the database, not a curation input
    start = 0
    try:
        last_key = json.loads(state_path.read_text(encoding="utf-8")).get("key")
        start = next((n for n, (_, k) in enumerate(items) if k > last_key), 0) if last_key else 0
    except (OSError, ValueError, TypeError):
        pass
    order = ids[start:] + ids[:start]
    history: list[tuple] = []  # (decision, previous values) for undo
    i = 0
    decided = 0
    while i < len(order):
        row = store.claim_context(db, order[i])
        show(row, (start + i) % len(ids) + 1, len(ids), out)
        key = read_key(inp).lower()
        previous = {f: row[f] for f in (*EDITABLE, "speaker_id", "status")}
        try:
            if key == "q":
                break
            if key in ("a", "r"):
                history.append((decide(db, annotations, row["id"], "accept" if key == "a" else "reject"), previous, i))
                decided += 1
            elif key == "e":
                out.write(f"\nfield ({', '.join(EDITABLE)}): ")
                out.flush()
                field = inp.readline().strip()
                out.write("new value (empty for null): ")
                out.flush()
                value = inp.readline().rstrip("\n")
                if field == "speaker" and value and not known_person(annotations, value):
                    if not offer_gazetteer_entry(annotations, value, inp, out):
                        continue
                history.append((decide(db, annotations, row["id"], "edit", {field: value}), previous, i))
                decided += 1
            elif key == "u":
                if not history:
                    out.write("\nnothing to undo\n")
                    continue
                decision, prev, at = history.pop()
                revert(db, annotations, decision, prev)
                decided -= 1
                i = at
                continue
            elif key != "s":
                out.write(f"\nunknown key {key!r}; {KEYS}\n")
                continue
        except CurationError as exc:
            out.write(f"\nError: {exc}\n")
            continue
        state_path.write_text(json.dumps({"last": order[i], "key": keys[order[i]]}), encoding="utf-8")
        i += 1
    out.write(f"\n{decided} decision(s) saved in {annotations / 'decisions'}; run `claimtrace review` to go on.\n")
    return 0


def known_person(annotations: Path, name: str) -> bool:
    from .knowledge import load_knowledge

    return load_knowledge(annotations).find_person(name) is not None


def offer_gazetteer_entry(annotations: Path, name: str, inp, out) -> bool:
    """A speaker the gazetteer lacks: add the person to <annotations>/gazetteer.toml on the spot."""
    import re

    from .decide import add_actor

    out.write(f"{name!r} is not in the gazetteer. Country code to add this person (empty to cancel): ")
    out.flush()
    country = inp.readline().strip().upper()
    if not country:
        out.write("not added\n")
        return False
    actor_id = f"{country.lower()}-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    path = add_actor(annotations, actor_id, name, "person", country, [], [])
    out.write(f"added {actor_id} to {path}\n")
    return True


def list_orphans(db: Path, out=None) -> int:
    out = out or sys.stdout
    conn = store.open_existing(db)
    try:
        rows = conn.execute("SELECT file, line, action, doc_id, claim_id, quote, reason FROM orphans ORDER BY file, line").fetchall()
    finally:
        conn.close()
    if not rows:
        out.write("no orphaned decisions\n")
        return 0
    for file, line, action, doc_id, claim_id, quote, reason in rows:
        out.write(f"{file}:{line}: {action} {claim_id or '(added claim)'} in {doc_id}: {reason}\n    quote: {quote!r}\n")
    out.write(f"{len(rows)} orphaned decision(s): kept in their files; fix the quote there or decide again.\n")
    return 0
