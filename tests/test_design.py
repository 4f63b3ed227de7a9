"""Design rules checked on the source (issue 25): no module reaches into another's private names."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def test_no_private_name_is_imported_across_modules():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pipeline"):
                found += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


# --- word lists live in pipeline/knowledge/*.toml (issue 25: rules as data, per language) ---------

WORD_LIST_FOLDERS = ("claims", "language")
#: constants that hold strings but no words of any text, so they may stay in Python
NOT_WORDS = {
    "pipeline/claims/account.py SIDE_RULES",  # side_rule values and their explanations (an output vocabulary)
    "pipeline/claims/claim_dates.py BASES",  # date_basis values (an output vocabulary)
    "pipeline/claims/citations.py RULES",  # cite_rule values (an output vocabulary)
    "pipeline/claims/citations.py STATUSES",  # citation_status values (an output vocabulary)
    "pipeline/claims/stance.py ARGUMENT_DEPS",  # spaCy dependency labels
    "pipeline/language/annotate.py NLP_KINDS",  # kinds of paragraph (ingest's block types)
    "pipeline/language/dates.py PATTERNS",  # the patterns' names ("md", "today"), kinds of date expression
    "pipeline/language/nlp.py LABELS",  # gazetteer actor types -> spaCy entity labels
    "pipeline/language/russian.py LABELS",  # the same, for the Russian pipeline
}
_WORD = re.compile(r"[^\W\d_]+(?:[ '’-]+[^\W\d_]+)*")
_CASE_CLASS = re.compile(r"\[([A-ZА-ЯЁ])([a-zа-яё])\]")  # "[Tt]he" -> "the"
_REGEX_EDGES = re.compile(r"^(?:\(\?P<\w+>|\(\?\w*:|\(|\\b|\^|\s)+|(?:\)|\\b|\?|\$|\s)+$")


def _is_word(text: str) -> bool:
    """A word or phrase of some text (letters, spaces, hyphens, apostrophes; "{n}" slots aside), not
    an identifier ("same_day") or an upper-case label ("PERSON")."""
    text = re.sub(r"\{\w*\}", "", text).strip()
    return bool(_WORD.fullmatch(text)) and not text.isupper()


def _word_alternatives(pattern: str) -> list[str]:
    """The alternatives of a regular expression that are plain words or phrases."""
    pattern = _CASE_CLASS.sub(lambda m: m.group(2) if m.group(1).lower() == m.group(2) else m.group(0), pattern)
    pattern = re.sub(r"\\s[+*]?", " ", pattern)
    pieces = [_REGEX_EDGES.sub("", piece) for piece in pattern.split("|")]
    return [p for p in pieces if _is_word(p)]


def _strings(node) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _collections(node) -> list:
    return [n for n in ast.walk(node) if isinstance(n, (ast.List, ast.Tuple, ast.Set, ast.Dict))]


def word_lists_in(root: Path) -> list[str]:
    """Word lists written in the claims and language stages' code under `root` (the package folder)."""
    found = []
    for folder in WORD_LIST_FOLDERS:
        for path in sorted((root / folder).glob("*.py")):
            where = f"pipeline/{folder}/{path.name}"
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
            constants = [(node, "") for node in tree.body] + [
                (node, f"{cls.name}.") for cls in tree.body if isinstance(cls, ast.ClassDef) for node in cls.body]
            for node, prefix in constants:
                if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                name = prefix + ",".join(t.id for t in targets if isinstance(t, ast.Name))
                if f"{where} {name}" in NOT_WORDS or name == "__all__":
                    continue
                for literal in _collections(node.value):
                    words = [s for s in _strings(literal) if _is_word(s)]
                    if len(words) >= 3:
                        found.append(f"{where}:{node.lineno} {name} holds words: {words[:4]}")
                        break
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                    words = _word_alternatives(node.value)
                    if len(words) >= 3:
                        found.append(f"{where}:{node.lineno} a regular expression spells out words: {words[:4]}")
    return found


def test_word_lists_are_knowledge_not_code():
    """Every word and phrase list of the claims, dates, linking and stance stages is read from
    pipeline/knowledge/*.toml (per language); a regular expression over words is built from such a
    list. Non-word data (labels, output vocabularies) is named in NOT_WORDS with its reason."""
    assert word_lists_in(PACKAGE) == []
