"""PDF documents (issue 22): their text layer read into paragraphs with page markers. The PDFs here
are written by the test itself (make_pdf), with sentences in our own words."""

import json

from tests.test_accounts import NEWS


def make_pdf(pages: list[list[str]]) -> bytes:
    """A small PDF of our own: Helvetica text lines, one list a page."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = len(objs) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        ops = ["BT /F1 11 Tf 72 760 Td 14 TL"]
        for line in lines:
            ops.append("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*")
        data = "\n".join([*ops, "ET"]).encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R "
                        b">> >> /Contents %d 0 R >>" % (pages_id, font, content)))
    add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


STATEMENT = [
    ["Statement of the Ministry of Foreign Affairs",
     "The Ministry of Foreign Affairs of Kazakhstan said on 2 March that Kazakhstan supports",
     "the territorial integrity of Ukraine and calls for talks between the two sides as soon",
     "as possible."],
    ["The Ministry also noted that humanitarian aid would be sent to the civilians who have",
     "left their homes."],
]


def _run(tmp_path, run, data: bytes, name: str = "statement.pdf"):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / name).write_bytes(data)
    (corpus / "manifest.toml").write_text(
        NEWS.format(extra='published = "2022-03-02"').replace("item.txt", name), encoding="utf-8")
    return corpus, run("extract", "--processes", "1", corpus=corpus)


def test_a_pdf_is_read_into_paragraphs_with_its_pages(tmp_path, run):
    corpus, done = _run(tmp_path, run, make_pdf(STATEMENT))
    assert done.exit_code == 0, done.output
    claims = [json.loads(x) for x in run("export", "claims", corpus=corpus).output.splitlines()]
    kz = [c for c in claims if "territorial integrity of Ukraine" in c["quote"]]
    assert kz and kz[0]["reported_by"] == "KZ" and kz[0]["date"] == "2022-03-02"
    assert "supports the territorial integrity" in kz[0]["quote"]        # the layout lines joined back
    doc = json.loads(run("export", "documents", "--with-text", corpus=corpus).output.splitlines()[0])
    assert doc["text"].index("[page 1]") < doc["text"].index("supports") < doc["text"].index("[page 2]")
    assert doc["text"].index("[page 2]") < doc["text"].index("humanitarian aid")


def test_a_broken_or_image_only_pdf_is_that_documents_clear_failure(tmp_path, run):
    corpus, done = _run(tmp_path, run, b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer garbage\n")
    assert done.exit_code == 1 and "Error: item:" in done.output and "PDF" in done.output
    assert "Traceback" not in done.output
    (tmp_path / "x").mkdir()
    corpus, done = _run(tmp_path / "x", run, make_pdf([[]]), "scan.pdf")
    assert done.exit_code == 1 and "without a text layer" in done.output
