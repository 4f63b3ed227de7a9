"""The keyboard-driven review loop: one claim at a time, each decision saved the moment it is made."""

from __future__ import annotations

import difflib
import json
import shutil
import sys
import textwrap
from pathlib import Path

from pipeline import store
from pipeline.curation import EDITABLE, CurationError
from pipeline.curation.decide import decide, revert

KEYS = "(a)ccept (r)eject (e)dit (n)ew e(v)idence (s)kip (u)ndo (q)uit"
HL_ON, HL_OFF = "\x1b[7m", "\x1b[0m"
PLAIN_ON, PLAIN_OFF = "[[", "]]"  # the evidence when the output is not a terminal
CLEAR = "\x1b[2J\x1b[H"
ESC = "\x1b"
STATE_FILE = "review-state.json"
SHOWN = ("id", *EDITABLE, "event_id", "status", "reviewer")
LABEL = max(map(len, SHOWN)) + 1  # every value starts in one column, a space after the longest name


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


class Terminal:
    """Keys in, screens out: single keys and an editable line on a terminal; lines otherwise
    (then no escape codes are written, and the evidence is marked with [[ ]])."""

    def __init__(self, inp, out) -> None:
        self.inp, self.out = inp, out
        self.tty = out.isatty()
        self.in_tty = inp.isatty()
        self._pending = ""  # typed characters read from the terminal, not yet used

    def size(self) -> tuple[int, int]:
        cols, rows = shutil.get_terminal_size((80, 24))
        return max(40, min(cols, 120)), max(16, rows)

    def write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def key(self) -> str:
        """One key press without Enter on a terminal, with whatever was typed in the same breath
        (a word typed at the key prompt comes back whole, so that it is never taken for keys);
        a whole line otherwise."""
        if self.in_tty:
            import select

            with self._cbreak():
                if not self._pending:
                    self._fill()
                while select.select([self.inp.fileno()], [], [], 0.03)[0] and self._fill():
                    pass
                typed, self._pending = self._pending, ""
                return typed
        line = self.inp.readline()
        return line.rstrip("\r\n").strip() if line else "q"

    def _fill(self) -> bool:
        """Whatever the terminal has for us now (waiting for one key at least), read from its file
        descriptor, not through Python's buffer (which would hide typed-ahead keys from select)."""
        import codecs
        import os

        if not hasattr(self, "_decoder"):
            self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        data = os.read(self.inp.fileno(), 1024)
        self._pending += self._decoder.decode(data) if data else ""
        return bool(data)

    def _char(self) -> str:
        if not self._pending and not self._fill():
            return ""
        ch, self._pending = self._pending[:1], self._pending[1:]
        return ch

    def line(self, prompt: str) -> str | None:
        """A line typed after `prompt`; None when Esc is pressed (or the input ends)."""
        self.write(prompt)
        if not self.in_tty:
            text = self.inp.readline()
            if not text or text.startswith(ESC):
                return None
            return text.rstrip("\n")
        typed: list[str] = []
        with self._cbreak():
            while True:
                ch = self._char()
                if ch in ("", ESC):
                    self.write("\n")
                    return None
                if ch in ("\r", "\n"):
                    self.write("\n")
                    return "".join(typed)
                if ch in ("\x7f", "\b"):
                    if typed:
                        typed.pop()
                        self.write("\b \b")
                elif ch == "\x15":  # Ctrl-U: clear the line
                    self.write("\b \b" * len(typed))
                    typed.clear()
                elif ch.isprintable():
                    typed.append(ch)
                    self.write(ch)

    def _cbreak(self):
        import contextlib
        import termios
        import tty

        @contextlib.contextmanager
        def mode():
            fd = self.inp.fileno()
            old = termios.tcgetattr(fd)
            try:
                tty.setcbreak(fd, termios.TCSANOW)  # not TCSAFLUSH: keys typed ahead are kept
                yield
            finally:
                termios.tcsetattr(fd, termios.TCSADRAIN, old)

        return mode()


#: the field that says how a shown value was reached (claim_dates.BASES, account.SIDE_RULES)
WHY = {"date": "date_basis", "reported_by": "side_rule"}


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def screen(row: dict, n: int, total: int, message: str, term: Terminal, pending: dict | None = None) -> str:
    """One screen that fits the terminal: header, keys, the paragraph windowed around the evidence,
    the claim's fields (one line each), the message of the last action, and the prompt line."""
    width, height = term.size()
    on, off = (HL_ON, HL_OFF) if term.tty else (PLAIN_ON, PLAIN_OFF)
    head = [_clip(f"claimtrace review {n} / {total}  {row['doc_id']} ¶{row['p_seq']}"
                  f"{' · ' + row['section'] if row['section'] else ''}"
                  f"{' · ' + row['language'] if row.get('language') else ''}", width), _clip(KEYS, width), ""]
    fields = []
    for name in SHOWN:
        value = "" if row.get(name) is None else str(row.get(name))
        if pending and name in pending:
            value = f"{value or '(empty)'} -> {pending[name] if pending[name] is not None else '(empty)'}"
        elif row.get(WHY.get(name, "")):  # how the machine reached it: "2022-03-02 (document)", "RU (channel)"
            value = f"{value}  ({row[WHY[name]]})"
        fields.append(_clip(f"  {name:<{LABEL}}{value}", width))
    said = textwrap.wrap(message, width)[:3]  # the last action's message, whole (up to three lines)
    room = max(3, height - len(head) - len(fields) - len(said) - 3)  # two blank lines and the prompt
    text, s, e = row["p_text"], row["start"], row["end"]
    marked = text[:s] + "\x01" + text[s:e] + "\x02" + text[e:]  # markers survive wrapping as one character
    # one column spare for a "…" where the window cuts, and room for the [[ ]] of plain output
    lines = textwrap.wrap(marked, width - 1 - (0 if term.tty else len(on + off))) or [""]
    first = next(i for i, line in enumerate(lines) if "\x01" in line)
    last = next((i for i, line in enumerate(lines) if "\x02" in line), len(lines) - 1)
    top = max(0, min(first - 1, len(lines) - room)) if last - first + 1 < room else first
    if top > 0:
        lines[top] = "…" + lines[top]
    if top + room < len(lines):
        lines[top + room - 1] += "…"
    para, inside = [], False
    for j, line in enumerate(lines[:top + room]):
        opened = inside  # the highlight carries over from the line above
        for ch in line:
            inside = True if ch == "\x01" else False if ch == "\x02" else inside
        if j >= top:
            text_line = (on if opened else "") + line.replace("\x01", on).replace("\x02", off) + (off if inside else "")
            para.append(text_line)
    body = [*head, *para, "", *fields, "", *said]
    return (CLEAR if term.tty else "\n") + "\n".join(body) + "\n"


def edit_fields(row: dict, annotations: Path, term: Terminal, draw) -> dict | None:
    """Several fields, one after another, checked as they are typed; Enter on an empty field name
    saves them all as one decision, Esc cancels the edit. Returns the fields, or None."""
    from pipeline.curation.decide import ALLOWED, validate

    pending: dict = {}
    note = f"edit fields: {' '.join(EDITABLE)}"
    while True:
        draw(note, pending)
        name = term.line("field to edit (Enter saves, Esc cancels): ")
        if name is None:
            return None
        name = name.strip()
        if not name:
            return pending or None
        if name not in EDITABLE:
            close = difflib.get_close_matches(name, EDITABLE, n=1)
            note = f"Error: no field {name!r}{f'; did you mean {close[0]!r}?' if close else ''} Fields: {', '.join(EDITABLE)}"
            continue
        current = row.get(name)
        ask = f"{name}: now {current if current is not None else '(empty)'}; allowed: {ALLOWED[name]}"
        while True:  # the value again after a bad one, not the field
            draw(ask, pending)
            value = term.line(f"new value for {name} (Enter keeps, - empties, Esc cancels the edit): ")
            if value is None:
                return None
            value = value.strip()
            if not value:
                note = f"{name} kept as it is"
                break
            if value == "-":
                pending[name] = None
                note = f"{name} will be emptied; another field, or Enter to save"
                break
            try:
                checked = validate({name: value}, annotations)
            except CurationError as exc:
                if not (name == "speaker" and "not in the gazetteer" in str(exc)
                        and offer_gazetteer_entry(annotations, value, term)):
                    ask = f"Error: {exc}"
                    continue
                checked = validate({name: value}, annotations)
            pending[name] = checked[name]
            note = f"{name} will be {checked[name]}; another field, or Enter to save"
            break


def run(db: Path, annotations: Path, doc: str | None = None, side: str | None = None, status: str = "proposed",
        inp=None, out=None, reviewer: str | None = None) -> int:
    term = Terminal(inp or sys.stdin, out or sys.stdout)
    items = queue(db, doc, side, status)
    if not items:
        term.write("nothing to review with these filters\n")
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
    session = Session(db, annotations, term, reviewer)
    i = 0
    message = "each decision is saved at once; q quits, and the next review goes on from here"
    while i < len(order):
        row = store.claim_context(db, order[i])
        position = (start + i) % len(ids) + 1

        def draw(note: str, pending: dict | None = None, shown: dict | None = None) -> None:
            term.write(screen(shown or row, position, len(ids), note, term, pending))

        draw(message)
        term.write("> ")
        key = term.key().lower()
        if len(key) > 1:  # a word typed where a key is asked for: never taken for keys
            message = f"'{printable(key)}' is not a key; press one key: {KEYS}"
            continue
        if key in ("q", "\x04"):
            break
        try:
            message, goto = session.step(key, row, i, draw)
        except CurationError as exc:
            message = f"Error: {exc}"
            continue
        if goto == i + 1:  # done with this claim: the next review goes on after it
            state_path.write_text(json.dumps({"last": order[i], "key": keys[order[i]]}), encoding="utf-8")
        i = i if goto is None else goto
    term.write(f"\n{session.decided} decision(s) saved in {annotations / 'decisions'}; run `claimtrace review` "
               "to go on.\n")
    return 0


class Session:
    """The loop's decisions: what each key does to the claim on screen, and what undo takes back."""

    def __init__(self, db: Path, annotations: Path, term: Terminal, reviewer: str | None) -> None:
        self.db, self.annotations, self.term, self.reviewer = db, annotations, term, reviewer
        self.history: list[tuple] = []  # (decision, previous values, position) for undo
        self.decided = 0

    def _saved(self, decision, previous, i: int) -> None:
        self.history.append((decision, previous, i))
        self.decided += 1

    def step(self, key: str, row: dict, i: int, draw) -> tuple[str, int | None]:
        """The message after a key and the position to go to (None: stay on this claim)."""
        db, annotations, reviewer, short = self.db, self.annotations, self.reviewer, row["id"]
        previous = {f: row[f] for f in (*EDITABLE, "speaker_id", "status", "reviewer")}
        if key in ("a", "r"):
            action = "accept" if key == "a" else "reject"
            self._saved(decide(db, annotations, short, action, reviewer=reviewer), previous, i)
            return f"{action}ed {short} (saved)", i + 1
        if key == "e":
            fields = edit_fields(row, annotations, self.term, draw)
            if fields is None:
                return f"edit of {short} cancelled; nothing saved", None
            self._saved(decide(db, annotations, short, "edit", fields, reviewer=reviewer), previous, i)
            return (f"edited {short}: " + ", ".join(f"{k}={v}" for k, v in fields.items() if k != "speaker_id")
                    + " (saved)"), i + 1
        if key == "n":
            added = add_missed(db, annotations, row, self.term, draw, reviewer)
            if added is None:
                return "nothing added", None
            self._saved(added[0], None, i)
            return f"added {added[1]} to {row['doc_id']} (saved); the claim on screen is still to decide", None
        if key == "v":
            words = self.term.line("the claim's evidence: its exact words in this document (Esc cancels): ")
            if words is None or not words.strip():
                return f"evidence of {short} kept", None
            self._saved(decide(db, annotations, short, "edit", reviewer=reviewer, evidence=words),
                        {**previous, **{k: row[k] for k in ("paragraph_id", "start", "end", "quote")}}, i)
            return f"moved the evidence of {short} (saved)", None
        if key == "u":
            if not self.history:
                return "nothing to undo in this session (`claimtrace undo CLAIM_ID` takes back older decisions)", None
            decision, prev, at = self.history.pop()
            revert(db, annotations, decision, prev, reviewer)
            self.decided -= 1
            return f"undid the {decision.action} of {decision.claim_id}", at
        if key == "s":
            return f"skipped {short}", i + 1
        return f"unknown key {key!r}: {KEYS}", None


def add_missed(db: Path, annotations: Path, row: dict, term: Terminal, draw, reviewer: str | None):
    """The `n` key: a claim the machine missed in this claim's document, its words typed (asked
    again until they stand once in one paragraph), then its values as `e` asks for them.
    (decision, claim id), or None when cancelled."""
    from pipeline.curation.decide import add_claim, place

    note = f"new claim in {row['doc_id']}: type its exact words as the document has them"
    while True:
        draw(note)
        words = term.line("words of the missed claim (Esc cancels): ")
        if words is None or not words.strip():
            return None
        try:
            start, end, para = place(store.document_context(db, row["doc_id"]), row["doc_id"], words, None, "the words")
        except CurationError as exc:
            note = f"Error: {exc}"
            continue
        # the new claim on screen while its values are typed: its words marked in their paragraph
        blank = {**row, **{f: None for f in (*EDITABLE, "event_id", "status", "reviewer")}, "id": "(new)",
                 "p_text": para[3], "start": start - para[1], "end": end - para[1], "p_seq": para[4], "section": para[5],
                 "date_basis": None, "side_rule": None}
        fields = edit_fields(blank, annotations, term,
                             lambda n, pending=None: draw(f"{words!r}: {n}", pending, blank))
        if fields is None:
            return None
        try:
            return add_claim(db, annotations, row["doc_id"], words, fields, None, reviewer)
        except CurationError as exc:
            note = f"Error: {exc}"


def offer_gazetteer_entry(annotations: Path, name: str, term: Terminal) -> bool:
    """A speaker the gazetteer lacks: add the person to <annotations>/gazetteer.toml on the spot."""
    import re

    from pipeline.curation.decide import add_actor, check_side

    prompt = f"{name!r} is not in the gazetteer. Country code to add this person (Enter or Esc: no): "
    while True:  # a bad code asks for the code again, in this same line mode
        country = (term.line(prompt) or "").strip()
        if not country:
            return False
        try:
            country = check_side(country, "country")
        except CurationError as exc:
            prompt = f"Error: {exc}. Country code (Enter or Esc: no): "
            continue
        actor_id = f"{country.lower()}-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        add_actor(annotations, actor_id, name, "person", country, [], [])
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


def printable(text: str) -> str:
    """Text from a decisions file with its control characters shown, never sent to the terminal
    (a reviewer name holding escape codes must not repaint the screen)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def list_conflicts(annotations: Path, out=None) -> int:
    """Claims that two reviewers decided differently; the later decision is the one applied."""
    from pipeline.curation import conflicts

    out = out or sys.stdout
    found = conflicts(annotations)
    if not found:
        out.write("no conflicting decisions\n")
        return 0
    for c in found:
        out.write(f"{c.claim_id} in {c.doc_id}:\n")
        for n, d in enumerate(c.decisions):
            applied = "  <- applied" if n == len(c.decisions) - 1 else ""
            fields = ", ".join(f"{k}={v}" for k, v in d.fields.items() if k != "speaker_id")
            line = f"    {d.decided_at}  {d.reviewer or '(no name)'}: {d.action}{' ' + fields if fields else ''}{applied}"
            out.write(printable(line) + "\n")
    out.write(f"{len(found)} claim(s) decided differently by two reviewers; decide again to settle one.\n")
    return 0
