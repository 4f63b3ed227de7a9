"""Downloading manifest documents that have a url, into an exact archive with provenance.

Fetching (this module's `Fetcher`) and saving (`Archive`) are separate; every fault becomes a
one-line reason for that document and the others go on. The archive keeps the raw bytes as
received, content-addressed by sha256 under <corpus>/archive/, and one provenance record per
fetch in <corpus>/archive/provenance.jsonl. A re-fetch that returns other bytes adds a version
and marks the document changed; nothing is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib import robotparser
from urllib.parse import urljoin, urlparse

import requests

from pipeline import __version__
from pipeline.atomic import write_atomic
from pipeline.ingest.guard import POLICY, Deadline, GuardedAdapter, RefusedAddress, refused_address
from pipeline.records import DocumentSpec

USER_AGENT = f"claimtrace/{__version__} (research tool that archives official statements; python-requests)"
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf")
KEPT_HEADERS = ("content-type", "content-length", "last-modified", "etag", "date", "server", "content-language")
RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """One document could not be fetched; the message is the one-line reason."""


@dataclass
class FetchOptions:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0  # seconds, doubled at each retry
    max_retry_after: float = 120.0
    host_delay: float = 1.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    page_deadline: float = 120.0  # seconds for one request (connect, headers, body), however slowly the server sends
    robots_max_bytes: int = 512 * 1024  # what is read of a robots.txt (the rest is ignored)
    user_agent: str = USER_AGENT
    allow_private: bool = False  # reach private, loopback, link-local and reserved addresses too


@dataclass
class Response:
    url: str
    final_url: str
    status: int
    headers: dict
    body: bytes
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset=([\w.:-]+)", self.headers.get("content-type", ""), re.I)
        return m.group(1).strip("\"'").lower() if m else None


class Fetcher:
    def __init__(self, options: FetchOptions | None = None, sleep: Callable[[float], None] = time.sleep):
        self.o = options or FetchOptions()
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.o.user_agent
        for scheme in ("http://", "https://"):  # every connection's address checked where it is made
            self.session.mount(scheme, GuardedAdapter(max_retries=0))
        self.robots: dict[str, robotparser.RobotFileParser | None] = {}
        self.last_hit: dict[str, float] = {}

    def _wait_for_host(self, host: str) -> None:
        last = self.last_hit.get(host)
        if last is not None:
            gap = self.o.host_delay - (time.monotonic() - last)
            if gap > 0:
                self.sleep(gap)
        self.last_hit[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        parts = urlparse(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self.robots:
            parser = robotparser.RobotFileParser(root + "/robots.txt")
            try:
                self._wait_for_host(parts.netloc)
                r = self._request(root + "/robots.txt", redirects=True)
                if r.status_code >= 500:
                    parser = None  # server trouble: assume everything is disallowed for now
                elif r.status_code >= 400:
                    parser.allow_all = True
                else:
                    body = self._read_body(r, self.o.robots_max_bytes, truncate=True)
                    parser.parse(body.decode("utf-8", "replace").splitlines())
                _close(r)
            except (requests.RequestException, FetchError, RefusedAddress):
                parser.allow_all = True  # no robots.txt reachable; the page request will report the fault
            self.robots[root] = parser
        parser = self.robots[root]
        return parser is not None and parser.can_fetch(self.o.user_agent, url)

    def inside(self, url: str) -> None:
        """Refuse a url whose host resolves to a private, loopback, link-local or reserved address
        (a cloud's metadata service, the machine itself, the office network): a manifest's or a
        review's link, or a redirect, must not make fetch read an internal page into the corpus."""
        if self.o.allow_private:
            return
        host = urlparse(url).hostname or ""
        address = refused_address(host)
        if address is not None:
            raise FetchError(f"{host} is {address}, a private, loopback or link-local address: not fetched "
                             "(give --allow-private to fetch from an internal network)")

    def get(self, url: str) -> Response:
        if urlparse(url).scheme not in ("http", "https"):
            raise FetchError(f"url {url!r} is not http(s)")
        self.inside(url)
        if not self.allowed(url):
            raise FetchError(f"robots.txt of {urlparse(url).netloc} disallows {url}")
        chain: list[str] = []
        current = url
        while True:
            r = self._get_once(current)
            if r.is_redirect:
                target = urljoin(current, r.headers["location"])
                _close(r)
                if target in chain or target == current:
                    raise FetchError(f"redirect loop at {target}")
                chain.append(current)
                if len(chain) > self.o.max_redirects:
                    raise FetchError(f"more than {self.o.max_redirects} redirects (last: {target})")
                self.inside(target)  # every hop: a public page may redirect inside
                if not self.allowed(target):
                    raise FetchError(f"robots.txt of {urlparse(target).netloc} disallows {target}")
                current = target
                continue
            break
        if r.status_code >= 400:
            _close(r)
            raise FetchError(f"HTTP {r.status_code} from {current}")
        headers = {k.lower(): v for k, v in r.headers.items()}
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and content_type not in ACCEPTED_TYPES:
            _close(r)
            raise FetchError(f"content type {content_type} is not HTML, plain text or PDF")
        try:
            declared = int(headers.get("content-length") or 0)
        except ValueError:
            _close(r)
            raise FetchError(f"Content-Length {headers.get('content-length')!r} from {current} is not a number") from None
        if declared > self.o.max_bytes:
            _close(r)
            raise FetchError(f"body of {declared} bytes is over the {self.o.max_bytes}-byte cap")
        body = self._read_body(r, self.o.max_bytes)
        return Response(url, current, r.status_code, {k: headers[k] for k in KEPT_HEADERS if k in headers},
                        body, chain)

    def _request(self, url: str, redirects: bool = False) -> requests.Response:
        """One GET under its own deadline, which covers connecting, the headers and (in _read_body)
        the body: a server that sends a byte a second never trips the read timeout."""
        deadline = Deadline(self.o.page_deadline).start()
        POLICY.allow_private, POLICY.deadline = self.o.allow_private, deadline
        try:
            r = self.session.get(url, stream=True, allow_redirects=redirects,
                                 timeout=(self.o.connect_timeout, self.o.read_timeout))
        except RefusedAddress as exc:
            deadline.cancel()
            raise FetchError(str(exc)) from None
        except Exception:
            deadline.cancel()
            if deadline.expired.is_set():
                raise FetchError(f"{url} sent no complete headers within {self.o.page_deadline:g} s; stopped") from None
            raise
        finally:
            POLICY.deadline = None
        r.deadline = deadline
        return r

    def _read_body(self, r: requests.Response, cap: int, truncate: bool = False) -> bytes:
        """At most `cap` bytes (more: an error, or with `truncate` the first `cap`), within the
        request's deadline (its timer shuts the socket down when the deadline passes)."""
        expired = r.deadline.expired
        body = bytearray()
        try:
            for chunk in r.iter_content(16 * 1024):
                body.extend(chunk)
                if len(body) > cap:
                    if truncate:
                        return bytes(body[:cap])
                    raise FetchError(f"body is over the {cap}-byte cap; stopped reading")
        except (requests.RequestException, OSError, ValueError) as exc:
            if not expired.is_set():
                raise FetchError(f"reading {r.url} failed ({type(exc).__name__})") from None
        finally:
            r.deadline.cancel()
            r.close()
        if expired.is_set():
            raise FetchError(f"reading {r.url} took more than {self.o.page_deadline:g} s; stopped")
        return bytes(body)

    def _get_once(self, url: str) -> requests.Response:
        host = urlparse(url).netloc
        delay = self.o.backoff
        for attempt in range(self.o.retries + 1):
            self._wait_for_host(host)
            try:
                r = self._request(url)
            except requests.Timeout:
                reason = "timed out"
                r = None
            except requests.ConnectionError as exc:
                reason = f"could not connect ({_short(exc)})"
                r = None
            else:
                if r.status_code not in RETRY_STATUS:
                    return r
                reason = f"HTTP {r.status_code}"
                wait = _retry_after(r.headers.get("retry-after"))
                _close(r)
                if wait is not None:
                    if wait > self.o.max_retry_after:
                        raise FetchError(f"HTTP {r.status_code}; Retry-After {wait:.0f} s is too long, try later")
                    delay = max(delay, wait)
            if attempt == self.o.retries:
                raise FetchError(f"{reason} after {self.o.retries + 1} attempts: {url}")
            self.sleep(min(delay, self.o.max_retry_after))  # never longer than the documented maximum
            delay = min(delay * 2, self.o.max_retry_after)
        raise AssertionError("unreachable")


def _close(r: requests.Response) -> None:
    """Close a response and stop its deadline (whose timer would otherwise shut down the socket
    after the pool has handed it to another request)."""
    r.deadline.cancel()
    r.close()


def _short(exc: Exception) -> str:
    text = str(exc)
    m = re.search(r"\[Errno [^\]]+\] [^')]+|Name or service not known|Connection refused|Network is unreachable", text)
    return m.group(0) if m else type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


# --- the archive ----------------------------------------------------------------------------------

class Archive:
    def __init__(self, corpus: Path):
        self.dir = corpus / "archive"
        self.log = self.dir / "provenance.jsonl"

    def records(self, doc_id: str | None = None) -> list[dict]:
        if not self.log.is_file():
            return []
        out = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if doc_id is None or record.get("doc_id") == doc_id:
                out.append(record)
        return out

    def latest(self, doc_id: str) -> dict | None:
        records = self.records(doc_id)
        return records[-1] if records else None

    def path_of(self, record: dict) -> Path:
        return self.dir / record["file"]

    def save(self, doc_id: str, response: Response) -> dict:
        sha = hashlib.sha256(response.body).hexdigest()
        ext = {"text/plain": ".txt", "application/pdf": ".pdf"}.get(response.content_type, ".html")
        name = f"{sha}{ext}"
        self.dir.mkdir(parents=True, exist_ok=True)
        target = self.dir / name
        if not target.exists():
            write_atomic(target, response.body)
        previous = self.latest(doc_id)
        record = {
            "doc_id": doc_id, "url": response.url, "final_url": response.final_url,
            "redirects": response.redirects, "status": response.status, "headers": response.headers,
            "charset": response.charset, "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sha256": sha, "size": len(response.body), "file": name,
            "changed": bool(previous and previous["sha256"] != sha),
        }
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return record


@dataclass
class FetchOutcome:
    doc_id: str
    ok: bool
    message: str
    record: dict | None = None


def fetch_all(specs: list[DocumentSpec], corpus: Path, refresh: bool = False, options: FetchOptions | None = None,
              progress: Callable[[int, int, str, str], None] | None = None, fetcher: Fetcher | None = None) -> list[FetchOutcome]:
    archive = Archive(corpus)
    fetcher = fetcher or Fetcher(options)
    todo = [s for s in specs if s.url and (refresh or (s.path is None or not s.path.exists()) and archive.latest(s.id) is None)]
    outcomes = []
    for n, spec in enumerate(todo, 1):
        try:
            host = urlparse(spec.url).netloc
        except ValueError:
            host = "?"
        if progress:
            progress(n, len(todo), spec.id, f"fetching from {host}")
        try:
            response = fetcher.get(spec.url)
            record = archive.save(spec.id, response)
            note = " (changed since the last fetch; both versions kept)" if record["changed"] else ""
            outcomes.append(FetchOutcome(spec.id, True, f"{response.status}, {record['size']} bytes{note}", record))
        except FetchError as exc:
            outcomes.append(FetchOutcome(spec.id, False, str(exc)))
        except requests.RequestException as exc:  # anything requests raises that the loop above did not name
            outcomes.append(FetchOutcome(spec.id, False, f"request failed ({type(exc).__name__})"))
        except (ValueError, UnicodeError) as exc:  # a malformed url or header: this document's failure only
            outcomes.append(FetchOutcome(spec.id, False, f"malformed url or response ({exc})"))
        if progress:
            progress(n, len(todo), spec.id, outcomes[-1].message)
    return outcomes
