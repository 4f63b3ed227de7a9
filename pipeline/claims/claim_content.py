"""What a statement says, for comparing two sides' accounts of one event (events.py): its
content words once the event itself, who took part, titles and dates are taken out."""

from __future__ import annotations

from pipeline.lexicon import ENGLISH, EVENT_WORDS, NEGATION_WORDS, OWNER_HEADS, REPORT_VERBS, ROLE_HEADS, ROLE_WORDS

# The words of official titles ("Minister of Foreign Affairs", "Chairman of the Cabinet of Ministers").
TITLE_WORDS = {w.lower() for phrases in ROLE_WORDS.values() for phrase in phrases for w in phrase.split()} | set(
    ENGLISH["title_words"])


def _concepts() -> dict[str, str]:
    import tomllib

    from pipeline.config import KNOWLEDGE_DIR

    table = tomllib.loads((KNOWLEDGE_DIR / "concepts.toml").read_text(encoding="utf-8"))
    return {**table["ru"], **table["en"]}  # no Russian lemma is an English one


#: words that are never content: the event itself, reporting, roles and titles
NOT_CONTENT = frozenset(EVENT_WORDS | REPORT_VERBS | ROLE_HEADS | TITLE_WORDS | OWNER_HEADS | {"accord"})

#: a Russian lemma, or an English one of the same sense -> the English lemma it is compared as
#: (knowledge/concepts.toml)
CONCEPTS = _concepts()


def content_key(doc, start: int, end: int, skip: list[tuple[int, int]], third: set[str],
                states_event: bool) -> tuple[str, ...]:
    """The content lemmas of doc[start:end] outside the `skip` spans (mentions, dates), with the
    third parties it names; a sentence that reports the call or meeting itself loses its
    capitalised words (titles); a negated statement's words carry "not"."""
    words = set()
    tokens = [t for t in doc if start <= t.idx < end]  # the statement's, not the whole paragraph's
    for t in tokens:
        if any(a <= t.idx < b for a, b in skip):
            continue
        if states_event and t.is_title and t.i > 0:
            continue
        lemma = t.lemma_.lower()
        concept = CONCEPTS.get(lemma)  # one key for both languages ("санкция" -> "sanction")
        lemma = concept or lemma
        if t.pos_ in ("NOUN", "VERB", "ADJ", "PROPN") and not t.is_stop and (t.is_alpha or concept) and not (
                lemma in NOT_CONTENT or t.lower_ in NOT_CONTENT):
            words.add(lemma)
    words |= third
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in REPORT_VERBS]
    if any(c.dep_ == "neg" or (c.lower_ in NEGATION_WORDS and c.i < v.i) for v in verbs for c in v.children):
        words = {f"not {w}" for w in words}  # "did not mention Ukraine" says the opposite of "mentioned"
    return tuple(sorted(words))
