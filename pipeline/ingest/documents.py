"""One manifest entry -> a DocumentResult: read, decode, parse, paragraphs, side and dates."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from charset_normalizer import from_bytes

from pipeline.errors import DocumentError
from pipeline.ingest.language import language_of, unsupported
from pipeline.ingest.parse import assemble, parse_html, parse_text
from pipeline.ingest.sections import SectionTagger
from pipeline.knowledge import Knowledge
from pipeline.limits import Limits, check_depth, check_size, split_long
from pipeline.records import Block, Dated, DocumentResult, DocumentSpec

META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def source_of(spec: DocumentSpec, archive) -> tuple[Path | None, str | None]:
    """The file a document is read from, and the charset its server declared: a local file
    named by the manifest first, else the latest archived copy of its url."""
    if spec.path is not None and (spec.path.exists() or not spec.url):
        return spec.path, None
    record = archive.latest(spec.id) if archive is not None and spec.url else None
    if record is None:
        if spec.path is not None:
            return spec.path, None
        raise DocumentError(spec.id, f"has only a url ({spec.url}) and no archived copy; run `claimtrace fetch` first")
    return archive.path_of(record), record.get("charset")


def read_bytes(spec: DocumentSpec, path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes, checked before reading: a regular file (a FIFO would hang the run), and no
    more than `max_bytes` (a 3 GB file is refused by its size, not after reading it)."""
    import stat

    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise DocumentError(spec.id, f"{path} is not a regular file (a folder, FIFO or device); "
                                         "point path at the document's file")
        if max_bytes is not None and st.st_size > max_bytes:
            raise DocumentError(spec.id, f"is {st.st_size:,} bytes, over the limit of {max_bytes:,}; "
                                         "raise it with `extract --max-bytes N` if the document is genuine")
        with path.open("rb") as fh:
            return fh.read(-1 if max_bytes is None else max_bytes + 1)
    except FileNotFoundError:
        raise DocumentError(spec.id, f"file {path} does not exist; fix its path in manifest.toml or add the file") from None
    except OSError as exc:
        raise DocumentError(spec.id, f"cannot read {path} ({exc.strerror}); check the file's permissions") from None


WESTERN_GUESSES = {"cp1250", "iso8859_2", "cp1257", "iso8859_4", "iso8859_13", "mac_latin2", "cp1254", "iso8859_9"}


def decode(spec: DocumentSpec, raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """The text and how it was decoded: the server's charset first (fetched pages), then UTF-8, the
    page's meta charset, detection. English text with a few accented letters that detection calls
    Central European ("Ministère" read as "Ministčre") is read as Windows-1252, and said so."""
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(spec.id, "is binary, not text or HTML; replace it with the page's HTML or a .txt file")
    if declared:
        try:
            return raw.decode(declared), f"{declared} (declared by the server)"
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = META_CHARSET_RE.search(raw[:4096])
    if m:
        charset = m.group(1).decode("ascii")
        try:
            return raw.decode(charset), f"{charset} (declared by the page)"
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(raw).best()
    if best is None:
        raise DocumentError(spec.id, "is not readable text in any known encoding; save it as UTF-8")
    ascii_share = sum(b < 128 for b in raw) / max(len(raw), 1)
    if best.encoding in WESTERN_GUESSES and ascii_share > 0.95:
        try:
            return raw.decode("cp1252"), "cp1252 (guessed: mostly English text with a few accented letters)"
        except UnicodeDecodeError:
            pass
    return str(best), f"{best.encoding} (guessed)"


def infer_side(spec: DocumentSpec, knowledge: Knowledge, signature: str | None = None) -> Dated | None:
    if spec.side:
        return Dated(spec.side, "manifest")
    if signature and spec.kind == "news":
        state = knowledge.state_named_in(signature)
        if state is not None:
            return Dated(state.country, f"signature line of a reprinted release: {signature!r}")
    source = knowledge.source_for(url=spec.url)
    if source:
        return Dated(source.side, f"host {source.host} in the source registry")
    source = knowledge.source_for(publisher=spec.publisher)
    if source:
        return Dated(source.side, f"publisher {spec.publisher!r} in the source registry")
    return None


URL_DAY_RE = re.compile(r"/(20\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|$|[_-])")
URL_MONTH_RE = re.compile(r"/(20\d\d)/(0[1-9]|1[0-2])/")


def date_in_url(url) -> tuple[Dated | None, str | None]:
    """(publication day, None) or (None, YYYY-MM) from a page's address, as news sites write them."""
    import datetime as dt

    path = urlsplit(str(url)).path
    m = URL_DAY_RE.search(path)
    if m:
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            return Dated(day, f"the page's address ({m.group(0).strip('/')})"), None
        except ValueError:
            pass
    m = URL_MONTH_RE.search(path)
    return None, (f"{m.group(1)}-{m.group(2)}" if m else None)


def process(spec: DocumentSpec, knowledge: Knowledge, sections: SectionTagger, raw: bytes,
            path: Path | None = None, declared: str | None = None, limits: Limits = Limits()) -> DocumentResult:
    check_size(spec.id, raw, limits)
    from pipeline.ingest.pdf import is_pdf, pdf_text

    if is_pdf(raw):  # a PDF's text layer, read as plain text
        text, encoding = pdf_text(spec.id, raw), "PDF text layer (pypdf)"
        declared, path = None, Path(f"{spec.id}.txt")
    else:
        text, encoding = decode(spec, raw, declared)
    path = path or spec.path
    is_html = (path is not None and path.suffix.lower() in (".html", ".htm")) or (
        path is None and text.lstrip()[:1] == "<"
    )
    if is_html:
        from pipeline.ingest.tidy import close_implied

        text = close_implied(text)  # unclosed <p>, <li>, <td> closed as a browser closes them
        check_depth(spec.id, text, limits)
    try:
        parsed = parse_html(text) if is_html else parse_text(text)
    except Exception as exc:  # a parser crash on one page must not stop the corpus
        raise DocumentError(spec.id, f"could not be parsed ({type(exc).__name__}: {exc})") from exc
    if not parsed.blocks:
        raise DocumentError(spec.id, "has no text after removing page furniture; check that it is the article's page")
    blocks = tuple(Block(b.kind, piece, b.links if piece == b.text else ())
                   for b in parsed.blocks for piece in split_long(b.text, limits.max_paragraph))
    if len(blocks) > limits.max_paragraphs:
        raise DocumentError(spec.id, f"has {len(blocks):,} paragraphs, over the limit of {limits.max_paragraphs:,}; "
                                     "split it into several documents")
    extracted, paragraphs = assemble(spec.id, replace(parsed, blocks=blocks))
    language = language_of(spec.language, extracted)
    why = unsupported(language)
    if why:
        raise DocumentError(spec.id, why)
    paragraphs = sections.tag(paragraphs)
    published = Dated(spec.published, "manifest") if spec.published else parsed.published
    month = parsed.month if published is None else None
    if published is None and month is None and spec.url:  # "/2022/03/07/" or "/20220307/" in the address; "/2022/03/" a month
        published, month = date_in_url(spec.url)
    period = spec.period or parsed.period
    period_reason = "manifest" if spec.period else parsed.period_reason
    side = infer_side(spec, knowledge, parsed.signature)
    return DocumentResult(
        spec=spec, text=extracted, sha256=hashlib.sha256(raw).hexdigest(), title=parsed.title,
        side=side, published=published, period=period,
        paragraphs=tuple(paragraphs), period_reason=period_reason,
        relays=parsed.signature if spec.kind == "news" and side is not None else None, encoding=encoding,
        language=language, month=month,
    )


def with_nlp(result: DocumentResult, annotate, docs: list | None = None) -> DocumentResult:
    """Run the language stages (actors, dates, claims) when a pipeline is given (`docs`: the
    paragraphs' spaCy Docs when they were made already)."""
    if annotate is None:
        return result
    mentions, dates, claims, actors = annotate(result, docs) if docs is not None else annotate(result)
    return replace(result, mentions=tuple(mentions), dates=tuple(dates), claims=tuple(claims), actors=tuple(actors))
