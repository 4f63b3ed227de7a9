"""manifest.toml -> validated DocumentSpec records."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from pipeline.errors import ManifestError
from pipeline.records import KINDS, DocumentSpec

ID_RE = re.compile(r"^[a-z0-9-]+$")
SUFFIXES = (".txt", ".html", ".htm", ".pdf")


def _iso_date(value, where: str, field: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ManifestError(f"{where}: {field} = {value!r} is not an ISO date (YYYY-MM-DD)") from None


def load_manifest(path: Path) -> list[DocumentSpec]:
    """Read and validate a manifest; raise ManifestError naming the entry and field at fault."""
    if not path.is_file():
        raise ManifestError(
            f"{path}: no manifest here; create it with one [[document]] table per file "
            "(see README, 'manifest.toml')"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: not valid TOML ({exc}); fix the file and run again") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    entries = data.get("document")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: no [[document]] entries; add at least one")
    # each entry's line, so that every message points at it
    starts = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if line.strip().replace(" ", "") == "[[document]]"]
    specs: list[DocumentSpec] = []
    errors: list[str] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        line = f":{starts[n - 1]}" if len(starts) == len(entries) else ""
        try:
            specs.append(_spec(entry, f"{path}{line} document #{n}", path.parent, seen))
        except ManifestError as exc:
            errors.append(str(exc))
    errors = [line for e in errors for line in e.split("\n")]
    if len(errors) == 1:
        raise ManifestError(errors[0])
    if errors:  # every problem at once, so that one edit fixes them all
        raise ManifestError(f"{len(errors)} problems in {path}:\n" + "\n".join(f"  {e}" for e in errors))
    return specs


def _spec(entry: dict, where: str, root: Path, seen: set[str]) -> DocumentSpec:
    """One entry, checked field by field; every problem of the entry in one ManifestError (a line each)."""
    doc_id = entry.get("id")
    if not isinstance(doc_id, str) or not ID_RE.match(doc_id):
        raise ManifestError(f"{where}: id = {doc_id!r} must be lower-case letters, digits and '-'")
    where = f"{where} ({doc_id})"
    if doc_id in seen:
        raise ManifestError(f"{where}: id is used twice; give each document its own id")
    seen.add(doc_id)
    errors: list[str] = []

    def check(fn, *args):
        try:
            return fn(*args)
        except ManifestError as exc:
            errors.append(str(exc))
            return None

    known = {"id", "path", "url", "kind", "publisher", "side", "published", "period", "language"}
    unknown = sorted(set(entry) - known)
    if unknown:
        errors.append(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(known))}")
    kind = entry.get("kind")
    if kind not in KINDS:
        errors.append(f"{where}: kind = {kind!r}; use one of {', '.join(KINDS)}")
    rel, url = entry.get("path"), entry.get("url")
    path = check(_path, rel, url, where, root)
    if url is not None:
        check(_check_url, url, where)
    publisher = entry.get("publisher")
    if publisher is not None and not isinstance(publisher, str):
        errors.append(f"{where}: publisher = {publisher!r} must be text")
    side = check(_side, entry.get("side"), where)
    published = check(_iso_date, entry["published"], where, "published") if entry.get("published") is not None else None
    period = check(_period, entry.get("period"), where)
    language = check(_language, entry.get("language"), where)
    if errors:
        raise ManifestError("\n".join(errors))
    return DocumentSpec(id=doc_id, kind=kind, path=path, url=url, publisher=publisher,
                        side=side, published=published, period=period, language=language)


def _path(rel, url, where: str, root: Path) -> Path | None:
    if rel is None and url is None:
        raise ManifestError(f"{where}: needs a path (a file in the corpus folder) or a url")
    if rel is None:
        return None
    if not isinstance(rel, str):
        raise ManifestError(f"{where}: path = {rel!r} must be text: a file name inside the corpus folder")
    path = (root / rel).resolve()
    if root.resolve() not in path.parents:
        raise ManifestError(f"{where}: path {rel!r} leaves the corpus folder; keep documents inside it")
    if path.suffix.lower() not in SUFFIXES:
        raise ManifestError(f"{where}: path {rel!r}: only .txt, .html, .htm and .pdf files are read")
    return path


def _side(value, where: str) -> str | None:
    """The publishing side: pipeline/sides.py's check, as `decide` makes it ('QQ' is refused)."""
    if value is None:
        return None
    from pipeline.sides import side_code

    try:
        return side_code(value)
    except ValueError as exc:
        raise ManifestError(f"{where}: side = {value!r} {exc}") from None


def _period(value, where: str) -> tuple[str, str] | None:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2):
        raise ManifestError(f"{where}: period must be [start, end] ISO dates")
    return _iso_date(value[0], where, "period"), _iso_date(value[1], where, "period")


def _check_url(url, where: str) -> None:
    """An http(s) address that parses ("http://[::1" does not)."""
    from urllib.parse import urlsplit

    if not isinstance(url, str):
        raise ManifestError(f"{where}: url = {url!r} must be text: an http:// or https:// address")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- a bad port raises here
    except ValueError as exc:
        raise ManifestError(f"{where}: url = {url!r} is not a valid address ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ManifestError(f"{where}: url = {url!r} must be an http:// or https:// address with a host")


def _language(value, where: str) -> str | None:
    """An ISO 639-1 code ('en', 'ru'), any case; checked against pycountry's table."""
    if value is None:
        return None
    import pycountry

    if not isinstance(value, str) or len(value) != 2 or pycountry.languages.get(alpha_2=value.lower()) is None:
        raise ManifestError(f"{where}: language = {value!r} must be an ISO 639-1 code such as 'en' or 'ru'")
    return value.lower()
