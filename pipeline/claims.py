"""Attributed statements -> claims. (Filled in by the claims issue.)"""

from __future__ import annotations

from .knowledge import Knowledge


class ClaimExtractor:
    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge

    def start(self, result) -> None:
        self.result = result

    def paragraph(self, paragraph, doc, mentions, dates) -> list:
        return []
