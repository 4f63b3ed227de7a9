"""When a statement was made: the sentence's own date, the scene it belongs to, an event named
before ("the meeting"), or a date given after the fact. The date expressions come from dates.py.

Every date comes with its basis (GUIDE.md's order): `stated` (a date in the sentence), `relative`
(a weekday, today, yesterday, against the document's time), `scene` (carried from the scene or the
call the sentence belongs to), `document` (no time words: the document's own time), `month` (only
the month is fixed); None with a null date."""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.lexicon import DATES, OWNER_HEADS, PERSONAL_HEADS, REPORT_VERBS, alternation
from pipeline.records import Claim

#: nouns of an event a statement is dated by, a reference back to one ("the meeting"), habitual
#: adverbs (knowledge/dates.toml)
EVENT_NOUNS = rf"({alternation(DATES['en']['event_nouns'])})"
EVENT_NOUN_RE = re.compile(rf"\b{EVENT_NOUNS}\b", re.I)
ANAPHOR_RE = re.compile(rf"\b(?:{alternation(DATES['en']['event_anaphors'])})\s+(?:[\w-]+\s+){{0,2}}{EVENT_NOUNS}\b", re.I)
HABITUAL_RE = re.compile(rf"\b(?:{alternation(DATES['en']['habitual'])})\b", re.I)

def own_time(d) -> bool:
    """A date expression that dates its sentence (a day, a month, a span of days, a vague "last
    week") rather than mentioning history ("the 1992-1993 war", "in 2020")."""
    if d.value is None:
        return True
    return d.precision in ("day", "month") or (d.precision == "range" and len(d.value.split("/")[0]) >= 7)


BASES = ("stated", "relative", "scene", "document", "month", "earlier")


def basis(value: str | None, how: str | None) -> str | None:
    """The basis of a date: `month` whenever only the month is fixed, else how it was reached."""
    if not value:
        return None
    return "month" if len(value) == 7 else how


def said_earlier(sent, dates) -> bool:
    """The reporting verb itself put before the time of writing, no day given ("Ранее X заявлял, что
    ..."): not the day's statement. A word of the same kind inside what is said ("По словам X, ранее
    ... начали ...") dates the content, not the statement."""
    for d in dates:
        if d.earlier and sent.start_char <= d.start < sent.end_char:
            tok = next((t for t in sent if t.idx == d.start), None)
            if tok is not None and tok.head.lemma_.lower() in REPORT_VERBS:
                return True
    return False


def _own(sent_start: int, sent_end: int, dates):
    inside = [d for d in dates if sent_start <= d.start < sent_end and d.value and d.precision in ("day", "month")]
    if not inside or len(inside) > 2:
        return None  # a list of dates ("statements on February 24, 25, ...") is no one date
    return inside[0]


def sentence_date(sent_start: int, sent_end: int, dates) -> tuple[str | None, bool]:
    """The sentence's own date, and whether it opens the sentence ("On February 25, ...")."""
    d = _own(sent_start, sent_end, dates)
    return (d.value, d.start - sent_start <= 4) if d is not None else (None, False)



def clause_dates(sent, dates):
    """The date expressions of the sentence's own clauses: one inside a relative or participial
    clause of a noun ("the meeting held yesterday", "trade, which grew last year") dates that
    noun, not the sentence."""
    out = []
    for d in dates:
        if not (sent.start_char <= d.start < sent.end_char):
            out.append(d)
            continue
        tok = next((t for t in sent if t.idx <= d.start < t.idx + len(t.text) + 1), None)
        chain = [tok, *tok.ancestors] if tok is not None else []
        deps = {t.dep_ for t in chain}
        if any(t.dep_ in ("relcl", "acl") and not any(x.pos_ == "VERB" and x.lemma_.lower() in REPORT_VERBS for x in t.subtree)
               and not (t.dep_ == "acl" and t.head.lemma_.lower() in OWNER_HEADS) for t in chain):
            continue  # but "a readout published on 28 February" dates the channel's statement
        if d.value is None and deps & {"ccomp", "advcl", "xcomp"}:
            continue  # "said that X would host a summit next year": the content's time, not the statement's
        if _in_argument(chain):
            continue  # "the visit ... in January 2022 ... were noted": the date of what is talked about
        out.append(d)
    return out



def _in_argument(chain) -> bool:
    """Is a date inside the subject or object of a verb (a noun phrase the statement is about),
    rather than an adverbial of the verb? A channel's own date ("the statement of 2 March") counts
    as the statement's."""
    for t in chain[1:]:
        if t.pos_ in ("VERB", "AUX"):
            return False
        if t.dep_ in ("nsubj", "nsubjpass", "dobj") and t.head.pos_ in ("VERB", "AUX"):
            return t.lemma_.lower() not in OWNER_HEADS | PERSONAL_HEADS
    return False


class StatementDates:
    """What dates one document's statements beyond their own sentence: the events it has dated so
    far, and dates given after the fact ("X made the statement ... on 9 April")."""

    def __init__(self) -> None:
        self.dated_events: list[tuple[str, str]] = []
        self.backdate: dict[str, str] = {}  # speaker id -> the date of their words so far

    def date_for(self, sent_start: int, sent_end: int, dates, text: str = "", speaker: str | None = None,
                  scene: dict | None = None, earlier: bool = False) -> tuple[str | None, str | None]:
        """The sentence's own date; else the date of the same speaker's earlier statement in the
        paragraph, or of a sentence that opened with a date and so set the scene ("On February 25,
        a call took place. According to the Kremlin, ..."); else the date of an event named with a
        definite article ("the meeting") earlier. Habitual statements take no date from context.
        (date, basis); (None, "earlier") for a statement said_earlier, which no later step dates."""
        own = _own(sent_start, sent_end, dates)
        if own is not None:
            return own.value, basis(own.value, "relative" if getattr(own, "relative", False) else "stated")
        if HABITUAL_RE.search(text) or any(sent_start <= d.start < sent_end and own_time(d) for d in dates):
            # the sentence has a time of its own ("last week", a list of days): never another's
            return None, "earlier" if earlier else None
        if scene is not None:
            if speaker and speaker in scene["speakers"]:
                return scene["speakers"][speaker], basis(scene["speakers"][speaker], "scene")
            if scene["opening"]:
                return scene["opening"], basis(scene["opening"], "scene")
        m = ANAPHOR_RE.search(text)
        if m:
            noun = m.group(1).lower()
            for kind_noun, date in reversed(self.dated_events):
                if kind_noun == noun:
                    return date, basis(date, "scene")
        return None, None

    def remember(self, text: str, date: str | None) -> None:
        if date and len(date) == 10:
            for noun in EVENT_NOUN_RE.findall(text):
                self.dated_events.append((noun.lower(), date))

    def apply_backdates(self, claims: list[Claim]) -> list[Claim]:
        """After the last paragraph: a date given after the fact ("X made the statement at the
        press conference on 9 April") dates that speaker's undated claims before it."""
        return [replace(c, date=self.backdate[c.speaker_id], date_basis=basis(self.backdate[c.speaker_id], "stated"))
                if c.date is None and c.speaker_id in self.backdate else c for c in claims]
