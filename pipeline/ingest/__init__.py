"""Getting documents in: the manifest, fetching, parsing pages into paragraphs, sections."""
