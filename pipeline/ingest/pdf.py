"""A PDF's text layer (pypdf) as plain text: the lines a page is laid out in joined back into
paragraphs, each page after a "[page N]" line, so that evidence can be found on its page."""

from __future__ import annotations

import io
import re
import statistics

from pipeline.errors import DocumentError

SENTENCE_END = re.compile(r"[.!?:;\"”»)]\s*$")


def is_pdf(raw: bytes) -> bool:
    return raw[:1024].lstrip().startswith(b"%PDF-")


def pdf_text(doc_id: str, raw: bytes) -> str:
    """The text of every page; DocumentError for an encrypted, broken or image-only PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise DocumentError(doc_id, "is an encrypted PDF; save an unencrypted copy or the page's HTML")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise DocumentError(doc_id, f"is a PDF pypdf cannot read ({type(exc).__name__}: {exc})") from None
    if not any(p.strip() for p in pages):
        raise DocumentError(doc_id, "is a PDF without a text layer (a scan?); run OCR on it or use the page's HTML")
    out = []
    for n, text in enumerate(pages, 1):
        out.append(f"[page {n}]")
        out.extend(paragraphs(text))
    return "\n\n".join(out) + "\n"


def paragraphs(page: str) -> list[str]:
    """A page's layout lines joined into paragraphs: a line runs on into the next unless it ends a
    sentence well short of the page's usual line length, or is a short line of its own (a heading)."""
    lines = [x.strip() for x in page.splitlines()]
    widths = [len(x) for x in lines if x]
    usual = statistics.median(widths) if widths else 0
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                out.append(" ".join(current))
                current = []
            continue
        current.append(line)
        ends = SENTENCE_END.search(line) is not None
        if (ends and len(line) < 0.85 * usual) or (not ends and len(line) < 0.5 * usual and len(current) == 1):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out
