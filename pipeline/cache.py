"""The per-document cache: what the per-document stage (parse, spaCy, linking, dates, claims)
made of one document, kept under a key of everything that stage reads, so that `extract` runs
it again only for documents whose key changed. Decisions are not in the key: they are applied
by the cross-document stage.

The cache lives beside the database (`<db folder>/cache/<db name>/`), one file per document
version. An entry is written to a temporary file and renamed into place, so a run killed at any
moment leaves whole entries or none; an entry that cannot be read is a miss (and is removed).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from pathlib import Path

from .config import KNOWLEDGE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
#: the modules the per-document stage starts from; their imports within the package are followed
STAGE_ROOTS = ("documents", "annotate", "sections", "knowledge", "limits", "records")


IMPORT_RE = re.compile(r"^[ \t]*from[ \t]+(?:\.|pipeline\.)(\w*)[ \t]+import[ \t]+(\([\w\s,]+\)|[\w ,]+)", re.M)


def _imports(module: str) -> set[str]:
    """The package modules one module imports (`from .x import ...`, `from . import x`), read
    with a pattern rather than a parser: this runs on every `extract`."""
    path = PACKAGE_DIR / f"{module}.py"
    if not path.is_file():
        return set()
    found = set()
    for name, names in IMPORT_RE.findall(path.read_text(encoding="utf-8")):
        found.update([name] if name else [n.strip() for n in names.strip("()").split(",")])
    return {m for m in found if m and (PACKAGE_DIR / f"{m}.py").is_file()}


def stage_modules() -> list[str]:
    """Every module the per-document stage can run: the closure of STAGE_ROOTS' imports."""
    seen, todo = set(), list(STAGE_ROOTS)
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(_imports(m) - seen)
    return sorted(seen)


def _digest(paths: list[Path], h=None) -> str:
    h = h or hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


def code_version() -> str:
    return _digest([PACKAGE_DIR / f"{m}.py" for m in stage_modules()])


def knowledge_version(annotations: Path) -> str:
    """The gazetteer, sources and rules the per-document stage reads (not the decisions)."""
    files = sorted(KNOWLEDGE_DIR.glob("*.toml"))
    files += [annotations / "gazetteer.toml", annotations / "sources.toml"]
    return _digest(files)


def model_version(model: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{model} {version(model.replace('_', '-'))}"
    except PackageNotFoundError:
        return model


def document_key(base: str, spec, raw: bytes, path: Path | None, declared: str | None) -> str:
    h = hashlib.sha256(base.encode())
    h.update(repr((spec, str(path), declared)).encode())
    h.update(hashlib.sha256(raw).digest())
    return h.hexdigest()


class DocumentCache:
    def __init__(self, db: Path) -> None:
        self.folder = db.parent / "cache" / db.name

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str):
        path = self._path(key)
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # a damaged entry is a miss, never an error
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, result) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            with tmp.open("wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path(key))
        except OSError:
            return  # a cache that cannot be written only costs time

    def prune(self, keep: set[str]) -> int:
        """Remove the entries this database no longer uses (and leftovers of killed runs)."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.iterdir():
            if path.suffix == ".tmp" or (path.suffix == ".pickle" and path.stem not in keep):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
