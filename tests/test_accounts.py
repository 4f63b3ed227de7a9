"""Whose account a news item's sentence is, and when it was made (issue 20): date_basis and
side_rule on every claim. Every text here is written for these tests in our own words; none is
a real publication."""

import json

import pytest

NEWS = """[[document]]
id = "item"
path = "item.txt"
kind = "news"
{extra}
"""


def claims_of(tmp_path, run, text: str, extra: str = 'published = "2023-06-15"', kind: str = "news") -> list[dict]:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "item.txt").write_text(text, encoding="utf-8")
    (corpus / "manifest.toml").write_text(NEWS.format(extra=extra).replace('"news"', f'"{kind}"'), encoding="utf-8")
    done = run("extract", "--processes", "1", corpus=corpus)
    assert done.exit_code == 0, done.output
    out = tmp_path / "claims.jsonl"
    assert run("export", "claims", "--format", "jsonl", "-o", str(out), corpus=corpus).exit_code == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def claim_with(claims: list[dict], words: str) -> dict:
    found = [c for c in claims if words in c["quote"]]
    assert len(found) == 1, f"{words!r} in {[c['quote'] for c in claims]}"
    return found[0]


def test_a_quotation_carried_into_a_shorter_paragraph_keeps_its_speaker(tmp_path, run):
    # the attributing verb stands far into the first paragraph; the next paragraph is a short quotation
    text = ("Speaking to reporters in the capital after a long day of meetings with foreign delegations and "
            "business leaders from across the region, President Kassym-Jomart Tokayev said that Kazakhstan "
            "would keep its position.\n\n\"We will not take sides in this conflict.\"\n")
    claims = claims_of(tmp_path, run, text)
    assert claim_with(claims, "We will not take sides")["speaker"] == "Kassym-Jomart Tokayev"
