"""`claimtrace serve`: review claims in the browser, as a team.

A small Starlette app on 127.0.0.1 over the same database and annotations folder as the terminal
loop. Decisions go through `decide.decide` / `decide.undo` (same file, same lock, same
re-anchoring) with the reviewer's name. Every write is a POST carrying the page's CSRF token;
all document text reaches the page through Jinja2's autoescaping.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

from pipeline import store
from pipeline.curation import EDITABLE, CurationError, conflicts
from pipeline.curation.decide import ENUMS
from pipeline.errors import ClaimtraceError, DatabaseError

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATUSES = ("proposed", "accepted", "edited", "rejected")


def queue(db: Path, doc: str | None, side: str | None, status: str | None, event: str | None) -> list[dict]:
    sql = """SELECT c.id, c.doc_id, c.reported_by, c.status, c.event_id, substr(c.quote, 1, 90) AS opening
             FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id JOIN documents d ON d.id = c.doc_id
             WHERE (:status IS NULL OR c.status = :status) AND (:doc IS NULL OR c.doc_id = :doc)
               AND (:side IS NULL OR c.reported_by = :side) AND (:event IS NULL OR c.event_id = :event)
             ORDER BY d.rowid, p.seq, c.start"""
    conn = store.open_existing(db)
    try:
        cur = conn.execute(sql, {"status": status, "doc": doc, "side": side, "event": event})
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur]
    finally:
        conn.close()


def marked_paragraph(text: str, evidence: tuple[int, int], mentions: list[dict], dates: list[dict]) -> Markup:
    """The paragraph as HTML: the evidence in <mark>, actor and date mentions as labelled spans
    (displaCy-style); every piece of text escaped."""
    spans = [(evidence[0], evidence[1], "evidence", None)]
    spans += [(m["start"], m["end"], "ent actor", f"{m['label']}: {m['actor'] or 'not linked'}") for m in mentions]
    spans += [(d["start"], d["end"], "ent date", f"DATE: {d['value'] or '?'}") for d in dates]
    cuts = sorted({0, len(text), *[s for s, _, _, _ in spans], *[e for _, e, _, _ in spans]})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        for s, e, cls, title in sorted(spans, key=lambda x: x[2] != "evidence"):
            if s <= a and b <= e:
                if cls == "evidence":
                    piece = Markup('<mark class="evidence">') + piece + Markup("</mark>")
                else:
                    piece = Markup('<span class="{}" title="{}">').format(cls, title) + piece + Markup("</span>")
        out.append(piece)
    return Markup("").join(out)


def claim_view(db: Path, claim_id: str) -> dict:
    row = store.claim_context(db, claim_id)
    conn = store.open_existing(db)
    try:
        def rows(sql, *args):
            cur = conn.execute(sql, args)
            names = [c[0] for c in cur.description]
            return [dict(zip(names, r)) for r in cur]

        mentions = rows("SELECT start, \"end\", label, actor FROM mentions WHERE paragraph_id = ?", row["paragraph_id"])
        dates = rows("SELECT start, \"end\", value FROM dates WHERE paragraph_id = ?", row["paragraph_id"])
        others = rows("""SELECT id, reported_by, source, quote, one_sided, status FROM claims
                         WHERE event_id = ? AND coalesce(reported_by, '') != 'author'
                         ORDER BY reported_by != ?, reported_by, doc_id, start""",
                      row["event_id"], row["reported_by"]) if row["event_id"] else []
        event = rows("SELECT date, kind, participants FROM events WHERE id = ?", row["event_id"]) if row["event_id"] else []
    finally:
        conn.close()
    accounts: dict[str, list[dict]] = {}
    for o in others:
        accounts.setdefault(o["reported_by"] or "?", []).append(o)
    return {"row": row, "paragraph": marked_paragraph(row["p_text"], (row["start"], row["end"]), mentions, dates),
            "accounts": accounts, "event": event[0] if event else None}


def choices(db: Path, annotations: Path) -> dict:
    from pipeline.knowledge import load_knowledge

    conn = store.open_existing(db)
    try:
        sides = [r[0] for r in conn.execute("SELECT DISTINCT reported_by FROM claims WHERE reported_by IS NOT NULL "
                                            "ORDER BY 1")]
        docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY rowid")]
        events = [(r[0], f"{r[1] or '?'} {r[2] or 'event'}: {', '.join(json.loads(r[3] or '[]'))}")
                  for r in conn.execute("SELECT id, date, kind, sides FROM events ORDER BY date, id")]
    finally:
        conn.close()
    people = sorted({a.name for a in load_knowledge(annotations).actors.values() if a.type == "person"})
    return {"sides": sides, "docs": docs, "events": events, "people": people,
            "stances": ENUMS["stance"], "confirmations": ENUMS["confirmation"], "statuses": STATUSES,
            "editable": EDITABLE}


def create_app(db: Path, annotations: Path, reviewer: str) -> Starlette:
    """The review page and its three writing endpoints, all behind one CSRF token per process."""
    token = secrets.token_urlsafe(32)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))

    async def page(request: Request):
        try:
            status, context = page_context(db, annotations, request.query_params)
        except ClaimtraceError as exc:
            return HTMLResponse(env.get_template("error.html").render(message=str(exc)), status_code=500)
        html = env.get_template("review.html").render(token=token, reviewer=reviewer, **context)
        return HTMLResponse(html, status_code=status)

    def endpoint(act):
        async def write(request: Request):
            if request.headers.get("x-csrf-token") != token:
                return JSONResponse({"ok": False, "message": "refused: the request does not come from this page "
                                                             "(no valid CSRF token); reload the page"}, status_code=403)
            try:
                body = json.loads(await request.body() or b"{}")
            except ValueError:
                return JSONResponse({"ok": False, "message": "the request body is not JSON"}, status_code=400)
            who = (body.get("reviewer") or reviewer).strip() or reviewer
            try:
                message = act(db, annotations, body, who)
            except CurationError as exc:
                return JSONResponse({"ok": False, "message": str(exc)}, status_code=400)
            except ClaimtraceError as exc:
                return JSONResponse({"ok": False, "message": str(exc)}, status_code=409)
            return JSONResponse({"ok": True, "message": message})

        return write

    return Starlette(routes=[Route("/", page)] + [Route(path, endpoint(act), methods=["POST"])
                                                  for path, act in WRITES.items()])


def page_context(db: Path, annotations: Path, q) -> tuple[int, dict]:
    """(HTTP status, template values) of the review page for its query parameters: the queue,
    the claim asked for (or the first), and a notice when that claim is gone."""
    filters = {k: (q.get(k) or None) for k in ("doc", "side", "event")}
    filters["status"] = q.get("status", "proposed") or None
    status, notice = 200, None
    items = queue(db, **filters)
    current = q.get("claim") or (items[0]["id"] if items else None)
    try:
        view = claim_view(db, current) if current else None
    except DatabaseError:  # an old link, or a claim a rebuild or an undo removed: say so, show the queue
        status, notice, current = 404, f"no claim {current!r} in the database (a rebuild or an undo may " \
                                        "have removed it); choose one from the queue", None
        view = None
    return status, {"items": items, "view": view, "current": current, "filters": filters, "notice": notice,
                    "conflicts": conflicts(annotations), **choices(db, annotations)}


def do_decide(db: Path, annotations: Path, body: dict, who: str) -> str:
    from pipeline.curation.decide import decide

    action = body.get("action")
    if action not in ("accept", "reject", "edit"):
        raise CurationError(f"action {action!r}: use accept, reject or edit")
    fields = {k: str(v) for k, v in (body.get("fields") or {}).items()} if action == "edit" else {}
    evidence = body.get("evidence")
    if evidence is not None and not isinstance(evidence, str):
        raise CurationError("evidence: the selected words, as text")
    d = decide(db, annotations, str(body.get("claim_id")), action, fields, reviewer=who, evidence=evidence,
               at=_offset(body.get("at")))
    return f"{action} {d.claim_id} saved by {who}" + (" (evidence moved)" if evidence else "")


def do_add(db: Path, annotations: Path, body: dict, who: str) -> str:
    from pipeline.curation.decide import add_claim

    quote = body.get("quote")
    if not isinstance(quote, str):
        raise CurationError("quote: the selected words, as text")
    _, new_id = add_claim(db, annotations, str(body.get("doc_id")), quote, {}, reviewer=who,
                          at=_offset(body.get("at")))
    return f"added {new_id} by {who}: give it its values with e"


def do_undo(db: Path, annotations: Path, body: dict, who: str) -> str:
    from pipeline.curation.decide import undo

    d = undo(db, annotations, str(body.get("claim_id")), reviewer=who)
    return f"undid {d.action} of {d.claim_id}"


#: the page's writing endpoints: path -> what the POST does (its message goes back to the page)
WRITES = {"/api/decide": do_decide, "/api/undo": do_undo, "/api/add": do_add}


def _offset(value) -> int | None:
    """Where in the document the browser's selection starts: a whole number, or nothing."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CurationError("at: the selection's offset in the document, a whole number")
    return value


def serve(db: Path, annotations: Path, reviewer: str, host: str = "127.0.0.1", port: int = 8002) -> None:
    import uvicorn

    store.open_existing(db).close()  # no database: the error names the file and what to run
    uvicorn.run(create_app(db, annotations, reviewer), host=host, port=port, log_level="warning")


def check_port(host: str, port: int) -> None:
    """Refuse a port another program holds, before announcing the address (uvicorn would print
    its own error after the announcement)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ClaimtraceError(f"cannot listen on {host}:{port} ({exc.strerror}); another program uses the "
                                  f"port: choose another with --port") from None
