"""Speed as ratios against bare spaCy on the same text in the same run (never an absolute time)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from .config import Settings
from .corpus import load_manifest
from .documents import process, read_bytes, source_of
from .fetch import Archive
from .knowledge import load_knowledge
from .nlp import load_model
from .sections import SectionTagger


@dataclass
class BenchResult:
    documents: int
    paragraphs: int
    characters: int
    bare_spacy: float
    parse_only: float
    full: float

    def lines(self) -> list[str]:
        return [
            f"{self.documents} documents, {self.paragraphs} paragraphs, {self.characters} characters; best of the repeats",
            f"bare spaCy ({'nlp.pipe over the same paragraphs'}): 1.00",
            f"parsing + sections only:  {self.parse_only / self.bare_spacy:.2f} x bare spaCy",
            f"full pipeline per document (parse, spaCy + gazetteer, linking, dates, claims): "
            f"{self.full / self.bare_spacy:.2f} x bare spaCy",
        ]


def run(settings: Settings, repeat: int = 3) -> BenchResult:
    from .annotate import Annotator

    knowledge = load_knowledge(settings.annotations)
    sections = SectionTagger(knowledge)
    archive = Archive(settings.corpus)
    specs = load_manifest(settings.manifest)
    raws = []
    for spec in specs:
        path, declared = source_of(spec, archive)
        raws.append((spec, read_bytes(spec, path), path, declared))
    results = [process(s, knowledge, sections, raw, path, declared) for s, raw, path, declared in raws]
    texts = [p.text for r in results for p in r.paragraphs]
    bare = load_model(settings.model)
    annotate = Annotator(settings.model, knowledge)
    list(bare.pipe(texts))  # warm up both pipelines once
    annotate(results[0])

    def best(fn) -> float:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    bare_t = best(lambda: list(bare.pipe(texts)))
    parse_t = best(lambda: [process(s, knowledge, sections, raw, p, d) for s, raw, p, d in raws])
    full_t = best(lambda: [annotate(process(s, knowledge, sections, raw, p, d)) for s, raw, p, d in raws])
    return BenchResult(len(results), len(texts), sum(map(len, texts)), bare_t, parse_t, full_t)
