"""What one document may cost: bytes, HTML nesting, paragraph length and count, seconds.

Each limit has a default a user can change (`extract --max-bytes`, `--time-budget`); a document
over a limit fails with a message naming the limit, and the others go on."""

from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from pipeline.errors import DocumentError

# Tags whose end tag pages often leave out (the parser closes them itself) and tags with no end.
IMPLICIT_END = {"p", "li", "td", "th", "tr", "dt", "dd", "option", "colgroup", "tbody", "thead", "tfoot",
                "rb", "rt", "rp", "optgroup"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "param", "keygen", "command"}
TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*?(/?)>")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5_000_000  # a long readout page is ~200 KB; the seed review 25 KB
    max_depth: int = 400  # nesting of HTML elements; real pages stay under ~60
    max_paragraph: int = 20_000  # characters; a longer block is split at sentence ends
    max_paragraphs: int = 10_000
    time_budget: float = 300.0  # seconds for one document's stages


def check_size(doc_id: str, raw: bytes, limits: Limits) -> None:
    if len(raw) > limits.max_bytes:
        raise DocumentError(doc_id, f"is {len(raw):,} bytes, over the limit of {limits.max_bytes:,}; "
                                    "raise it with `extract --max-bytes N` if the document is genuine")


def nesting_depth(html: str, implied_closed: bool = False) -> int:
    """The deepest nesting of elements, counted on the tags themselves (no tree is built). With
    `implied_closed` (ingest/tidy.py has written the end tags pages leave out) every element counts;
    otherwise those that pages leave open are not counted."""
    depth = deepest = 0
    for closing, name, self_closing in TAG_RE.findall(html):
        name = name.lower()
        if name in VOID or self_closing or (name in IMPLICIT_END and not implied_closed):
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def check_depth(doc_id: str, html: str, limits: Limits) -> None:
    """A page nested deeper than the limit (its implied end tags written in: ingest/tidy.py)."""
    depth = nesting_depth(html, implied_closed=True)
    if depth > limits.max_depth:
        raise DocumentError(doc_id, f"nests HTML elements {depth} deep, over the limit of {limits.max_depth}; "
                                    "it is not an article page (save the article's own HTML or its text)")


def split_long(text: str, limit: int) -> list[str]:
    """A block longer than `limit` characters as pieces ending at a sentence end (else a space)."""
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > limit // 2 else (window.rfind(" ") if window.rfind(" ") > 0 else limit)
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    pieces.append(text)
    return [p for p in pieces if p]


class OverBudget(BaseException):
    """The time budget ran out: not an Exception, so that no `except Exception` of a stage takes it
    for that stage's own failure ("could not be parsed (OverBudget: )")."""


@contextmanager
def time_budget(doc_id: str, seconds: float):
    """Stop one document's stages after `seconds` (a timer signal in the process doing the work)."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise OverBudget(f"{doc_id}: over the time budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except OverBudget:
        raise DocumentError(doc_id, f"took longer than {seconds:g} s and was stopped; raise the limit with "
                                    "`extract --time-budget SECONDS` if the document is genuine") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
