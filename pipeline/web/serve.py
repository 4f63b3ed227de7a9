"""`claimtrace serve`: review claims in the browser, as a team.

A small Starlette app over the same database and annotations folder as the terminal loop, on
127.0.0.1 unless told otherwise. Decisions go through `decide.decide` / `decide.undo` (same file,
same lock, same re-anchoring) with the reviewer's name. The server answers only to the names it is
served under (the Host header; DNS rebinding); every write is a POST carrying a CSRF token of the
browser's session (rotated on every page load) and, when the browser sends one, an Origin among
those names. Beyond loopback reviewers sign in (accounts.py) and decisions carry the signed-in
name. All document text reaches the page through Jinja2's autoescaping; a malformed body is a 400.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from pipeline import store
from pipeline.curation import CurationError
from pipeline.errors import ClaimtraceError
from pipeline.web import accounts, hosts
from pipeline.web.review_page import page_context
from pipeline.web.sessions import Sessions

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_BODY = 1024 * 1024      # bytes of a POST body; more is a 413
FAILED_LOGIN_DELAY = 1.0    # seconds a failed sign-in waits before it answers
RELOAD = ('<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="0">'
          '<title>claimtrace review</title><p>Opening the review page…</p>')


def create_app(db: Path, annotations: Path, reviewer: str, *, names: tuple[str, ...] | None = None,
               port: int | None = None, accounts: Path | None = None):
    """The review page and its three writing endpoints behind the Host check (`names`, `port`: what
    the server is reached as; default 127.0.0.1 and localhost, any port). Every write needs its
    session's CSRF token and, when the browser sends one, an Origin among `names`. With `accounts`
    (a reviewer accounts file) reviewers sign in at /login and decisions carry the signed-in name."""
    review = Review(db, annotations, reviewer, names or hosts.allowed_hosts("127.0.0.1"), port, accounts)
    routes = [Route("/", review.page)]
    routes += [Route(path, review.endpoint(act), methods=["POST"]) for path, act in WRITES.items()]
    if accounts is not None:
        routes += [Route("/login", review.login_form), Route("/login", review.login, methods=["POST"]),
                   Route("/logout", review.logout, methods=["POST"])]
    return hosts.guard(Starlette(routes=routes), review.names, port,
                       hint="open it by one of those names (`claimtrace serve --allowed-host NAME` adds one)")


class Refused(Exception):
    """A request turned away: the HTTP status and the message for the page."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Review:
    """The handlers of one server: its settings, templates and browser sessions. Blocking work
    (SQLite, the decisions file's lock, scrypt) runs in Starlette's threadpool, never on the event
    loop, so that one decision waiting for the lock does not hold up everyone's pages."""

    def __init__(self, db: Path, annotations: Path, reviewer: str, names: tuple[str, ...], port: int | None,
                 accounts_file: Path | None):
        self.db, self.annotations, self.reviewer = db, annotations, reviewer
        self.names, self.port, self.accounts_file = names, port, accounts_file
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
        self.sessions = Sessions()
        self.verifying = asyncio.Semaphore(2)  # scrypt takes 32 MiB and a CPU core per sign-in: two at a time
        self.cookie = f"claimtrace_session_{port}" if port else "claimtrace_session"  # one per port: two servers

    def _session(self, request: Request) -> tuple[str, bool]:
        return self.sessions.open(request.cookies.get(self.cookie))

    def _respond(self, response, sid: str | None = None):
        """The response, not kept by caches nor shown in another site's frame; with the session
        cookie when `sid` is given."""
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        if sid is not None:
            response.set_cookie(self.cookie, sid, httponly=True, samesite="strict", path="/")
        return response

    async def _signed_in(self, sid: str) -> str | None:
        """The reviewer signed in on this session whose account still exists, else None."""
        name = self.sessions.reviewer(sid)
        if name is not None and not await run_in_threadpool(accounts.exists, self.accounts_file, name):
            self.sessions.sign_out(sid)
            return None
        return name

    async def page(self, request: Request):
        if self.cookie not in request.cookies and request.headers.get("sec-fetch-site") == "cross-site":
            # a link from another site: the browser kept its SameSite=Strict cookie back; reloading
            # from this page sends it (no new session replaces the one the browser has)
            return self._respond(HTMLResponse(RELOAD))
        sid, new = self._session(request)
        name = await self._signed_in(sid) if self.accounts_file is not None else None
        if self.accounts_file is not None and name is None:
            return self._respond(RedirectResponse("/login", status_code=303), sid if new else None)
        token = self.sessions.issue(sid)
        status, html = await run_in_threadpool(self.render_page, request.query_params, token, name)
        return self._respond(HTMLResponse(html, status_code=status), sid if new else None)

    def render_page(self, q, token: str, signed_in: str | None) -> tuple[int, str]:
        try:
            status, context = page_context(self.db, self.annotations, q)
        except ClaimtraceError as exc:
            return 500, self.env.get_template("error.html").render(message=str(exc))
        html = self.env.get_template("review.html").render(token=token, reviewer=signed_in or self.reviewer,
                                                           signed_in=signed_in, **context)
        return status, html

    def _check_origin(self, request: Request) -> None:
        origin = request.headers.get("origin")
        if origin is not None and not hosts.origin_allowed(origin, self.names, self.port):
            raise Refused(403, f"refused: the request comes from another site ({origin[:100]}); "
                               "open this server's own page to review")

    def _check_token(self, request: Request, token: str | None) -> str:
        """The request's session id, when the token is one this session was given."""
        sid = request.cookies.get(self.cookie)
        if not self.sessions.check(sid, token):
            raise Refused(403, "refused: the request does not come from this page (no valid CSRF token for "
                               "this browser session); reload the page")
        return sid

    async def _signed_in_writer(self, sid: str) -> str | None:
        """With accounts, the signed-in reviewer (refused when there is none); without, None."""
        if self.accounts_file is None:
            return None
        name = await self._signed_in(sid)
        if name is None:
            raise Refused(401, "sign in first: reload the page (the session ended or the account was removed)")
        return name

    def _named(self, body: dict) -> str:
        """Without accounts: the page's reviewer field, else the server's --reviewer."""
        given = body.get("reviewer")
        if given is not None and not isinstance(given, str):
            raise Refused(400, "reviewer: the reviewer's name, as text")
        return (given or "").strip() or self.reviewer

    def endpoint(self, act):
        async def write(request: Request):
            try:
                self._check_origin(request)
                sid = self._check_token(request, request.headers.get("x-csrf-token"))
                signed_in = await self._signed_in_writer(sid)  # any "reviewer" in the body is then ignored
                body = json_object(await read_body(request))
                who = signed_in or self._named(body)
                message = await run_in_threadpool(act, self.db, self.annotations, body, who)
            except Refused as exc:
                return JSONResponse({"ok": False, "message": exc.message}, status_code=exc.status)
            except CurationError as exc:
                return JSONResponse({"ok": False, "message": str(exc)}, status_code=400)
            except ClaimtraceError as exc:
                return JSONResponse({"ok": False, "message": str(exc)}, status_code=409)
            return JSONResponse({"ok": True, "message": message})

        return write

    def _login_page(self, sid: str, message: str | None = None, status: int = 200, new: bool = False):
        token = self.sessions.issue(sid)
        html = self.env.get_template("login.html").render(token=token, message=message)
        return self._respond(HTMLResponse(html, status_code=status), sid if new else None)

    async def login_form(self, request: Request):
        sid, new = self._session(request)
        if await self._signed_in(sid) is not None:
            return self._respond(RedirectResponse("/", status_code=303))
        return self._login_page(sid, new=new)

    async def login(self, request: Request):
        try:
            self._check_origin(request)
            form = form_fields(await read_body(request))
        except Refused as exc:
            return PlainTextResponse(exc.message + "\n", status_code=exc.status)
        sid = request.cookies.get(self.cookie)
        if not self.sessions.check(sid, form.get("token")):  # a stale form (server restarted, session ended)
            sid, new = self._session(request)
            return self._login_page(sid, "the form had expired; sign in again", 403, new)
        name, password = form.get("name", "").strip(), form.get("password", "")
        try:
            async with self.verifying:
                ok = bool(name and password) and await run_in_threadpool(accounts.verify, self.accounts_file,
                                                                         name, password)
        except ClaimtraceError as exc:
            return self._login_page(sid, str(exc), 500)
        if not ok:
            await asyncio.sleep(FAILED_LOGIN_DELAY)
            return self._login_page(sid, "wrong name or password; try again", 401)
        return self._respond(RedirectResponse("/", status_code=303), self.sessions.sign_in(sid, name))

    async def logout(self, request: Request):
        try:
            self._check_origin(request)
            sid = self._check_token(request, form_fields(await read_body(request)).get("token"))
        except Refused as exc:
            return PlainTextResponse(exc.message + "\n", status_code=exc.status)
        self.sessions.sign_out(sid)
        response = self._respond(RedirectResponse("/login", status_code=303))
        response.delete_cookie(self.cookie, path="/", httponly=True, samesite="strict")
        return response


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request body, refused (413) beyond `limit` bytes before more is read."""
    too_large = Refused(413, f"the request body is larger than {limit:,} bytes; nothing was saved")
    declared = request.headers.get("content-length")
    if declared is not None and not declared.isdigit():
        raise Refused(400, "the Content-Length header is not a number")
    if declared is not None and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def json_object(raw: bytes) -> dict:
    """A POST body as a JSON object ({} when empty); anything else is a 400 with the reason."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the request body is not UTF-8 text") from None
    if not text.strip():
        return {}
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, "the request body is not JSON") from None
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")  # a lone surrogate (\ud800) cannot be stored
    except (ValueError, RecursionError):
        raise Refused(400, "the request body holds text that is not valid Unicode") from None
    if not isinstance(body, dict):
        raise Refused(400, 'the request body must be a JSON object, e.g. {"claim_id": "c…", "action": "accept"}')
    return body


def form_fields(raw: bytes) -> dict[str, str]:
    """A form POST (application/x-www-form-urlencoded): each field's first value."""
    try:
        pairs = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the form is not UTF-8 text in the usual encoding; reload the page") from None
    return {k: v[0] for k, v in pairs.items()}


def do_decide(db: Path, annotations: Path, body: dict, who: str) -> str:
    from pipeline.curation.decide import decide

    action = body.get("action")
    if action not in ("accept", "reject", "edit"):
        raise CurationError(f"action {action!r}: use accept, reject or edit")
    claim_id = _text(body, "claim_id", "the claim's id")
    fields = _fields(body.get("fields"))
    evidence = body.get("evidence")
    if evidence is not None and not isinstance(evidence, str):
        raise CurationError("evidence: the selected words, as text")
    d = decide(db, annotations, claim_id, action, fields if action == "edit" else {}, reviewer=who,
               evidence=evidence, at=_offset(body.get("at")))
    return f"{action} {d.claim_id} saved by {who}" + (" (evidence moved)" if evidence else "")


def do_add(db: Path, annotations: Path, body: dict, who: str) -> str:
    from pipeline.curation.decide import add_claim

    doc_id = _text(body, "doc_id", "the document's id")
    quote = body.get("quote")
    if not isinstance(quote, str):
        raise CurationError("quote: the selected words, as text")
    _, new_id = add_claim(db, annotations, doc_id, quote, {}, reviewer=who, at=_offset(body.get("at")))
    return f"added {new_id} by {who}: give it its values with e"


def do_undo(db: Path, annotations: Path, body: dict, who: str) -> str:
    from pipeline.curation.decide import undo

    d = undo(db, annotations, _text(body, "claim_id", "the claim's id"), reviewer=who)
    return f"undid {d.action} of {d.claim_id}"


#: the page's writing endpoints: path -> what the POST does (its message goes back to the page)
WRITES = {"/api/decide": do_decide, "/api/undo": do_undo, "/api/add": do_add}


def _text(body: dict, key: str, what: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CurationError(f"{key}: {what}, as text")
    return value.strip()


def _fields(value) -> dict[str, str]:
    """An edit's fields: an object of field names and text values (none: {})."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CurationError('fields: an object of field names and text values, e.g. {"stance": "neutral"}')
    for k, v in value.items():
        if not isinstance(v, str):
            raise CurationError(f"fields: the value of {k!r} must be text (a JSON string)")
    return dict(value)


def _offset(value) -> int | None:
    """Where in the document the browser's selection starts: a whole number, or nothing."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CurationError("at: the selection's offset in the document, a whole number")
    return value


def serve(db: Path, annotations: Path, reviewer: str, host: str = "127.0.0.1", port: int = 8002,
          allowed: tuple[str, ...] = (), accounts_file: Path | None = None) -> None:
    """Run the server until Ctrl-C: answering to the names of `host` and `allowed`; with
    `accounts_file`, reviewers sign in."""
    import uvicorn

    store.open_existing(db).close()  # no database: the error names the file and what to run
    app = create_app(db, annotations, reviewer, names=hosts.allowed_hosts(host, allowed), port=port,
                     accounts=accounts_file)
    uvicorn.run(app, host=host, port=port, log_level="warning")


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
