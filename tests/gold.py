"""Comparing the pipeline's output with hand-checked lists in tests/data (multisets of rows)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path


def read_tsv(path: Path) -> Counter:
    rows = [tuple(line.rstrip("\n").split("\t")) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return Counter(rows)


def fetch(db: Path, sql: str) -> Counter:
    conn = sqlite3.connect(db)
    try:
        return Counter(tuple("" if v is None else str(v) for v in row) for row in conn.execute(sql))
    finally:
        conn.close()


PERSONS_SQL = """SELECT substr(p.text, 1, 30), m.text, m.actor FROM mentions m
                 JOIN paragraphs p ON p.id = m.paragraph_id WHERE m.label = 'PERSON'"""
DATES_SQL = """SELECT substr(p.text, 1, 30), d.text, d.value FROM dates d
               JOIN paragraphs p ON p.id = d.paragraph_id"""


def score(expected: Counter, got: Counter) -> dict:
    correct = sum((expected & got).values())
    return {
        "expected": sum(expected.values()), "found": sum(got.values()), "correct": correct,
        "precision": correct / max(sum(got.values()), 1), "recall": correct / max(sum(expected.values()), 1),
        "missing": sorted((expected - got).elements()), "extra": sorted((got - expected).elements()),
    }


CLAIMS_SQL = """SELECT substr(p.text, 1, 30), c.quote, coalesce(c.speaker, ''), coalesce(c.reported_by, ''),
                coalesce(c.date, ''), coalesce(c.source, '') FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id
                WHERE coalesce(c.reported_by, '') != 'author'"""
AUTHOR_SQL = """SELECT substr(p.text, 1, 30), c.quote FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id
                WHERE c.reported_by = 'author'"""


def score_claims(gold_path: Path, db: Path) -> dict:
    """A claim is correct when its paragraph and opening match a gold row, its evidence ends where
    the gold row's does, and speaker, side and date all agree; precision over the machine's
    attributed claims, recall over the gold rows. The source is scored apart, on the rows whose
    sentence names a channel: right when it contains one of the gold row's words."""
    gold = [(list(r) + [""] * 7)[:7] for r in read_tsv(gold_path).elements()]
    got = list(fetch(db, CLAIMS_SQL).elements())
    unmatched = list(gold)
    correct, wrong = 0, []
    source_checked = source_right = 0
    for para, quote, speaker, side, date, source in got:
        match = next((g for g in unmatched if g[0] == para and quote.startswith(g[1])), None)
        if match is None:
            wrong.append(("not in gold", para, quote[:60]))
            continue
        unmatched.remove(match)
        end, channel = match[5], match[6]
        if channel and channel != "-":
            source_checked += 1
            if any(word.lower() in source.lower() for word in channel.split("|")):
                source_right += 1
            else:
                wrong.append(("wrong source", quote[:50], source, channel))
        if end and not quote.rstrip().endswith(end.rstrip()):
            wrong.append(("wrong evidence end", quote[:50], quote[-30:], end))
        elif (speaker, side, date) == tuple(match[2:5]):
            correct += 1
        else:
            wrong.append(("wrong fields", quote[:50], (speaker, side, date), tuple(match[2:5])))
    return {"expected": len(gold), "found": len(got), "correct": correct,
            "precision": correct / max(len(got), 1), "recall": correct / max(len(gold), 1),
            "source_checked": source_checked, "source_right": source_right,
            "source_accuracy": source_right / max(source_checked, 1),
            "wrong": wrong, "missing": unmatched}


def score_author(gold_path: Path, db: Path) -> dict:
    """The analyst's own assessments, scored apart from attributed claims: a machine author claim
    is right when it starts a gold sentence in the same paragraph (an optional one is neither
    right nor wrong); recall over the required sentences."""
    gold = [tuple(r) for r in read_tsv(gold_path).elements()]
    got = list(fetch(db, AUTHOR_SQL).elements())
    right, wrong, found = 0, [], set()
    for para, quote in got:
        match = next((g for g in gold if g[0] == para and quote.startswith(g[1])), None)
        if match is None:
            wrong.append(quote[:70])
        elif match[2] == "required":
            right += 1
            found.add(match)
    required = [g for g in gold if g[2] == "required"]
    counted = right + len(wrong)
    return {"expected": len(required), "found": len(got), "correct": right,
            "precision": right / max(counted, 1), "recall": len(found) / max(len(required), 1),
            "wrong": wrong, "missing": [g[1] for g in required if g not in found]}
