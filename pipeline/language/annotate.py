"""The language stages over one document: spaCy, actor linking, dates, claims."""

from __future__ import annotations

from pipeline.claims.extractor import ClaimExtractor
from pipeline.knowledge import Knowledge
from pipeline.language.actors import Linker, LinkState
from pipeline.language.dates import DateContext, scan
from pipeline.language.doctext import seed_text
from pipeline.language.nlp import build_pipeline
from pipeline.records import DateMention, DocumentResult

NLP_KINDS = ("paragraph", "list_item", "chronology", "heading", "caption")


def _nlp_paragraphs(result: DocumentResult) -> list:
    return [p for p in result.paragraphs if p.kind in NLP_KINDS]


def reference_date(result: DocumentResult) -> str | None:
    """The document's own time, against which a role resolves to whoever held it: the publication
    day, else the period's start, else the month alone (a stored page's "date 2022-03")."""
    if result.published:
        return result.published.value
    if result.period:
        return result.period[0]
    return result.month


class Models:
    """The parsers, built once per process for a model and a version of the knowledge (loading
    spaCy and the gazetteer's patterns costs more than most documents): spaCy's pipeline, and
    natasha's, built on the first Russian document."""

    def __init__(self, model: str, knowledge: Knowledge):
        self.knowledge = knowledge
        self.nlp = build_pipeline(model, knowledge)
        self._russian = None

    def russian(self):
        if self._russian is None:
            from pipeline.language.russian import RussianPipeline

            self._russian = RussianPipeline(self.knowledge)
        return self._russian


class Annotator:
    """The language stages of one document stage, called once per document: the parsers are the
    process's (`Models`), the rule objects its own, since they carry a document's state from
    paragraph to paragraph (the extractor's discourse, the linker's) and cost milliseconds to make."""

    def __init__(self, models: Models):
        self.knowledge = knowledge = models.knowledge
        self.models = models
        self.nlp = models.nlp
        self.linker = Linker(knowledge)
        self.claims = ClaimExtractor(knowledge)

    def nlp_for(self, result: DocumentResult):
        """The English spaCy pipeline, or the Russian one (built on the first Russian document)."""
        if result.language is None or result.language.value != "ru":
            return self.nlp
        return self.models.russian()

    def parse_many(self, results: list[DocumentResult]) -> dict[str, list]:
        """The English documents' paragraphs through spaCy in one stream (doc id -> its paragraphs'
        Docs): spaCy batches across documents, much faster than one short document at a time."""
        english = [r for r in results if self.nlp_for(r) is self.nlp]
        texts = [p.text for r in english for p in _nlp_paragraphs(r)]
        docs = iter(list(self.nlp.pipe(texts)))
        return {r.spec.id: [next(docs) for _ in _nlp_paragraphs(r)] for r in english}

    def __call__(self, result: DocumentResult, docs: list | None = None):
        """Mentions, dates, claims and local actors of one document (`docs`: its paragraphs' spaCy
        Docs when parse_many made them)."""
        spec = result.spec
        paragraphs = _nlp_paragraphs(result)
        ctx = DateContext(spec.kind, result.published.value if result.published else None, result.period, result.month)
        ref = reference_date(result)
        state = LinkState(home=result.side.value if result.side and spec.kind in ("readout", "statement") else None)
        mentions, dates, actors, claims = [], [], [], []
        self.claims.start(result)
        english = self.nlp_for(result) is self.nlp
        if docs is None:
            docs = self.nlp_for(result).pipe(p.text for p in paragraphs)
        for p, doc in zip(paragraphs, docs):
            if english:  # spaCy's own tokenizer: the Doc's text is the paragraph's, character for character
                seed_text(doc, p.text)
            resolved = scan(p.text, ctx)
            day_marks = [(r.start, r.value.split("/")[0]) for r in resolved if r.value]

            def date_at(pos: int, marks=day_marks) -> str | None:
                before = [v for s, v in marks if s < pos]
                return before[-1] if before else ref

            dates.extend(DateMention(spec.id, p.id, r.start, r.end, r.text, r.value, r.precision, r.reason)
                         for r in resolved)
            found, local = self.linker.link(doc, spec.id, p.id, state, date_at)
            mentions.extend(found)
            actors.extend(local)
            claims.extend(self.claims.paragraph(p, doc, found, resolved))
        return mentions, dates, self.claims.finish(claims), actors
