"""A parse memo for tests that run the pipeline over the same texts many times (the real-page sets
under `make mutation`): each spaCy or natasha parse of a text is made once per process and handed
out as a copy, so what the pipeline does after parsing (linking, dates, claims) runs every time.

Kept at module level on purpose: mutmut forks each mutant's run from the process that ran the tests
first, so the parses made there serve every mutant. Nothing here is used outside the tests.
"""

from __future__ import annotations

from contextlib import contextmanager

_MEMO: dict[tuple, list] = {}
_KEEP: dict[int, object] = {}  # the pipelines keyed by id(), kept alive so that an id is never reused


def _memoized(original):
    """`pipe` answering a call with the same texts as an earlier one from the memo: the whole call
    is the key, since the Russian pipeline analyses a document's paragraphs together."""
    def pipe(self, texts, *args, **kwargs):
        key = (id(self), tuple(texts))
        if key not in _MEMO:
            _KEEP[id(self)] = self
            _MEMO[key] = list(original(self, list(key[1]), *args, **kwargs))
        return iter([doc.copy() for doc in _MEMO[key]])
    return pipe


@contextmanager
def parses_memoized(monkeypatch):
    """Within the block, spaCy's Language.pipe and the Russian pipeline's pipe answer from the memo."""
    from spacy.language import Language

    from pipeline.language.russian import RussianPipeline

    monkeypatch.setattr(Language, "pipe", _memoized(Language.pipe))
    monkeypatch.setattr(RussianPipeline, "pipe", _memoized(RussianPipeline.pipe))
    yield
