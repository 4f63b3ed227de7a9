"""Property-based tests (hypothesis): offsets hold for any text, and a decision finds its evidence
again after random edits around it (issue 11). The sentences are written for these tests."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.curation import Target, locate, new_decision
from pipeline.ingest.parse import assemble, parse_html, parse_text
from pipeline.limits import split_long

TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
LINES = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=120), max_size=12)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_every_paragraph_of_any_text_indexes_the_extracted_text(raw):
    extracted, paragraphs = assemble("doc", parse_text(raw))
    for p in paragraphs:
        assert extracted[p.start:p.end] == p.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_every_paragraph_of_any_page_indexes_the_extracted_text(lines):
    from html import escape

    page = "<html><body><article>" + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</article></body></html>"
    parsed = parse_html(page)
    extracted, paragraphs = assemble("doc", parsed)
    for p in paragraphs:
        assert extracted[p.start:p.end] == p.text
        for link in p.links:
            assert p.text[link.start:link.end] == link.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .?!", max_size=3000), st.integers(min_value=20, max_value=400))
def test_long_blocks_split_into_bounded_pieces_that_keep_every_word(text, limit):
    pieces = split_long(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert " ".join(pieces).split() == text.split()


SENTENCES = [
    "The Kazakh foreign ministry said the talks in Astana were constructive.",
    "Moscow insisted that the operation was going according to plan.",
    "The Uzbek president called for an early ceasefire and negotiations.",
    "Georgia announced a second shipment of humanitarian aid on Tuesday.",
    "The Armenian prime minister declined to comment on the border incident.",
    "Officials in Bishkek reported that the supply of fuel had been restored.",
]
FILLER = st.text(alphabet="abcdefghij ,.", min_size=1, max_size=40)


def spans(sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    text, out = "", []
    for s in sentences:
        if text:
            text += " "
        out.append((len(text), len(text) + len(s)))
        text += s
    return text, out


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(SENTENCES) - 1), st.lists(st.tuples(st.integers(0, len(SENTENCES)), FILLER), max_size=4),
       st.booleans(), st.integers(0, 10_000))
def test_a_decision_finds_its_evidence_after_edits_around_it(k, insertions, typo, where):
    text, targets = spans(SENTENCES)
    start, end = targets[k]
    decision = new_decision("doc", "reject", "claim", f"old-{k}", text, start, end)
    edited = list(SENTENCES)
    if typo:  # a word changed inside the quote itself: found by the fuzzy match
        s = edited[k]
        i = where % len(s)
        edited[k] = s[:i] + ("x" if s[i] != "x" else "y") + s[i + 1:]
    expected = edited[k]
    for position, filler in sorted(insertions, reverse=True):  # text inserted between sentences
        edited.insert(position, filler.strip() or "and")
    new_text, new_spans = spans(edited)
    # new ids for every target, as after a rule change: the decision must find its evidence by text
    targets = [Target(f"new-{i}", s, e) for i, (s, e) in enumerate(new_spans)]
    found, how = locate(decision, targets, new_text)
    assert found is not None, how
    assert new_text[found.start:found.end] == expected
