"""Re-anchoring's rules one by one (pipeline/curation/anchoring.py): where a decision lands in a
document whose words changed. Sentences written for the tests. Where a rule is a threshold, the
fuzzy scores are scripted (a stand-in for rapidfuzz's `ratio`) so that a case sits exactly on it:
a decision's score is 0.6 x quote + 0.15 x prefix + 0.15 x suffix + 10 x (1 - distance / length),
and it lands at 75 or more (issue 25: these tests come from the mutants a run left alive)."""

import pytest

from pipeline.curation import Target, TargetIndex, anchoring, new_decision, span_in_text
from pipeline.ingest.parse import normalise

OLD = "The minister said the talks went well."
NEW = "The minister said the talks went badly."
BEFORE = "Intro words before it. "     # shorter than the 32 characters of context a decision keeps
AFTER = " Closing words after it."


class Scripted:
    """rapidfuzz's fuzz whose ratio gives scripted values: `q` for a target's quote against the
    decision's, `p` and `s` for the text before and after a target against the decision's prefix
    and suffix. Any other comparison is a failure; the texts compared are recorded."""

    def __init__(self, decision, q: float, p: float | None = None, s: float | None = None):
        self.by_reference = {normalise(decision.exact): ("quote", q)}
        if p is not None:
            self.by_reference[normalise(decision.prefix)] = ("prefix", p)
        if s is not None:
            self.by_reference[normalise(decision.suffix)] = ("suffix", s)
        self.compared: list[tuple[str, str]] = []

    def ratio(self, text: str, reference: str) -> float:
        assert reference in self.by_reference, f"an unexpected comparison with {reference!r}"
        what, value = self.by_reference[reference]
        self.compared.append((what, text))
        return value


def _land(monkeypatch, new_text: str, targets: dict[str, int], q: float, p: float | None = 100,
          s: float | None = 100, old_text: str = BEFORE + OLD + AFTER, at: int = len(BEFORE)):
    """Where a decision on OLD (at `at` in `old_text`) lands among targets of NEW at the given starts,
    with the scores scripted; and the scripted fuzz, for what it compared."""
    d = new_decision("d", "accept", "claim", None, old_text, at, at + len(OLD))
    fuzz = Scripted(d, q, p if d.prefix else None, s if d.suffix else None)
    monkeypatch.setattr(anchoring, "fuzz", fuzz)
    index = TargetIndex([Target(k, start, start + len(NEW)) for k, start in targets.items()], new_text)
    found, how = index.locate(d)
    return (found.key if found else None), how, fuzz


def test_a_score_of_75_lands_and_a_twentieth_under_is_an_orphan(monkeypatch):
    text = BEFORE + NEW + AFTER
    assert 0.6 * 80 + 0.15 * 15 + 0.15 * 98.33333333333333 + 10 == 75.0
    key, how, _ = _land(monkeypatch, text, {"x": len(BEFORE)}, q=80, p=15, s=98.33333333333333)
    assert (key, how) == ("x", "fuzzy match (75)")
    key, how, _ = _land(monkeypatch, text, {"x": len(BEFORE)}, q=80, p=100, s=13)     # 74.95
    assert (key, how) == (None, "the quoted evidence is no longer in the document")


def test_a_quote_less_than_80_alike_is_never_taken_whatever_surrounds_it(monkeypatch):
    text = BEFORE + NEW + AFTER
    assert _land(monkeypatch, text, {"x": len(BEFORE)}, q=79.9)[0] is None      # would score 87.9
    assert _land(monkeypatch, text, {"x": len(BEFORE)}, q=80)[0] == "x"          # 88


def test_a_decision_at_the_documents_start_has_no_prefix_to_compare_and_counts_it_as_100(monkeypatch):
    """Nothing before the decision's words: no prefix is compared (the scripted fuzz refuses one),
    and the missing prefix counts 100, not more: 48 + 15 + 1.95 + 10 = 74.95 stays an orphan."""
    old, new = OLD + AFTER, NEW + AFTER
    key, _, fuzz = _land(monkeypatch, new, {"x": 0}, q=80, s=13, old_text=old, at=0)
    assert key is None and [what for what, _ in fuzz.compared] == ["quote", "suffix"]
    assert _land(monkeypatch, new, {"x": 0}, q=80, s=14, old_text=old, at=0)[0] == "x"     # 75.1


def test_a_decision_at_the_documents_end_has_no_suffix_to_compare_and_counts_it_as_100(monkeypatch):
    old, new = BEFORE + OLD, BEFORE + NEW
    key, _, fuzz = _land(monkeypatch, new, {"x": len(BEFORE)}, q=80, p=13, old_text=old)
    assert key is None and [what for what, _ in fuzz.compared] == ["quote", "prefix"]
    assert _land(monkeypatch, new, {"x": len(BEFORE)}, q=80, p=14, old_text=old)[0] == "x"


def test_the_prefix_compared_is_all_the_text_before_a_target_near_the_start(monkeypatch):
    _, _, fuzz = _land(monkeypatch, BEFORE + NEW + AFTER, {"x": len(BEFORE)}, q=90)
    assert dict((what, text) for what, text in fuzz.compared) == {
        "quote": normalise(NEW), "prefix": normalise(BEFORE), "suffix": normalise(AFTER)}


def test_the_place_weighs_ten_points_at_most(monkeypatch):
    """51 for the quote, 15 for the prefix, none for the suffix: 66 plus up to 10 for the place. A
    target moved by 3% of the text lands (75.7), one moved by 15% does not (74.5)."""
    near = "abc" + BEFORE + NEW + AFTER
    assert _land(monkeypatch, near, {"x": 3 + len(BEFORE)}, q=85, s=0)[0] == "x"
    far = "a" * 15 + BEFORE + NEW + AFTER
    assert 0.1 < 15 / len(far) < 0.18
    assert _land(monkeypatch, far, {"x": 15 + len(BEFORE)}, q=85, s=0)[0] is None


def test_an_all_but_verbatim_quote_is_95_alike_or_more(monkeypatch):
    """Surroundings rewritten and the place far off (under 75 whatever the place): the one quote at
    least 95 alike is still the evidence; at 94.9 the decision is an orphan."""
    text = "x" * 200 + NEW
    key, how, _ = _land(monkeypatch, text, {"x": 200}, q=95, p=0, s=0, old_text=OLD + AFTER, at=0)
    assert (key, how) == ("x", "fuzzy match (the quote, its surroundings changed)")
    assert _land(monkeypatch, text, {"x": 200}, q=94.9, p=0, s=0, old_text=OLD + AFTER, at=0)[0] is None


def test_of_two_targets_scoring_the_same_the_first_is_taken(monkeypatch):
    """Equal scores (the same scripted ratios, the same distance either side of the old place): the
    first target in the document wins; a later one must score more."""
    text = BEFORE + NEW + " " + BEFORE + OLD + "  " + BEFORE + NEW + AFTER   # OLD is a character shorter
    first, second = len(BEFORE), len(BEFORE + NEW + " " + BEFORE + OLD + "  " + BEFORE)
    middle = len(BEFORE + NEW + " " + BEFORE)
    old = BEFORE + NEW + " " + BEFORE + OLD + AFTER
    assert middle - first == second - middle
    key, _, _ = _land(monkeypatch, text, {"a": first, "b": second}, q=90, old_text=old, at=middle)
    assert key == "a"


def test_a_claim_kept_with_its_quote_lands_on_its_id_before_any_copy_of_the_words():
    """Two targets with the same words: the decision's own claim id decides, even when the other
    copy stands where the decision was taken."""
    text = BEFORE + OLD + AFTER + BEFORE + OLD + AFTER
    first, second = len(BEFORE), len(BEFORE + OLD + AFTER + BEFORE)
    d = new_decision("d", "accept", "claim", "c2", text, first, first + len(OLD))
    index = TargetIndex([Target("c1", first, first + len(OLD)), Target("c2", second, second + len(OLD))], text)
    found, how = index.locate(d)
    assert (found.key, how) == ("c2", "same id")


# --- span_in_text: where an added claim's words stand now ---------------------------------------------

def _added(text: str, start: int, end: int):
    return new_decision("d", "add", "claim", None, text, start, end)


def test_an_added_claims_words_are_found_at_the_copy_nearest_their_old_place():
    copy = "The talks went well. "
    text = copy * 3
    for n in range(3):
        start = n * len(copy)
        assert span_in_text(_added(text, start, start + 20), text) == (start, start + 20)
    assert span_in_text(_added("aaaaa", 1, 5), "aaaaa") == (1, 5)   # overlapping copies are copies too


@pytest.mark.parametrize("quote, new, span", [
    ("The talks went well.", "Then: The tXlks went wXll. Done.", (6, 26)),   # 90 alike: still found
    ("Twelve chars", "So: TwXlve chars were there.", (4, 16)),             # twelve characters: fuzzy
])
def test_an_added_claims_edited_words_are_found_by_their_closest_alignment(quote, new, span):
    assert span_in_text(_added(quote, 0, len(quote)), new) == span


@pytest.mark.parametrize("quote, new", [
    ("The talks went well.", "Then: The tXlkX went wXll. Done."),   # 85 alike
    ("Eleven char", "So: ElXven char were there."),               # 91 alike, but eleven characters
])
def test_an_added_claims_words_edited_more_or_too_short_to_align_are_not_placed(quote, new):
    assert span_in_text(_added(quote, 0, len(quote)), new) is None
