"""The language stages over one document: spaCy, actor linking, dates."""
