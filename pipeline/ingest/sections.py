"""Which country each paragraph is about (its `section`), inferred from its content.

Reviews are organised by country, but conversion to text often loses the country headings.
Each paragraph is scored by the countries its words name (country names, demonyms, capitals,
the people of the gazetteer); Russia and Ukraine, which every paragraph of a review of the
war names, count for little. A paragraph with no clear winner stays in the section of the
paragraph before it; a heading that names no country closes the section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from pipeline.knowledge import Knowledge
from pipeline.records import Paragraph

BACKGROUND = {"RU": 0.2, "UA": 0.2}
EXCLUDING_RE = re.compile(r"\b(?:excluding|except(?: for)?|apart from|other than|not including)\b[^.;:)]*", re.I)


def country_terms(knowledge: Knowledge) -> dict[str, str]:
    terms: dict[str, str] = {}
    for a in knowledge.actors.values():
        if not a.country or a.type in ("media", "organisation"):
            continue
        if a.type in ("state", "territory"):
            for t in (*a.names, *a.adjectives, *a.capitals):
                if len(t) > 3 and t not in ("US", "U.S."):
                    terms.setdefault(t, a.country)
        elif a.type == "person":
            for t in a.names:
                terms.setdefault(t, a.country)
                terms.setdefault(t.split()[-1], a.country)
    return terms


class SectionTagger:
    def __init__(self, knowledge: Knowledge):
        self.terms = country_terms(knowledge)
        alternation = "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True))
        self.rx = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")

    def scores(self, text: str) -> Counter:
        counts: Counter = Counter()
        excluded = [m.span() for m in EXCLUDING_RE.finditer(text)]
        for m in self.rx.finditer(text):
            if any(a <= m.start() < b for a, b in excluded):
                continue  # "(excluding the Baltic states and Georgia)" is not about Georgia
            code = self.terms[m.group(0)]
            weight = BACKGROUND.get(code, 1.0) * (1.5 if m.start() < 120 else 1.0)
            counts[code] += weight
        return counts

    def tag(self, paragraphs: list[Paragraph]) -> list[Paragraph]:
        out: list[Paragraph] = []
        current: str | None = None
        for p in paragraphs:
            counts = self.scores(p.text)
            if p.kind == "heading":
                top = _winner(counts, None)
                current = top
            elif p.kind == "meta":
                out.append(p)
                continue
            else:
                top = _winner(counts, current)
                if top is not None:
                    current = top
            out.append(replace(p, section=current))
        return out


def _winner(counts: Counter, previous: str | None) -> str | None:
    if not counts:
        return None
    ranked = counts.most_common()
    best_score = ranked[0][1]
    tied = [c for c, s in ranked if s == best_score]
    if previous in tied or (previous and counts.get(previous, 0) >= 0.75 * best_score):
        return previous
    if len(tied) > 1:
        return None
    if best_score < 1.0 and previous is not None:
        return previous  # only Russia/Ukraine named: keep the section we are in
    return ranked[0][0]
