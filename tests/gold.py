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
