"""Fetching against a server on 127.0.0.1 started by the tests; no other address is touched."""

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.ingest.fetch import Archive, Fetcher, FetchError, FetchOptions, fetch_all
from pipeline.records import DocumentSpec

DATA = Path(__file__).parent / "data"
PAGE = (DATA / "corpus_pair" / "ru-readout-uz-0225.html").read_bytes()
CYRILLIC = "<html><head><title>Заявление</title></head><body><article><h1>Заявление МИД</h1><p>" + \
           "Министерство выражает надежду на скорейшее мирное урегулирование ситуации путём переговоров. " * 3 + \
           "</p></article></body></html>"


class Handler(BaseHTTPRequestHandler):
    hits: dict = {}
    version = {"n": 0}

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901 - one branch per scenario
        path = self.path
        n = Handler.hits[path] = Handler.hits.get(path, 0) + 1
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
        if path == "/ok":
            return self.send(200, PAGE)
        if path == "/r1":
            return self.send(302, headers=[("Location", "/r2")], ctype=None)
        if path == "/to-metadata":  # a public page that redirects inside (the cloud metadata address)
            return self.send(302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")], ctype=None)
        if path == "/r2":
            return self.send(301, headers=[("Location", "/ok")], ctype=None)
        if path in ("/loop-a", "/loop-b"):
            return self.send(302, headers=[("Location", "/loop-b" if path == "/loop-a" else "/loop-a")], ctype=None)
        if path == "/missing":
            return self.send(404, b"not here")
        if path == "/flaky":
            return self.send(500, b"oops") if n == 1 else self.send(200, PAGE)
        if path == "/busy":
            return self.send(429, b"slow down", headers=[("Retry-After", "1")]) if n == 1 else self.send(200, PAGE)
        if path == "/bad-length":  # a header that is not a number
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "abc")
            self.end_headers()
            self.wfile.write(PAGE)
            return
        if path == "/busy-long":  # Retry-After at the documented maximum, every time
            return self.send(429, b"slow down", headers=[("Retry-After", "120")])
        if path == "/always-500":
            return self.send(503, b"down")
        if path == "/slow":
            time.sleep(2)
            return self.send(200, PAGE)
        if path == "/big":
            return self.send(200, b"<p>" + b"x" * 200_000 + b"</p>")
        if path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"<p>" + b"y" * 10_000 + b"</p>")
            return
        if path == "/trickle":  # a byte a second: never trips a read timeout
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.3)
            return
        if path == "/trickle-headers":  # the status line and headers a byte at a time
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Filler: " + b"z" * 40 + b"\r\n\r\n"
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
            return
        if path == "/image":
            return self.send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        if path == "/statement.pdf":  # a PDF the tests write themselves (tests/test_pdf.py)
            from tests.test_pdf import STATEMENT, make_pdf

            return self.send(200, make_pdf(STATEMENT), "application/pdf")
        if path == "/cp1251":
            return self.send(200, CYRILLIC.encode("windows-1251"), "text/html; charset=windows-1251")
        if path == "/private/page":
            return self.send(200, PAGE)
        if path == "/changing":
            return self.send(200, PAGE.replace(b"16:40", f"16:4{Handler.version['n']}".encode()))
        return self.send(404)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # clients that hang up on purpose (timeouts, size caps) are part of the tests


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def fetcher():
    sleeps = []
    f = Fetcher(FetchOptions(allow_private=True, host_delay=0.0, read_timeout=0.5, connect_timeout=1, backoff=0.01, retries=2,
                             max_bytes=100_000), sleep=lambda s: sleeps.append(s))
    f.sleeps = sleeps
    return f


def test_200(server, fetcher):
    r = fetcher.get(server + "/ok")
    assert (r.status, r.body, r.final_url, r.content_type) == (200, PAGE, server + "/ok", "text/html")
    assert fetcher.session.headers["User-Agent"].startswith("claimtrace/")


def test_redirect_chain_records_the_final_url(server, fetcher):
    r = fetcher.get(server + "/r1")
    assert r.final_url == server + "/ok" and r.redirects == [server + "/r1", server + "/r2"]


def test_redirect_loop(server, fetcher):
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.get(server + "/loop-a")


def test_404_is_not_retried(server, fetcher):
    before = Handler.hits.get("/missing", 0)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.get(server + "/missing")
    assert Handler.hits["/missing"] == before + 1


def test_500_then_200_is_retried(server, fetcher):
    assert fetcher.get(server + "/flaky").status == 200
    assert Handler.hits["/flaky"] == 2 and fetcher.sleeps == [0.01]


def test_persistent_5xx_gives_up_after_the_retries(server, fetcher):
    with pytest.raises(FetchError, match="HTTP 503 after 3 attempts"):
        fetcher.get(server + "/always-500")
    assert fetcher.sleeps == [0.01, 0.02]  # exponential backoff


def test_429_honours_retry_after(server, fetcher):
    assert fetcher.get(server + "/busy").status == 200
    assert fetcher.sleeps == [1.0]


def test_slow_response_times_out(server, fetcher):
    with pytest.raises(FetchError, match="timed out after 3 attempts"):
        fetcher.get(server + "/slow")


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_body_over_the_cap(server, fetcher, path):
    with pytest.raises(FetchError, match="cap"):
        fetcher.get(server + path)


def test_binary_content_type_is_refused(server, fetcher):
    with pytest.raises(FetchError, match="content type image/png is not HTML"):
        fetcher.get(server + "/image")


def test_robots_disallow(server, fetcher):
    before = Handler.hits.get("/private/page", 0)
    robots_before = Handler.hits.get("/robots.txt", 0)  # the server is shared by the module's tests
    with pytest.raises(FetchError, match="robots.txt .* disallows"):
        fetcher.get(server + "/private/page")
    assert Handler.hits.get("/private/page", 0) == before
    fetcher.get(server + "/ok")
    fetcher.get(server + "/ok")
    assert Handler.hits["/robots.txt"] == robots_before + 1  # cached per host: asked once per fetcher


def test_per_host_delay(server):
    sleeps = []
    f = Fetcher(FetchOptions(allow_private=True, host_delay=5.0), sleep=lambda s: sleeps.append(s))
    f.get(server + "/ok")
    f.get(server + "/ok")
    assert sleeps and all(0 < s <= 5.0 for s in sleeps)


def corpus_with(tmp_path, server, entries):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    text = "".join(f'[[document]]\nid = "{i}"\nurl = "{server}{p}"\nkind = "{k}"\n\n' for i, p, k in entries)
    (corpus / "manifest.toml").write_text(text, encoding="utf-8")
    return corpus


def test_windows_1251_page_flows_through_extract(server, tmp_path, run):
    corpus = corpus_with(tmp_path, server, [("mid", "/cp1251", "statement")])
    result = run("fetch", "--allow-private", "--delay", "0", corpus=corpus)
    assert result.exit_code == 0, result.output
    record = Archive(corpus).latest("mid")
    assert record["charset"] == "windows-1251"
    assert (corpus / "archive" / record["file"]).read_bytes() == CYRILLIC.encode("windows-1251")
    assert run("extract", "--no-nlp", corpus=corpus).exit_code == 0
    texts = run("query", "SELECT text FROM paragraphs", "--format", "jsonl", corpus=corpus).output
    assert "Министерство выражает надежду" in json.loads(texts.splitlines()[-1])["text"]


def test_a_fetched_pdf_is_kept_as_pdf_and_read(server, tmp_path, run):
    corpus = corpus_with(tmp_path, server, [("kz-mfa", "/statement.pdf", "statement")])
    assert run("fetch", "--allow-private", "--delay", "0", corpus=corpus).exit_code == 0
    assert Archive(corpus).latest("kz-mfa")["file"].endswith(".pdf")
    assert run("extract", "--no-nlp", corpus=corpus).exit_code == 0
    texts = run("query", "SELECT text FROM paragraphs", "--format", "jsonl", corpus=corpus).output
    assert any("supports the territorial integrity" in json.loads(x)["text"] for x in texts.splitlines())


def test_fetched_pages_flow_through_extract_like_local_files(server, tmp_path, run):
    corpus = corpus_with(tmp_path, server, [("ru-readout", "/r1", "readout")])
    assert run("fetch", "--allow-private", "--delay", "0", corpus=corpus).exit_code == 0
    result = run("extract", "--processes", "1", corpus=corpus)
    assert result.exit_code == 0, result.output
    doc = json.loads(run("export", "documents", corpus=corpus).output.splitlines()[0])
    assert doc["published"] == "2022-02-25" and doc["sha256"] == hashlib.sha256(PAGE).hexdigest()
    claims = [json.loads(l) for l in run("export", "claims", corpus=corpus).output.splitlines()]
    assert any(c["speaker"] == "Shavkat Mirziyoyev" for c in claims)


def test_refetch_with_changed_content_keeps_both_versions(server, tmp_path, run):
    corpus = corpus_with(tmp_path, server, [("changing", "/changing", "readout")])
    Handler.version["n"] = 1
    assert run("fetch", "--allow-private", "--delay", "0", corpus=corpus).exit_code == 0
    nothing = run("fetch", "--allow-private", "--delay", "0", corpus=corpus)
    assert "0 fetched" in nothing.output  # archived already: not fetched again without --refresh
    Handler.version["n"] = 2
    again = run("fetch", "--allow-private", "--refresh", "--delay", "0", corpus=corpus)
    assert "changed since the last fetch" in again.output
    records = Archive(corpus).records("changing")
    assert [r["changed"] for r in records] == [False, True]
    files = {r["file"] for r in records}
    assert len(files) == 2 and all((corpus / "archive" / f).exists() for f in files)
    assert run("extract", "--no-nlp", corpus=corpus).exit_code == 0
    doc = json.loads(run("export", "documents", corpus=corpus).output)
    assert doc["sha256"] == records[-1]["sha256"]


def test_one_failure_does_not_stop_the_others_and_the_exit_code_says_so(server, tmp_path, run):
    corpus = corpus_with(tmp_path, server, [("gone", "/missing", "readout"), ("fine", "/ok", "readout")])
    result = run("fetch", "--allow-private", "--delay", "0", corpus=corpus)
    assert result.exit_code == 1
    assert "1 fetched, 1 failed" in result.output and "Error: gone: HTTP 404" in result.output


def test_offline_every_document_fails_with_one_line_and_extract_uses_the_archive(server, tmp_path, run):
    corpus = corpus_with(tmp_path, server, [("a", "/ok", "readout")])
    assert run("fetch", "--allow-private", "--delay", "0", corpus=corpus).exit_code == 0
    # the same documents at an address where nothing listens: a closed port on loopback
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    (corpus / "manifest.toml").write_text(
        f'[[document]]\nid = "a"\nurl = "{dead}/ok"\nkind = "readout"\n\n'
        f'[[document]]\nid = "b"\nurl = "{dead}/other"\nkind = "readout"\n', encoding="utf-8")
    outcomes = fetch_all([DocumentSpec("a", "readout", None, dead + "/ok"), DocumentSpec("b", "readout", None, dead + "/b")],
                         corpus, refresh=True, options=FetchOptions(allow_private=True, host_delay=0, backoff=0.01, retries=1, connect_timeout=1))
    assert [o.ok for o in outcomes] == [False, False]
    assert all("could not connect" in o.message and "\n" not in o.message for o in outcomes)
    result = run("extract", "--no-nlp", corpus=corpus)
    assert result.exit_code == 1  # b was never archived
    assert "Error: b: has only a url" in result.output and "run `claimtrace fetch` first" in result.output
    docs = [json.loads(l)["id"] for l in run("export", "documents", corpus=corpus).output.splitlines()]
    assert docs == ["a"]


REVIEW_HTML = """<html><body><!-- written for the claimtrace tests; not a real publication -->
<article><h1>Review of reactions</h1>
<p>According to the <a href="http://en.kremlin.ru/events/president/news/00001">Kremlin</a>, the leaders spoke,
while the <a href="https://president.uz/en/lists/view/0001">Uzbek readout</a> was brief.</p>
<p>See also the <a href="https://www.mfa.gov.kg/en/news/1">Kyrgyz statement</a> and <a href="#top">top</a>.</p>
</article></body></html>"""


def test_links_are_listed_and_added_to_the_manifest(tmp_path, run):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "review.html").write_text(REVIEW_HTML, encoding="utf-8")
    manifest = corpus / "manifest.toml"
    manifest.write_text('# my corpus\n[[document]]\nid = "review"\npath = "review.html"\nkind = "review"\n', encoding="utf-8")
    assert run("extract", "--no-nlp", corpus=corpus).exit_code == 0
    listed = json.loads(run("links", "--format", "json", corpus=corpus).output)
    assert [(l["anchor"], l["href"]) for l in listed] == [
        ("Kremlin", "http://en.kremlin.ru/events/president/news/00001"),
        ("Uzbek readout", "https://president.uz/en/lists/view/0001"),
        ("Kyrgyz statement", "https://www.mfa.gov.kg/en/news/1"), ("top", "#top")]
    result = run("links", "--add", corpus=corpus)
    assert "3 document(s) added" in result.output
    text = manifest.read_text(encoding="utf-8")
    assert text.startswith("# my corpus\n")
    from pipeline.ingest.corpus import load_manifest

    specs = {s.url: s for s in load_manifest(manifest) if s.url}
    assert specs["http://en.kremlin.ru/events/president/news/00001"].side == "RU"
    assert specs["http://en.kremlin.ru/events/president/news/00001"].kind == "readout"
    assert specs["https://www.mfa.gov.kg/en/news/1"].side == "KG"
    assert specs["https://www.mfa.gov.kg/en/news/1"].kind == "statement"
    assert "0 document(s) added" in run("links", "--add", corpus=corpus).output


def test_a_page_sent_a_byte_at_a_time_stops_at_its_deadline(server):
    f = Fetcher(FetchOptions(allow_private=True, host_delay=0.0, read_timeout=2, connect_timeout=1, retries=0, page_deadline=1.0))
    started = time.monotonic()
    with pytest.raises(FetchError, match="took more than 1 s; stopped"):
        f.get(server + "/trickle")
    assert time.monotonic() - started < 2.5


class HugeRobots(BaseHTTPRequestHandler):
    """A robots.txt of 1 MB whose one rule comes after the part that is read."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/robots.txt":
            body = b"# filler line of a very long robots file\n" * 25_000 + b"User-agent: *\nDisallow: /late\n"
            ctype = "text/plain"
        else:
            body, ctype = PAGE, "text/html"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_robots_txt_is_read_only_up_to_its_cap():
    httpd = QuietServer(("127.0.0.1", 0), HugeRobots)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        f = Fetcher(FetchOptions(allow_private=True, host_delay=0.0, robots_max_bytes=512 * 1024))
        assert f.get(f"http://127.0.0.1:{httpd.server_address[1]}/late").status == 200
        parser = next(iter(f.robots.values()))
        assert parser.can_fetch("claimtrace", "/late")  # the rule past 512 KB was never read
    finally:
        httpd.shutdown()


def test_a_malformed_content_length_is_that_documents_failure(server, fetcher):
    with pytest.raises(FetchError, match="Content-Length 'abc'"):
        fetcher.get(server + "/bad-length")


def test_no_wait_is_longer_than_the_retry_after_maximum(server, fetcher):
    with pytest.raises(FetchError):
        fetcher.get(server + "/busy-long")
    assert fetcher.sleeps and max(fetcher.sleeps) <= 120  # the doubling backoff is capped too (was 120, 240)


def test_a_malformed_url_in_fetch_all_is_one_line_for_its_document(server, tmp_path):
    from pipeline.records import DocumentSpec

    outcomes = fetch_all([DocumentSpec("a", "news", None, "http://[::1"), DocumentSpec("b", "news", None, server + "/ok")],
                         tmp_path, fetcher=Fetcher(FetchOptions(allow_private=True, host_delay=0.0), sleep=lambda s: None))
    assert [(o.doc_id, o.ok) for o in outcomes] == [("a", False), ("b", True)]
    assert "malformed url" in outcomes[0].message or "not http" in outcomes[0].message


def test_fetch_refuses_internal_addresses_by_default(server, tmp_path, monkeypatch):
    from pipeline.ingest import fetch as fetch_module
    from pipeline.ingest import guard

    quiet = Fetcher(FetchOptions(host_delay=0.0, retries=0), sleep=lambda s: None)
    with pytest.raises(FetchError, match=r"127\.0\.0\.1, a private, loopback or link-local address.*--allow-private"):
        quiet.get(server + "/ok")  # the test server itself: loopback
    for host in ("169.254.169.254", "10.1.2.3", "[::1]", "0.0.0.0"):
        with pytest.raises(FetchError, match="not fetched"):
            quiet.get(f"http://{host}/latest/meta-data/")
    # a redirect hop is checked too: the first host passes as public here, the metadata address not
    real, real_ip = fetch_module.refused_address, guard.refused_ip
    monkeypatch.setattr(fetch_module, "refused_address", lambda host: None if host == "127.0.0.1" else real(host))
    monkeypatch.setattr(guard, "refused_ip", lambda ip: ip != "127.0.0.1" and real_ip(ip))
    with pytest.raises(FetchError, match="169.254.169.254"):
        quiet.get(server + "/to-metadata")


def test_the_fetch_command_names_the_flag_for_an_internal_source(server, tmp_path, run):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.toml").write_text(f'[[document]]\nid = "a"\nkind = "news"\nurl = "{server}/ok"\n',
                                          encoding="utf-8")
    refused = run("fetch", "--delay", "0", corpus=corpus)
    assert refused.exit_code == 1 and "--allow-private" in refused.output
    assert not (corpus / "archive").exists() or not any((corpus / "archive").rglob("*.html"))
    assert run("fetch", "--allow-private", "--delay", "0", corpus=corpus).exit_code == 0


def test_headers_sent_a_byte_at_a_time_stop_at_the_deadline(server):
    """The deadline covers the headers too (it used to cover the body only: a server trickling
    its headers was never cut off)."""
    f = Fetcher(FetchOptions(allow_private=True, host_delay=0.0, read_timeout=2, connect_timeout=1, retries=0, page_deadline=1.0))
    started = time.monotonic()
    with pytest.raises(FetchError, match="no complete headers within 1 s"):
        f.get(server + "/trickle-headers")
    assert time.monotonic() - started < 2.5


def test_a_name_that_resolves_elsewhere_at_connection_time_is_refused(server, monkeypatch):
    """DNS rebinding: the name passes the check as a public address, then resolves to the machine
    itself when the HTTP library connects. The address connected to is checked before a byte is sent."""
    import socket

    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    answers = {"n": 0}

    def rebinding(host, *args, **kwargs):
        if host != "rebind.example":
            return real(host, *args, **kwargs)
        answers["n"] += 1
        address = "93.184.216.34" if answers["n"] == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, args[0] if args and args[0] else port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    Handler.hits.clear()
    f = Fetcher(FetchOptions(host_delay=0.0, retries=0, connect_timeout=1), sleep=lambda s: None)
    with pytest.raises(FetchError, match=r"connected to 127\.0\.0\.1.*not fetched"):
        f.get(f"http://rebind.example:{port}/ok")
    assert answers["n"] >= 2 and "/ok" not in Handler.hits  # checked at connection time: nothing was asked
