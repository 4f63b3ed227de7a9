"""A corpus of many small documents for timing runs (`claimtrace bench --incremental`): the
bundled review cut into pieces of a few paragraphs, each piece a document of its own with a
numbered first line, so that every document's bytes differ."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import DEFAULT_CORPUS


def pieces(source: Path, size: int = 4) -> list[str]:
    paragraphs = [p.strip() for p in source.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
    return ["\n\n".join(paragraphs[i:i + size]) for i in range(0, len(paragraphs), size)]


def write_corpus(folder: Path, documents: int = 300, source: Path = DEFAULT_CORPUS / "review.txt") -> Path:
    """`documents` review-sized text files and their manifest in `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    chunks = pieces(source)
    entries = []
    for n in range(documents):
        doc_id = f"doc-{n:05d}"
        body = chunks[n % len(chunks)]
        text = (f"Timing document {n} (generated from the bundled review for `claimtrace bench`)\n"
                f"Review period: February 21 - March 3, 2022\n\n{body}\n")
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        entries.append(f'[[document]]\nid = "{doc_id}"\npath = "{doc_id}.txt"\nkind = "review"\n')
    (folder / "manifest.toml").write_text("\n".join(entries), encoding="utf-8")
    return folder
