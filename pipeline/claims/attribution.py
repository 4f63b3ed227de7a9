"""Attribution records and the quotation spans of a paragraph."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.language.doctext import doc_text
from pipeline.records import Mention


@dataclass
class Attribution:
    speaker_id: str | None
    speaker: str | None
    reported_by: str | None
    source: str | None
    also: tuple[str, ...] = ()  # "the Ministries of Tajikistan and Uzbekistan posted": one claim per side
    relay: bool = False  # a channel speaks (a press service, a readout), not a person in their own words
    verb: int | None = None  # token index of the attributing verb


@dataclass
class Discourse:
    """What carries from sentence to sentence: within a review's paragraph, or across a news item."""

    last: Attribution | None = None
    last_person: Mention | None = None
    last_state: Mention | None = None
    people: list = field(default_factory=list)  # persons named so far, latest last
    institutions: list = field(default_factory=list)  # ministries, offices, services named so far, latest last
    event: tuple | None = None
    event_lead: str | None = None  # the side of the participant the event sentence names first
    relay: Attribution | None = None  # the channel whose account the text is relaying
    scene: dict = field(default_factory=lambda: {"opening": None, "speakers": {}})
    source_line: Attribution | None = None  # "Source: Zelenskyy on Telegram": whose a labelled quotation is
    quote_runs_on: Attribution | None = None  # a person's quotation left open at a paragraph's end
    quote_ran: int = 0  # paragraphs without a mark it has run on (a closing mark lost in a page ends it)
    announced: Attribution | None = None  # "X released a statement as follows:" at a paragraph's end
    announced_date: tuple = (None, None)  # and the (date, basis) of the sentence that announced it


#: opening marks and the marks that close them: English curly and straight quotes close each other
#: (as pages mix them); guillemets, as Russian and Central Asian outlets use them even in English, close
#: only with their own mark, so that a quotation nested inside them („ “) does not end them
CLOSERS = {"“": "”\"", '"': "”\"", "«": "»", "„": "“”\""}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, curly, straight or in guillemets, in reading order; one still
    open at the paragraph's end runs to its end (it closes in a later paragraph). Guillemets nest: a
    name in guillemets inside a quotation in guillemets does not end it."""
    spans: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    inner = 0  # guillemets opened inside a quotation in guillemets («… режим «Ковер», и …»), still open
    for i, ch in enumerate(text):
        if opened is not None:
            if ch == "«" and opened[1] == "»":
                inner += 1
            elif ch == "»" and inner:
                inner -= 1
            elif ch in opened[1]:
                spans.append((opened[0], i + 1))
                opened = None
            elif ch == "’" and text[i + 1:i + 2] == "’" and opened[1] != "»":  # ’’ typed for a closing mark
                spans.append((opened[0], i + 2))
                opened = None
        elif ch in CLOSERS:
            opened = (i, CLOSERS[ch])
        elif ch in "”»" and not spans:  # (an opening mark before it would have opened and closed a span)
            spans.append((0, i + 1))  # a quotation that goes on from the paragraph before (its mark is there)
    if opened is not None:
        spans.append((opened[0], len(text)))  # a quotation that goes on into the next paragraph
    return spans


def content_parts(sent, verb_i: int | None, start: int, end: int) -> list[tuple[int, int]]:
    """'X said that A and that B': two statements, one claim each; otherwise the whole span."""
    if verb_i is None:
        return [(start, end)]
    verb = sent.doc[verb_i]
    for comp in verb.children:
        if comp.dep_ != "ccomp":
            continue
        for conj in comp.children:
            mark = [c for c in conj.children if c.dep_ == "mark" and c.lower_ == "that"]
            if conj.dep_ == "conj" and mark and mark[0].i > comp.i:
                cut = mark[0].idx
                cc = [c for c in comp.children if c.dep_ == "cc" and c.i < mark[0].i]
                first_end = (cc[-1].idx if cc else cut)
                first_end = start + len(doc_text(sent.doc)[start:first_end].rstrip(" ,"))
                if start < first_end < cut < end:
                    return [(start, first_end), (cut, end)]
    return [(start, end)]
