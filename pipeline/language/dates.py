"""Date expressions in a paragraph -> ISO values with precision and a reason.

Absolute forms ("On February 25", "25 February", "February 21 – March 3, 2022", lists) take
their year from the text, else from the document's period or publication date. Relative forms
("the same day", "the next day", "two days later", "four days after the Senate speech",
"Today") resolve against what came before. What cannot be resolved is kept with value None and
the reason, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.language.datetext import DASH, MONTH, ORDINAL, make_date, month_number
from pipeline.lexicon import DATES, alternation

EN, RU = DATES["en"], DATES["ru"]
#: day counts written as words; days from the time of writing, both languages ("yesterday", "накануне")
NUMBERS = dict(EN["numbers"])
SHIFTS = {**EN["days_from_writing"], **RU["days_from_writing"]}
FORWARD = frozenset(EN["forward"])
#: words that put a statement before the time of writing without saying when, both languages
EARLIER = [*EN["earlier_words"], *RU["earlier_words"]]
NUM = rf"(?:\d{{1,2}}|{alternation(NUMBERS)})"
DAY = rf"(\d{{1,2}})(?:{ORDINAL})?"
YEAR = r"(1[89]\d\d|20\d\d)"
_ALT = {key: alternation(words) for key, words in EN.items() if isinstance(words, list)}
_VAGUE = (rf"\b(?:{_ALT['vague_leads']})\s+(?:{_ALT['vague_periods']})\b|\b(?:{_ALT['vague_words']})\b|"
          rf"\b(?:{alternation(EN['vague_earlier'], ' ')}) (?:{_ALT['vague_earlier_periods']})\b")

PATTERNS: list[tuple[str, re.Pattern]] = [
    # ranges first, so that their parts are not read as single dates
    ("range_md_md", re.compile(rf"\b({MONTH})\s+{DAY}(?:,?\s+{YEAR})?{DASH}({MONTH})\s+{DAY}(?:,?\s+{YEAR})?", re.I)),
    ("range_md_d", re.compile(rf"\b({MONTH})\s+{DAY}{DASH}{DAY}(?:,?\s+{YEAR})?(?![\d:])", re.I)),
    ("range_d_d_m", re.compile(rf"\b{DAY}{DASH}{DAY}\s+({MONTH})(?:,?\s+{YEAR})?", re.I)),
    ("range_dm_dm", re.compile(rf"\b{DAY}\s+({MONTH}){DASH}{DAY}\s+({MONTH})(?:,?\s+{YEAR})?", re.I)),
    ("range_months", re.compile(rf"\b({MONTH}){DASH}({MONTH}),?\s+{YEAR}", re.I)),
    ("range_years", re.compile(rf"\b{YEAR}\s*[-–—/]\s*{YEAR}\b")),
    ("md", re.compile(rf"\b({MONTH})\s+{DAY}(?:,?\s+{YEAR})?(?![\d:])", re.I)),
    ("dm", re.compile(rf"\b(?:the\s+)?{DAY}\s+(?:of\s+)?({MONTH})(?:,?\s+{YEAR})?", re.I)),
    ("dotted", re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(20\d\d|19\d\d)\b")),
    ("iso", re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")),
    ("part_month", re.compile(rf"\b({alternation(EN['month_parts'], ' ')})[\s-]+({MONTH})(?:,?\s+{YEAR})?(?!\s*\d)", re.I)),
    ("month_year", re.compile(rf"\b({MONTH}),?\s+{YEAR}\b", re.I)),
    ("same_day", re.compile(rf"\b(?:on\s+)?the\s+(?:{_ALT['same_day']})\s+day\b", re.I)),
    ("next_day", re.compile(rf"\bthe\s+(?:{_ALT['next_day']})\s+day\b", re.I)),
    ("previous_day", re.compile(rf"\bthe\s+(?:{_ALT['previous_day']})\s+day|(?:{_ALT['day_before']})\b", re.I)),
    ("days_after", re.compile(rf"\b({NUM})\s+days?\s+({_ALT['days_after']})\s+(the\s+[\w\s'’-]{{2,60}}?)(?=[,.;:]|\s+(?:{_ALT['anchor_ends']})\b|$)", re.I)),
    ("days_later", re.compile(rf"\b({NUM})\s+days?\s+({_ALT['days_later']})\b", re.I)),
    ("today", re.compile(rf"\b({alternation(SHIFTS)})\b", re.I)),
    ("weekday", re.compile(rf"\bв?о?\s*({alternation(RU['weekdays'])})\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?:{_ALT['weekday_leads']})\s+)?({_ALT['weekdays']})"
                           rf"(?:\s+(?:{_ALT['weekday_parts']}))?\b", re.I)),
    ("vague", re.compile(_VAGUE, re.I)),
    *([("earlier", re.compile(rf"\b(?:{alternation(EARLIER)})\b", re.I))] if EARLIER else []),
    ("year", re.compile(rf"\b(?:{_ALT['year_leads']})\s+(?:the\s+)?{YEAR}\b(?!\s*[-–—]\s*\d)", re.I)),
    ("year", re.compile(rf"(?<=\bthe\s){YEAR}(?=\s+[a-z])")),
]


#: the patterns that begin with a month name: found by trying each only where a month name starts
#: (one pass for the month names, instead of one per pattern: a case-blind alternation is slow)
MONTH_INITIAL = frozenset({"range_md_md", "range_md_d", "range_months", "md", "month_year"})
MONTH_AT = re.compile(rf"\b{MONTH}", re.I)
RELATIVE_FORMS = {"same_day", "next_day", "previous_day", "days_after", "days_later", "today", "weekday"}
#: weekday (lower case, either language) -> its number from Monday
WEEKDAYS = {day.lower(): n for lang in (EN, RU) for n, day in enumerate(lang["weekdays"])}
LEAD_RE = re.compile(rf"(?:{_ALT['leads']})\s+", re.I)


@dataclass(frozen=True)
class Resolved:
    start: int
    end: int
    text: str
    value: str | None
    precision: str | None
    reason: str
    relative: bool = False  # resolved against the time of writing or an earlier date ("on Friday", "the next day")
    earlier: bool = False  # before the time of writing, no day given ("ранее")


class DateContext:
    """What a document's dates resolve against: its period or publication date, and the last date seen."""

    def __init__(self, kind: str, published: str | None, period: tuple[str, str] | None, month: str | None = None):
        self.kind = kind
        self.published = published
        self.month = month  # the document's month when no day is known (its address: /2022/03/)
        self.period = period
        self.last_day: tuple[str, str] | None = None  # (iso, text) of the last day-precision date
        self.history: list[tuple[str, str, str]] = []  # (iso day, sentence text, expression)

    def year_for(self, month: int) -> tuple[int | None, str]:
        if self.period:
            start, end = dt.date.fromisoformat(self.period[0]), dt.date.fromisoformat(self.period[1])
            if start.year == end.year:
                return start.year, f"year from the review period {self.period[0]}..{self.period[1]}"
            year = start.year if month >= start.month else end.year
            return year, f"year from the review period {self.period[0]}..{self.period[1]}"
        if self.published:
            pub = dt.date.fromisoformat(self.published)
            year = pub.year if month <= pub.month + 1 else pub.year - 1
            return year, f"year from the publication date {self.published}"
        if self.month:
            pub_year, pub_month = int(self.month[:4]), int(self.month[5:7])
            year = pub_year if month <= pub_month + 1 else pub_year - 1
            return year, f"year from the document's month {self.month}"
        return None, "no year in the text, and the document has no period or publication date"


def _num(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBERS.get(word.lower())


def scan(text: str, ctx: DateContext) -> list[Resolved]:
    """All date expressions in `text`, resolved in reading order (relative ones use earlier ones)."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, re.Match]] = []
    months = [m.start() for m in MONTH_AT.finditer(text)]
    for name, rx in PATTERNS:
        for m in (_matches_at(rx, text, months) if name in MONTH_INITIAL else rx.finditer(text)):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            found.append((s, e, name, m))
    found.sort()
    ctx.last_day = None  # "the same day" refers within the paragraph, never across paragraphs
    out = []
    for s, e, name, m in found:
        value, precision, reason = _resolve(name, m, ctx, text)
        lead = LEAD_RE.match(text, s, e)
        if lead:
            s = lead.end()
        out.append(Resolved(s, e, text[s:e], value, precision, reason, name in RELATIVE_FORMS, name == "earlier"))
        if precision == "day" and value:
            ctx.last_day = (value, text[s:e])
            ctx.history.append((value, _sentence_around(text, s), text[s:e]))
        elif precision == "range" and value:
            end = value.split("/")[1]
            if len(end) == 10:
                ctx.last_day = (value.split("/")[0], text[s:e])
    return out


def _matches_at(rx: re.Pattern, text: str, starts: list[int]):
    """What rx.finditer(text) gives, for a pattern that can only match where one of `starts` is
    (a month name can hold no word boundary, so no start lies inside another month name)."""
    end = 0
    for pos in starts:
        if pos >= end:
            m = rx.match(text, pos)
            if m:
                yield m
                end = m.end()


def _sentence_around(text: str, pos: int) -> str:
    start = max(text.rfind(". ", 0, pos), 0)
    end = text.find(". ", pos)
    return text[start: end if end != -1 else len(text)]


def _day(ctx: DateContext, month: int, day: int, year: str | None) -> tuple[str | None, str | None, str]:
    if year:
        value = make_date(int(year), month, day)
        return (value, "day", "full date in the text") if value else (None, None, "not a calendar date")
    y, why = ctx.year_for(month)
    if y is None:
        return None, None, why
    value = make_date(y, month, day)
    return (value, "day", why) if value else (None, None, "not a calendar date")


def _resolve(name: str, m: re.Match, ctx: DateContext, text: str) -> tuple[str | None, str | None, str]:
    """(ISO value, precision, reason) of one matched expression, by the kind of its pattern."""
    if name in ("md", "dm", "dotted", "iso"):
        return _absolute(name, m.groups(), ctx)
    if name.startswith("range_"):
        return _range(name, m.groups(), ctx)
    if name in ("part_month", "month_year", "year"):
        return _month_or_year(name, m.groups(), ctx)
    if name == "weekday":
        return _weekday(m, ctx)
    if name == "vague":
        return None, None, f"'{m.group(0)}' names no day that the text lets us resolve"
    if name == "earlier":
        return None, None, f"'{m.group(0)}' puts it before the time of writing without saying when"
    if name in RELATIVE_FORMS:
        return _relative(name, m, ctx)
    return None, None, "unrecognised"


def _absolute(name: str, g: tuple, ctx: DateContext) -> tuple[str | None, str | None, str]:
    """A day written out: "25 February (2022)", "February 25", "25.02.2022", "2022-02-25"."""
    if name in ("md", "dm"):
        month, day, year = (g[0], g[1], g[2]) if name == "md" else (g[1], g[0], g[2])
        return _day(ctx, month_number(month), int(day), year)
    if name == "dotted":
        value = make_date(int(g[2]), int(g[1]), int(g[0]))
        return (value, "day", "full date in the text") if value else (None, None, "not a calendar date")
    value = make_date(int(g[0]), int(g[1]), int(g[2]))
    return (value, "day", "ISO date in the text") if value else (None, None, "not a calendar date")


def _range(name: str, g: tuple, ctx: DateContext) -> tuple[str | None, str | None, str]:
    """Ranges of days, of months with their year, of years."""
    if name == "range_months":
        m1, m2, y = g
        return f"{y}-{month_number(m1):02d}/{y}-{month_number(m2):02d}", "range", "month range with its year"
    if name == "range_years":
        if int(g[1]) < int(g[0]):
            return None, None, "year range whose start is after its end"
        return f"{g[0]}/{g[1]}", "range", "year range in the text"
    if name == "range_md_md":
        m1, d1, y1, m2, d2, y2 = g
    elif name == "range_md_d":
        m1, d1, d2, y2 = g
        m2, y1 = m1, None
    elif name == "range_d_d_m":
        d1, d2, m1, y2 = g
        m2, y1 = m1, None
    else:
        d1, m1, d2, m2, y2 = g
        y1 = None
    end, _, why = _day(ctx, month_number(m2), int(d2), y2)
    if end is None:
        return None, None, why
    start, _, _ = _day(ctx, month_number(m1), int(d1), y1 or end[:4])
    if start is None or start > end:
        return None, None, "range whose start is after its end"
    return f"{start}/{end}", "range", why


def _month_or_year(name: str, g: tuple, ctx: DateContext) -> tuple[str | None, str | None, str]:
    """'in early March (2022)', 'March 2022', 'in 2021'."""
    if name == "part_month":
        month, year = month_number(g[1]), g[2]
        if year:
            return f"{int(year)}-{month:02d}", "month", f"'{g[0]} {g[1]}' with its year: month precision"
        y, why = ctx.year_for(month)
        if y is None:
            return None, None, why
        return f"{y}-{month:02d}", "month", f"'{g[0]} {g[1]}': month precision; {why}"
    if name == "month_year":
        return f"{int(g[1])}-{month_number(g[0]):02d}", "month", "month and year in the text"
    return g[0], "year", "year in the text"


def _relative(name: str, m: re.Match, ctx: DateContext) -> tuple[str | None, str | None, str]:
    """Days counted from an earlier date of the text ('the next day', 'three days after the
    summit') or from the time of writing ('yesterday', 'накануне')."""
    g = m.groups()
    if name in ("same_day", "next_day", "previous_day", "days_later"):
        if ctx.last_day is None:
            return None, None, f"'{m.group(0)}' has no earlier date to refer to"
        base = dt.date.fromisoformat(ctx.last_day[0])
        if name == "days_later":
            n = _num(g[0])
            if n is None:
                return None, None, f"'{m.group(0)}': the number of days is not given"
            shift = n if g[1].lower() in FORWARD else -n
        else:
            shift = {"same_day": 0, "next_day": 1, "previous_day": -1}[name]
        value = (base + dt.timedelta(days=shift)).isoformat()
        return value, "day", f"'{m.group(0)}' relative to {ctx.last_day[1]!r} ({ctx.last_day[0]})"
    if name == "days_after":
        n = _num(g[0])
        anchor = g[2]
        key = _anchor_word(anchor)
        for iso, sentence, expr in reversed(ctx.history):
            if key and re.search(rf"\b{re.escape(key)}", sentence, re.I):
                if n is None:
                    return None, None, f"'{m.group(0)}': the number of days is not given"
                shift = n if g[1].lower() in FORWARD else -n
                value = (dt.date.fromisoformat(iso) + dt.timedelta(days=shift)).isoformat()
                return value, "day", f"{n} days {g[1].lower()} {anchor.strip()!r}, dated {iso} ({expr!r})"
        return None, None, f"'{anchor.strip()}' is not dated earlier in the document"
    if ctx.kind == "review" or not ctx.published:
        return None, None, f"'{g[0]}' in a document with no publication date"
    shift = SHIFTS[g[0].lower()]
    value = (dt.date.fromisoformat(ctx.published) + dt.timedelta(days=shift)).isoformat()
    return value, "day", f"'{g[0]}' relative to the publication date {ctx.published}"


def _weekday(m: re.Match, ctx: DateContext) -> tuple[str | None, str | None, str]:
    """A news item's or readout's weekday is the latest such day on or before its time of writing
    ("last Tuesday" written on a Tuesday: the week before); a review's stays unresolved."""
    if ctx.kind == "review" or not ctx.published:
        return None, None, f"'{m.group(0)}' in a document with no time of writing"
    pub = dt.date.fromisoformat(ctx.published)
    day = m.group(1).lower()
    back = (pub.weekday() - WEEKDAYS[day]) % 7
    if back == 0 and m.group(0).lower().startswith(tuple(EN["week_before"])):
        back = 7
    value = (pub - dt.timedelta(days=back)).isoformat()
    return value, "day", f"'{m.group(0)}': the latest {m.group(1)} on or before the time of writing {ctx.published}"


def _anchor_word(phrase: str) -> str | None:
    """The most telling word of 'the Senate speech' to look for in earlier sentences."""
    words = [w for w in re.findall(r"[\w'’-]+", phrase) if w.lower() not in EN["anchor_skip"]]
    capitalised = [w for w in words if w[0].isupper()]
    if capitalised:
        return capitalised[0]
    return words[-1] if words else None
