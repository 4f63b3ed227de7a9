"""Browser sessions of `claimtrace serve`, kept in memory (thread-safe): a random id in an HttpOnly,
SameSite=Strict cookie; every page load issues a fresh CSRF token for its session, and the session's
last few tokens stay valid so that two tabs both work; a token is good only with its own session.
When reviewers sign in, the session also holds the reviewer's name."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

KEEP_TOKENS = 8            # tokens of one session that stay valid: one per open tab or recent page load
IDLE_SECONDS = 12 * 3600   # a session unused this long is forgotten (sign in again)
MAX_SESSIONS = 5000        # beyond this the least recently used goes (one not signed in first)


@dataclass
class Session:
    seen: float
    tokens: deque = field(default_factory=lambda: deque(maxlen=KEEP_TOKENS))
    reviewer: str | None = None


class Sessions:
    def __init__(self, idle: float = IDLE_SECONDS, limit: int = MAX_SESSIONS):
        self._lock = threading.Lock()
        self._by_id: OrderedDict[str, Session] = OrderedDict()
        self.idle, self.limit = idle, limit

    def _live(self, sid: str | None) -> Session | None:
        """The session (marked as used now), or None when unknown or idle too long. Lock held."""
        session = self._by_id.get(sid) if sid else None
        now = time.monotonic()
        if session is not None and now - session.seen > self.idle:
            del self._by_id[sid]
            session = None
        if session is not None:
            session.seen = now
            self._by_id.move_to_end(sid)
        return session

    def _new(self, reviewer: str | None = None) -> str:
        sid = secrets.token_urlsafe(32)
        self._by_id[sid] = Session(seen=time.monotonic(), reviewer=reviewer)
        while len(self._by_id) > self.limit:  # the oldest not signed in goes first, else the oldest
            oldest = next((k for k, v in self._by_id.items() if v.reviewer is None), next(iter(self._by_id)))
            del self._by_id[oldest]
        return sid

    def open(self, sid: str | None) -> tuple[str, bool]:
        """(the session id to use, whether it is new): the one given if it is live, else a new one."""
        with self._lock:
            return (sid, False) if self._live(sid) is not None else (self._new(), True)

    def issue(self, sid: str) -> str:
        """A fresh CSRF token for the session (its oldest beyond KEEP_TOKENS stops being valid)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            session = self._live(sid)
            if session is not None:
                session.tokens.append(token)
        return token

    def check(self, sid: str | None, token: str | None) -> bool:
        """The token was issued to this session and is one of its last KEEP_TOKENS."""
        if not token:
            return False
        given = token.encode("utf-8", "replace")
        with self._lock:
            session = self._live(sid)
            tokens = list(session.tokens) if session is not None else []
        matches = [secrets.compare_digest(given, t.encode()) for t in tokens]
        return any(matches)

    def reviewer(self, sid: str | None) -> str | None:
        with self._lock:
            session = self._live(sid)
            return session.reviewer if session is not None else None

    def sign_in(self, sid: str | None, name: str) -> str:
        """A new session (new id, no tokens) for the reviewer; the old one ends."""
        with self._lock:
            self._by_id.pop(sid, None)
            return self._new(reviewer=name)

    def sign_out(self, sid: str | None) -> None:
        with self._lock:
            self._by_id.pop(sid, None)
