"""Absolute date strings -> ISO values ("25 February 2022", "February 21 – March 3, 2022",
"25.02.2022 19:05", "2022-02-25T10:00:00+03:00"). Relative expressions live in dates.py."""

from __future__ import annotations

import datetime as dt
import re

from pipeline.lexicon import DATES, alternation

#: month name or abbreviation (lower case) -> its number; Russian forms in every case (knowledge/dates.toml)
MONTHS = {name.lower(): n for lang in ("en", "ru") for n, names in enumerate(DATES[lang]["months"].values(), 1)
          for name in names}
_FULL = [names[0] for names in DATES["en"]["months"].values()]
_SHORT = [short for names in DATES["en"]["months"].values() for short in names[1:]]
_RUSSIAN = [name for names in DATES["ru"]["months"].values() for name in names]
MONTH = (rf"(?:{alternation(_FULL)}|(?:{alternation(_SHORT)})\.?|"
         + "|".join(sorted(_RUSSIAN, key=len, reverse=True)) + r")(?!\w)")
ORDINAL = alternation(DATES["en"]["ordinal_suffixes"])  # "25th"
DASH = r"\s*[-–—]\s*"

ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
DOTTED_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
DMY_RE = re.compile(rf"\b(\d{{1,2}})(?:{ORDINAL})?\s+({MONTH})(?:,?\s+(\d{{4}}))?", re.I)
MDY_RE = re.compile(rf"\b({MONTH})\s+(\d{{1,2}})(?:{ORDINAL})?\b(?:,?\s+(\d{{4}}))?", re.I)
RANGE_RE = re.compile(
    rf"\b({MONTH})\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?{DASH}(?:({MONTH})\s+)?(\d{{1,2}})(?:,?\s+(\d{{4}}))?",
    re.I,
)
RANGE_DMY_RE = re.compile(
    rf"\b(\d{{1,2}})(?:\s+({MONTH}))?(?:\s+(\d{{4}}))?{DASH}(\d{{1,2}})\s+({MONTH})(?:,?\s+(\d{{4}}))?",
    re.I,
)


def month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def make_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str, default_year: int | None = None) -> str | None:
    """The first absolute day-precision date in text, as ISO, or None."""
    best: tuple[int, str] | None = None
    for rx, order in ((ISO_RE, "ymd"), (DOTTED_RE, "dmy-num"), (DMY_RE, "dmy"), (MDY_RE, "mdy")):
        m = rx.search(text)
        if not m:
            continue
        value = _from_match(m, order, default_year)
        if value and (best is None or m.start() < best[0]):
            best = (m.start(), value)
    return best[1] if best else None


def _from_match(m: re.Match, order: str, default_year: int | None) -> str | None:
    if order == "ymd":
        return make_date(int(m[1]), int(m[2]), int(m[3]))
    if order == "dmy-num":
        return make_date(int(m[3]), int(m[2]), int(m[1]))
    if order == "dmy":
        day, month, year = m[1], m[2], m[3]
    else:
        month, day, year = m[1], m[2], m[3]
    year = int(year) if year else default_year
    if year is None:
        return None
    return make_date(year, month_number(month), int(day))


#: whole months and quarters: "March 2022", "February – March 2022", "Q1 2022"
MONTHS_RANGE_RE = re.compile(rf"^\s*({MONTH})(?:{DASH}({MONTH}))?,?\s+(\d{{4}})\s*$", re.I)
QUARTER_RE = re.compile(r"^\s*Q([1-4])\s+(\d{4})\s*$", re.I)
ISO_RANGE_RE = re.compile(rf"^\s*(\d{{4}}-\d{{2}}-\d{{2}}){DASH}(\d{{4}}-\d{{2}}-\d{{2}})\s*$")


def _last_day(year: int, month: int) -> str:
    import calendar

    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def parse_whole_months(text: str) -> tuple[str, str] | None:
    """A period of whole months or a quarter ('March 2022', 'February – March 2022', 'Q1 2022'), or
    two ISO dates, as (start, end); None for anything else."""
    m = MONTHS_RANGE_RE.match(text)
    if m:
        year, first = int(m.group(3)), month_number(m.group(1))
        last = month_number(m.group(2)) if m.group(2) else first
        return (f"{year:04d}-{first:02d}-01", _last_day(year, last)) if first <= last else None
    m = QUARTER_RE.match(text)
    if m:
        q, year = int(m.group(1)), int(m.group(2))
        return f"{year:04d}-{3 * q - 2:02d}-01", _last_day(year, 3 * q)
    m = ISO_RANGE_RE.match(text)
    if m and make_date(*map(int, m.group(1).split("-"))) and make_date(*map(int, m.group(2).split("-"))) \
            and m.group(1) <= m.group(2):
        return m.group(1), m.group(2)
    return None


def parse_range(text: str, default_year: int | None = None) -> tuple[str, str] | None:
    """'February 21 – March 3, 2022' or '21-25 February 2022' -> (start, end) ISO dates; also whole
    months and quarters (parse_whole_months)."""
    whole = parse_whole_months(text)
    if whole:
        return whole
    m = RANGE_RE.search(text)
    if m:
        m1, d1, y1, m2, d2, y2 = m.groups()
        year2 = int(y2) if y2 else (int(y1) if y1 else default_year)
        year1 = int(y1) if y1 else year2
        if year1 is None:
            return None
        start = make_date(year1, month_number(m1), int(d1))
        end = make_date(year2, month_number(m2 or m1), int(d2))
        if start and end and start <= end:
            return start, end
    m = RANGE_DMY_RE.search(text)
    if m:
        d1, m1, y1, d2, m2, y2 = m.groups()
        year2 = int(y2) if y2 else default_year
        year1 = int(y1) if y1 else year2
        if year1 is None:
            return None
        start = make_date(year1, month_number(m1 or m2), int(d1))
        end = make_date(year2, month_number(m2), int(d2))
        if start and end and start <= end:
            return start, end
    return None
