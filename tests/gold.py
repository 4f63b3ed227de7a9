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
                coalesce(c.date, '') FROM claims c JOIN paragraphs p ON p.id = c.paragraph_id
                WHERE coalesce(c.reported_by, '') != 'author'"""


def score_claims(gold_path: Path, db: Path) -> dict:
    """A claim is correct when its paragraph and opening match a gold row and speaker, side and
    date all agree; precision over the machine's attributed claims, recall over the gold rows."""
    gold = [r for r in read_tsv(gold_path).elements()]
    got = list(fetch(db, CLAIMS_SQL).elements())
    unmatched = list(gold)
    correct, wrong = 0, []
    for para, quote, speaker, side, date in got:
        match = next((g for g in unmatched if g[0] == para and quote.startswith(g[1])), None)
        if match is None:
            wrong.append(("not in gold", para, quote[:60]))
            continue
        unmatched.remove(match)
        if (speaker, side, date) == tuple(match[2:5]) + ("",) * (5 - len(match)) or (speaker, side, date) == tuple((list(match[2:]) + ["", "", ""])[:3]):
            correct += 1
        else:
            wrong.append(("wrong fields", quote[:50], (speaker, side, date), tuple(match[2:])))
    return {"expected": len(gold), "found": len(got), "correct": correct,
            "precision": correct / max(len(got), 1), "recall": correct / max(len(gold), 1),
            "wrong": wrong, "missing": unmatched}
