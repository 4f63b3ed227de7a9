"""A spaCy Doc's text, joined once: `Doc.text` joins every token's text again on each access,
which the linking and claims steps did thousands of times per corpus."""

from __future__ import annotations

KEY = "claimtrace.text"


def doc_text(doc) -> str:
    data = doc.user_data
    text = data.get(KEY)
    if text is None:
        text = data[KEY] = doc.text
    return text


def seed_text(doc, text: str) -> None:
    """Record the text a Doc was made from (spaCy's tokenizer keeps every character, so it is the
    Doc's text): joining its tokens again would cost a sixth of the claims and linking steps."""
    doc.user_data[KEY] = text
