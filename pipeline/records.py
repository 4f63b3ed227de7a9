"""Frozen records passed between stages. Offsets always index the text stored with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("review", "readout", "statement", "news")
BLOCK_KINDS = ("heading", "paragraph", "list_item", "chronology", "caption", "meta")


@dataclass(frozen=True)
class DocumentSpec:
    """One manifest entry, validated."""

    id: str
    kind: str
    path: Path | None
    url: str | None = None
    publisher: str | None = None
    side: str | None = None
    published: str | None = None
    period: tuple[str, str] | None = None
    language: str | None = None  # ISO 639-1, when the manifest gives it


@dataclass(frozen=True)
class Link:
    start: int  # offsets in the block's text
    end: int
    text: str
    href: str


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Dated:
    """A value found in the document with the reason it was chosen."""

    value: str
    reason: str


@dataclass(frozen=True)
class ParsedDocument:
    blocks: tuple[Block, ...]
    title: str | None = None
    published: Dated | None = None
    period: tuple[str, str] | None = None
    period_reason: str | None = None
    signature: str | None = None  # "Press Service of ...": the page reprints that office's release
    month: str | None = None  # YYYY-MM when the page gives only the month of publication


@dataclass(frozen=True)
class Paragraph:
    id: str
    doc_id: str
    seq: int
    kind: str
    start: int  # offsets in the document's extracted text
    end: int
    text: str
    section: str | None = None
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Mention:
    doc_id: str
    paragraph_id: str
    start: int  # offsets in the paragraph's text
    end: int
    text: str
    label: str
    actor_id: str | None
    actor: str | None
    country: str | None
    reason: str


@dataclass(frozen=True)
class DateMention:
    doc_id: str
    paragraph_id: str
    start: int
    end: int
    text: str
    value: str | None  # ISO date, month, year or "start/end" range
    precision: str | None  # day | month | year | range
    reason: str


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    country: str | None
    local: bool = False


@dataclass(frozen=True)
class Claim:
    id: str
    doc_id: str
    paragraph_id: str
    start: int
    end: int
    quote: str
    text: str
    speaker: str | None
    speaker_id: str | None
    reported_by: str | None
    source: str | None
    date: str | None
    kind: str | None = None  # the event kind the claim is about: call, meeting, statement
    participants: tuple[str, ...] = ()  # countries taking part in the event the claim is about
    participant_names: tuple[str, ...] = ()
    confirmation: str | None = None
    stance: str | None = None
    stance_rule: str | None = None  # which stance rule gave the machine's stance (knowledge/stance.toml)
    cue: str | None = None
    event_id: str | None = None
    status: str = "proposed"
    reviewer: str | None = None  # who made the latest human decision on the claim
    content: tuple[str, ...] = ()  # what the statement says, for comparing two sides' accounts (events.py)
    date_basis: str | None = None  # how the date was reached: stated, relative, scene, document, month; earlier with no date (claim_dates)
    side_rule: str | None = None  # why reported_by is that side (claims/account.py SIDE_RULES)
    language: str | None = None  # ISO 639-1 of the document the evidence is in
    lemmas: str | None = None  # a Russian claim's lemmas, so that search finds every case form of a word
    origin: str = "extractor"  # or "reviewer": a claim a reviewer added
    cites_doc: str | None = None  # a reviewer's citation: the document the claim cites (claims/citations.py)
    citation_status: str | None = None  # a reviewer's verdict on it; the machine's are computed after curation


@dataclass(frozen=True)
class DocumentResult:
    """Everything extracted from one document."""

    spec: DocumentSpec
    text: str
    sha256: str
    title: str | None
    side: Dated | None
    published: Dated | None
    period: tuple[str, str] | None
    paragraphs: tuple[Paragraph, ...]
    mentions: tuple[Mention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    claims: tuple[Claim, ...] = ()
    actors: tuple[Actor, ...] = field(default=())
    period_reason: str | None = None
    relays: str | None = None  # the office whose release a news page reprints (its signature line)
    month: str | None = None  # YYYY-MM of the document when its day is not known (from its address)
    encoding: str | None = None  # how the bytes were decoded, and why
    language: Dated | None = None  # ISO 639-1 and why (manifest, or detected: ingest/language.py)
    stale: str | None = None  # this run's extraction failed (the reason); this is the last good one, kept
