"""The citation check (issue 26): a review's attributed claim tied to the corpus document it cites,
and whether that document says what the review says it says.

Which document a claim cites, by the first rule that applies (`cite_rule`):
  link-sentence    a link in the claim's sentence;
  link-paragraph   the only link in the claim's paragraph;
  source-caption   a caption "Source: <site>" right after the paragraph: the one document from that
                   site that matches the claim's date and the countries it names;
  channel-named    the claim's side came from a channel it names ("according to the Kremlin"): the
                   one document of that side that matches its date and countries.
A link or caption whose page is not in the corpus gives `unavailable`; a named channel with no
matching document gives no citation (the review need not cite it).

What the document says (`citation_status`): the cited document's claims are compared with the
review claim by their content keys (claim_content.py: lemmas, Russian ones mapped to English through
knowledge/concepts.toml, so an English review checks a Russian readout), as the event stage compares
two sides' accounts. `supported` when the best one carries most of the review claim's content,
`partial` when it carries some, `differs` when the matching statement is negated, dated otherwise or
takes the other stance, `not_found` when none does.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from urllib.parse import urlparse

from pipeline.config import KNOWLEDGE_DIR
from pipeline.records import Claim, DocumentResult, Mention

RULES = ("link-sentence", "link-paragraph", "source-caption", "channel-named", "reviewer")
STATUSES = ("supported", "partial", "not_found", "differs", "unavailable")
SUPPORTED = 0.6  # share of the review claim's content words the cited statement carries: clearly more than half
PARTIAL = 0.2  # the event stage's SHARED: one content word in five

_WORDS = tomllib.loads((KNOWLEDGE_DIR / "citations.toml").read_text(encoding="utf-8"))
_STANCE = tomllib.loads((KNOWLEDGE_DIR / "stance.toml").read_text(encoding="utf-8"))
#: the stance rules' negation words, English and Russian (knowledge/stance.toml)
NEGATIONS = frozenset(_STANCE["predicates"]["negations"]) | frozenset(_STANCE["ru"]["predicates"]["negations"])
WORD_RE = re.compile(r"[\w’']+")
CAPTION_RE = re.compile(
    r"(?:^|[.\s])(?:" + "|".join(re.escape(w) for lang in _WORDS.values() for w in lang["caption_words"])
    + r")\s*:\s*(?P<site>[\w.-]+\.[^\W\d_]{2,})\W*$", re.I)
SENTENCE_END = re.compile(r"[.!?…][\"'”»)]?\s+")


@dataclass(frozen=True)
class Citation:
    cites_doc: str | None
    cite_rule: str
    #: what check() found in the cited document; a citation with no document stays `unavailable`
    status: str = "unavailable"
    cite_paragraph: str | None = None
    cite_claim: str | None = None
    score: float | None = None

    def fields(self) -> dict:
        return {"cites_doc": self.cites_doc, "cite_rule": self.cite_rule, "cite_paragraph": self.cite_paragraph,
                "cite_claim": self.cite_claim, "citation_status": self.status, "citation_score": self.score}


EMPTY = {"cites_doc": None, "cite_rule": None, "cite_paragraph": None, "cite_claim": None,
         "citation_status": None, "citation_score": None}


def normal_url(url: str) -> str:
    """A url as pages write it many ways: no scheme, no www., no fragment, no trailing slash."""
    parts = urlparse(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


def host_of(url: str | None) -> str:
    return (urlparse(url or "").hostname or "").lower().removeprefix("www.")


@dataclass
class Cited:
    """What the check needs of one corpus document that a review may cite."""

    result: DocumentResult
    claims: list[Claim]
    dates: set[str]
    countries: set[str]


class Citations:
    def __init__(self, results: list[DocumentResult], claims: list[Claim], mentions: list[Mention]) -> None:
        self.results = {r.spec.id: r for r in results}
        self.mentions: dict[str, list[Mention]] = {}
        for m in mentions:
            self.mentions.setdefault(m.paragraph_id, []).append(m)
        by_doc: dict[str, list[Claim]] = {}
        for c in claims:
            by_doc.setdefault(c.doc_id, []).append(c)
        self.docs: dict[str, Cited] = {}
        self.by_url: dict[str, str] = {}
        for r in results:
            if r.spec.kind == "review":
                continue
            own = [c for c in by_doc.get(r.spec.id, []) if c.status != "rejected"]
            dates = {c.date for c in own if c.date} | ({r.published.value} if r.published else set())
            countries = {m.country for p in r.paragraphs for m in self.mentions.get(p.id, []) if m.country}
            countries |= {p for c in own for p in c.participants}
            self.docs[r.spec.id] = Cited(r, own, dates, countries)
            if r.spec.url:
                self.by_url[normal_url(r.spec.url)] = r.spec.id

    # --- which document ---------------------------------------------------------------------
    def cite(self, claim: Claim) -> Citation | None:
        """The document a review's claim cites, by the first rule that applies (the analyst's own
        claims cite nothing: cite_all leaves them out); what it says is check()'s."""
        review = self.results.get(claim.doc_id)
        if review is None:
            return None
        paragraphs = list(review.paragraphs)
        at = next((i for i, p in enumerate(paragraphs) if p.id == claim.paragraph_id), None)
        if at is None:
            return None
        p = paragraphs[at]
        s, e = sentence_bounds(p.text, claim.start, claim.end)
        links = [link for link in p.links if urlparse(link.href).scheme in ("http", "https")]
        in_sentence = [link for link in links if s <= link.start < e]
        if in_sentence:
            return self._linked(in_sentence, "link-sentence")
        if len(links) == 1:
            return self._linked(links, "link-paragraph")
        site = caption_site(paragraphs[at + 1:at + 3])
        if site:
            return self._by_site(claim, site)
        if claim.side_rule == "channel" and claim.reported_by is not None:
            doc = self._one_matching(claim, [d for d in self.docs.values()
                                             if d.result.side and d.result.side.value == claim.reported_by])
            if doc is not None:
                return Citation(doc.result.spec.id, "channel-named")
        return None

    def _linked(self, links, rule: str) -> Citation:
        for link in links:
            doc_id = self.by_url.get(normal_url(link.href))
            if doc_id:
                return Citation(doc_id, rule)
        return Citation(None, rule)

    def _by_site(self, claim: Claim, site: str) -> Citation:
        site = site.lower().removeprefix("www.")
        pool = [d for d in self.docs.values()
                if host_of(d.result.spec.url) == site or host_of(d.result.spec.url).endswith("." + site)]
        doc = self._one_matching(claim, pool)
        return Citation(doc.result.spec.id if doc else None, "source-caption")

    def _one_matching(self, claim: Claim, pool: list[Cited]) -> Cited | None:
        """The one document of `pool` about the claim's day (its date among the document's), the
        countries the claim names deciding between several; None when none, or several fit alike."""
        if claim.date:
            pool = [d for d in pool if any(x == claim.date or x.startswith(claim.date) for x in d.dates)]
        if len(pool) <= 1:
            return pool[0] if pool else None
        named = self._countries(claim)
        scored = sorted(((len((named - {d.result.side.value if d.result.side else None}) & d.countries), n, d)
                         for n, d in enumerate(pool)), key=lambda x: (-x[0], x[1]))
        if scored[0][0] == 0 or scored[0][0] == scored[1][0]:
            return None
        return scored[0][2]

    def _countries(self, claim: Claim) -> set[str]:
        inside = {m.country for m in self.mentions.get(claim.paragraph_id, [])
                  if m.country and claim.start <= m.start < claim.end}
        return inside | set(claim.participants)

    # --- what the document says --------------------------------------------------------------
    def check(self, claim: Claim, citation: Citation) -> Citation:
        if citation.cites_doc is None:
            return citation
        cited = self.docs[citation.cites_doc]
        side = cited.result.side.value if cited.result.side else None
        words, parties = stems(claim.content), third_parties(claim.content, side)
        best, key = None, (0.0, 0)
        for other in cited.claims:
            k = (overlap(words, stems(other.content)), len(parties & third_parties(other.content, side)))
            if k > key:
                best, key = other, k
        score, shared_parties = key
        if not words and parties:  # it says only that the call took place, and on what: the topic is all
            score = shared_parties / len(parties)
        if best is None or (score < PARTIAL and not shared_parties):
            return Citation(citation.cites_doc, citation.cite_rule, "not_found", score=round(score, 2))
        if negated(claim) != negated(best) or _other_day(claim, best) or _other_stance(claim, best):
            status = "differs"
        else:
            status = "supported" if score >= SUPPORTED else "partial"
        return Citation(citation.cites_doc, citation.cite_rule, status, best.paragraph_id, best.id, round(score, 2))


def stems(content) -> set[str]:
    """Content words cut to their first six letters ("recognise" and "recognition" meet); the
    countries and bodies a statement names are counted apart (third_parties)."""
    return {w[:6] for w in content if not w.startswith("@") and not w.startswith("not ")} | \
        {"not " + w[4:10] for w in content if w.startswith("not ")}


def third_parties(content, side: str | None) -> set[str]:
    """The countries and bodies a statement names besides the cited document's own side."""
    return {w for w in content if w.startswith("@") and w != f"@{side}"}


def overlap(mine: set[str], theirs: set[str]) -> float:
    """The share of the review claim's content words the other statement carries."""
    return len(mine & theirs) / len(mine) if mine else 0.0


def negated(claim: Claim) -> bool:
    """Does the statement say that something is not so ("would not recognise", "не рассматривается")?"""
    if any(w.startswith("not ") for w in claim.content):
        return True
    return any(w in NEGATIONS or w.endswith(("n't", "n’t")) for w in WORD_RE.findall(claim.quote.lower()))


def _other_day(a: Claim, b: Claim) -> bool:
    return bool(a.date and b.date and len(a.date) == 10 and len(b.date) == 10 and a.date != b.date)


def _other_stance(a: Claim, b: Claim) -> bool:
    return {a.stance, b.stance} == {"supports", "opposes"}


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]: from after the last sentence end before it to the next
    sentence end at or after its end."""
    s = 0
    for m in SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    m = SENTENCE_END.search(text, max(start, end - 1))
    return s, (m.end() if m else len(text))


def caption_site(following) -> str | None:
    """The site a caption line right after the paragraph names ("... Source: akorda.kz")."""
    for p in following:
        m = CAPTION_RE.search(p.text)
        if m:
            return m.group("site")
        if p.kind != "caption" and len(p.text) > 200:
            return None
    return None


def cite_all(results: list[DocumentResult], claims: list[Claim], mentions: list[Mention]) -> dict[str, dict]:
    """claim id -> its citation columns, for every attributed claim of every review. A reviewer's
    values (curation: `cites_doc`, `citation_status` set by a decision) beat the machine's, as every
    human decision does: a document set by hand is checked as cited `by reviewer`, a status set by
    hand stays."""
    reviews = {r.spec.id for r in results if r.spec.kind == "review"}
    by_hand = [c for c in claims if c.cites_doc or c.citation_status]
    if not reviews and not by_hand:
        return {}
    index = Citations(results, claims, mentions)
    out = {}
    for c in claims:
        found = None
        if c.cites_doc and c.cites_doc in index.docs:
            found = Citation(c.cites_doc, "reviewer")
        elif c.doc_id in reviews and c.reported_by != "author" and c.status != "rejected":
            found = index.cite(c)
        if found is not None:
            found = index.check(c, found)
        if c.citation_status:
            found = replace(found or Citation(None, "reviewer"), status=c.citation_status)
        if found is not None:
            out[c.id] = found.fields()
    return out
