"""The per-document cache: what the per-document stage (parse, spaCy, linking, dates, claims)
made of one document, kept under a key of everything that stage reads, so that `extract` runs
it again only for documents whose key changed. Decisions are not in the key: they are applied
by the cross-document stage.

The cache lives beside the database (`<db folder>/cache/<db name>/`), one JSON file per document
version (records_json.py: reading one cannot run code, unlike a pickle). An entry is written to a
temporary file and renamed into place, so a run killed at any moment leaves whole entries or none;
an entry that cannot be read, names another format version or key, or does not have the shape of
a document's result is a miss (and is removed).
"""

from __future__ import annotations

import hashlib
import os
import json
import re
from pathlib import Path

from pipeline.config import KNOWLEDGE_DIR
from pipeline.records import DocumentResult
from pipeline.records_json import decode, encode

PACKAGE_DIR = Path(__file__).resolve().parent
FORMAT = "claimtrace-document-cache"
FORMAT_VERSION = 1
#: the modules the per-document stage starts from; their imports within the package are followed
STAGE_ROOTS = ("ingest.documents", "ingest.sections", "language.annotate", "knowledge", "limits", "records")
IMPORT_RE = re.compile(r"^[ \t]*from[ \t]+pipeline((?:\.\w+)*)[ \t]+import[ \t]+(\([\w\s,]+\)|[\w ,]+)", re.M)


def _file(module: str) -> Path | None:
    """The file of a package module given as a dotted name below `pipeline` ("ingest.parse")."""
    base = PACKAGE_DIR.joinpath(*module.split(".")) if module else PACKAGE_DIR
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(module: str) -> set[str]:
    """The package modules one module imports (`from pipeline.x import ...`, `from pipeline.x
    import submodule`), read with a pattern rather than a parser: this runs on every `extract`."""
    path = _file(module)
    if path is None:
        return set()
    found = set()
    for target, names in IMPORT_RE.findall(path.read_text(encoding="utf-8")):
        target = target.lstrip(".")
        if target and _file(target):
            found.add(target)
        for name in names.strip("()").split(","):
            sub = f"{target}.{name.strip()}" if target else name.strip()
            if name.strip() and _file(sub) and sub != target:
                found.add(sub)
    return found


def stage_files() -> list[Path]:
    """Every module the per-document stage can run: the closure of STAGE_ROOTS' imports."""
    seen, todo = set(), list(STAGE_ROOTS)
    while todo:
        m = todo.pop()
        if m not in seen and _file(m):
            seen.add(m)
            todo.extend(_imports(m) - seen)
    return sorted({_file(m) for m in seen})


def stage_modules() -> list[str]:
    """The names of those modules, for people: "parse", "claims", "stance" ..."""
    return sorted(p.parent.name if p.name == "__init__.py" else p.stem for p in stage_files())


def _digest(paths: list[Path], h=None) -> str:
    h = h or hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(path.parents[1]) if path.is_relative_to(PACKAGE_DIR) else path.name).encode()
                 + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


def code_version() -> str:
    return _digest(stage_files())


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


def stage_versions(annotations: Path, model: str, with_language: bool) -> dict[str, str]:
    """The versions of what the per-document stage runs: its code, the knowledge it reads, the model."""
    return {"stage": code_version(), "knowledge": knowledge_version(annotations),
            "model": model_version(model) if with_language else "none"}


def stage_base(versions: dict[str, str], limits, with_language: bool) -> str:
    """The part of every document's key that is the same for all documents. The inputs of a key,
    in one place: the stage's code, knowledge and model (`versions`), the limits, whether the
    language stages run, the package version; per document (document_key): its manifest entry,
    where it was read from, its declared charset and its bytes."""
    from pipeline import __version__

    return "\0".join([*versions.values(), repr(limits), str(with_language), __version__])


def document_key(base: str, spec, raw: bytes, path: Path | None, declared: str | None) -> str:
    h = hashlib.sha256(base.encode())
    h.update(repr((spec, str(path), declared)).encode())
    h.update(hashlib.sha256(raw).digest())
    return h.hexdigest()


#: decoded entries kept in memory by a warm process (pipeline/daemon), by cache folder and key; a
#: key names its inputs, so an entry never goes out of date while its file exists
_WARM: dict[Path, dict[str, DocumentResult]] = {}


class DocumentCache:
    def __init__(self, db: Path) -> None:
        self.folder = db.parent / "cache" / db.name

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> DocumentResult | None:
        held = _WARM.get(self.folder)
        if held and key in held:
            return held[key]
        path = self._path(key)
        try:
            entry = json.loads(path.read_bytes())
            if not (isinstance(entry, dict) and entry.get("format") == FORMAT
                    and entry.get("version") == FORMAT_VERSION and entry.get("key") == key):
                raise ValueError("another format, version or key")
            return decode(entry.get("result"), DocumentResult)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, RecursionError):  # damaged or foreign: a miss, never an error
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, result: DocumentResult) -> None:
        entry = {"format": FORMAT, "version": FORMAT_VERSION, "key": key, "result": encode(result)}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self._path(key))
        except (OSError, ValueError):  # a full disk, or text JSON cannot carry (a lone surrogate)
            return  # a cache that cannot be written only costs time

    def keep_warm(self) -> int:
        """Hold this cache's entries decoded in memory (a warm process; its forked commands read them
        from there): new ones are read, removed ones dropped. Returns how many are held."""
        names = {p.stem for p in self.folder.glob("*.json")} if self.folder.is_dir() else set()
        held = _WARM.setdefault(self.folder, {})
        for key in set(held) - names:
            del held[key]
        for key in names - set(held):
            result = self.get(key)
            if result is not None:
                held[key] = result
        return len(held)

    def warm_results(self) -> list[DocumentResult]:
        return list(_WARM.get(self.folder, {}).values())

    def prune(self, keep: set[str]) -> int:
        """Remove the entries this database no longer uses (and leftovers of killed runs)."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.iterdir():
            if path.suffix in (".tmp", ".pickle") or (path.suffix == ".json" and path.stem not in keep):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
