"""The model's attribute ruler (fine tag -> POS and morphology, and ~120 exceptions), matched
faster with the same result.

spaCy's Matcher starts every pattern at every token: with en_core_web_sm's 179 rules that was a
sixth of the whole pipeline's time, more than the parser. Nearly all rules are one token tested on
its tag, lowercase form, dependency or whitespace; those are looked up here by the token's values
(read at once with Doc.to_array, as the string hashes the Matcher compares) and tested in Python.
The rest (multi-token rules, and any test this module does not know) stay with a Matcher. Matches
are applied as the ruler applies them: all found on the unchanged Doc first, then set in rule
order, so a later rule wins.
"""

from __future__ import annotations

import re

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.matcher import Matcher
from spacy.strings import get_string_id

#: the attributes tested here, in the order of a token's row
COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
ARRAY = [TAG, LOWER, DEP, IS_SPACE]


def _value(attr: str, value):
    return bool(value) if attr == "IS_SPACE" else get_string_id(value)


def _check(attr: str, value, strings):
    """A test of one row as the Matcher tests the attribute, or None if this module cannot."""
    if attr not in COLUMNS or (attr == "IS_SPACE" and not isinstance(value, (bool, dict))):
        return None
    col = COLUMNS[attr]
    if not isinstance(value, dict):
        want = _value(attr, value)
        return lambda row: row[col] == want
    if len(value) != 1 or attr == "IS_SPACE":
        return None
    (op, arg), = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
        members = frozenset(get_string_id(v) for v in arg)
        return (lambda row: row[col] in members) if op == "IN" else (lambda row: row[col] not in members)
    if op == "REGEX" and isinstance(arg, str):
        rx = re.compile(arg)
        return lambda row: bool(rx.search(strings[row[col]]))
    return None


class FastAttributeRules:
    def __init__(self, ruler) -> None:
        self.ruler = ruler
        self.strings = ruler.vocab.strings
        self.by = ({}, {}, {})  # by tag, by lowercase form, by dependency (their hashes)
        self.always: list = []
        self.matcher = Matcher(ruler.vocab)
        self.ids: list[int] = []
        for index, rule in enumerate(ruler.patterns):
            self.ids.append(self.strings.add(str(index)))
            rest = [p for p in rule["patterns"] if not self._index(index, p)]
            if rest:
                self.matcher.add(self.ids[index], rest)

    def _index(self, index: int, pattern: list[dict]) -> bool:
        """File a one-token pattern under a value it requires; False if the Matcher must keep it."""
        if len(pattern) != 1:
            return False
        spec = pattern[0]
        checks = [_check(attr, value, self.strings) for attr, value in spec.items()]
        if not checks or None in checks:
            return False
        entry = (index, tuple(checks))
        for attr in ("TAG", "LOWER", "DEP"):
            value = spec.get(attr)
            if isinstance(value, str):
                self.by[COLUMNS[attr]].setdefault(get_string_id(value), []).append(entry)
                return True
            if isinstance(value, dict) and list(value) == ["IN"]:
                for h in {get_string_id(v) for v in value["IN"]}:
                    self.by[COLUMNS[attr]].setdefault(h, []).append(entry)
                return True
        self.always.append(entry)
        return True

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        """What AttributeRuler.match returns: (rule index, match id, start, end), in rule order."""
        found = {(int(self.strings[m_id]), m_id, s, e)
                 for m_id, s, e in self.matcher(doc, allow_missing=True, as_spans=False)}
        by_tag, by_lower, by_dep = self.by
        empty: list = []
        for i, row in enumerate(doc.to_array(ARRAY).tolist()):
            for index, checks in (*by_tag.get(row[0], empty), *by_lower.get(row[1], empty),
                                  *by_dep.get(row[2], empty), *self.always):
                if all(check(row) for check in checks):
                    found.add((index, self.ids[index], i, i + 1))
        return sorted(found)


def speed_up(nlp) -> None:
    """Give the pipeline's attribute ruler the faster matching (its rules are not changed)."""
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = FastAttributeRules(ruler).match
