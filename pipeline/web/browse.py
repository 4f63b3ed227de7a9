"""Datasette over the claim database: metadata with descriptions, the saved queries as canned
queries, and facets by side, speaker and date. Datasette is an optional dependency."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

from pipeline.errors import ClaimtraceError
from pipeline.store.queries import SAVED

PLUGINS = Path(__file__).parent / "datasette_plugins"  # follows rebuilds, matches parameters as the CLI
DESCRIPTIONS = {
    "documents": ("The corpus documents as extracted", {
        "side": "ISO 3166-1 alpha-2 code of the publishing side", "published": "publication date (ISO)",
        "text": "the extracted text that paragraph offsets index", "sha256": "hash of the source bytes"}),
    "paragraphs": ("Blocks of each document with offsets into its extracted text", {
        "kind": "heading, paragraph, list_item, chronology, caption or meta",
        "section": "the country the paragraph is about (ISO code), inferred from its content"}),
    "claims": ("Attributed statements with their evidence", {
        "quote": "the exact evidence text", "speaker": "canonical name of the person speaking (null: an institution)",
        "reported_by": "side whose official or channel put the statement out ('author': the analyst)",
        "date": "date of the event or statement", "one_sided": "1 when only one side's account carries it",
        "status": "proposed (machine), accepted, edited or rejected (human)",
        "origin": "extractor (the machine found it) or reviewer (a reviewer added it)"}),
    "events": ("Calls, meetings and statements with the sides whose accounts the corpus holds", {}),
    "mentions": ("Actors and places named in the text, linked to canonical actors", {}),
    "actors": ("Canonical actors: the gazetteer plus document-local people", {}),
    "orphans": ("Human decisions that could not be re-anchored (kept, never dropped)", {}),
}


def metadata(db_name: str) -> dict:
    tables = {
        name: {"description": desc, "columns": columns}
        for name, (desc, columns) in DESCRIPTIONS.items()
    }
    tables["claims"]["facets"] = ["reported_by", "speaker", "date", "status"]
    tables["mentions"]["facets"] = ["label", "country"]
    queries = {
        name: {"sql": datasette_sql(q.sql), "title": name, "description": datasette_description(q.description)}
        for name, q in SAVED.items()
    }
    return {
        "title": "claimtrace",
        "description": "Claims attributed to officials, linked to their evidence",
        "databases": {db_name: {"tables": tables, "queries": queries}},
    }


def datasette_sql(sql: str) -> str:
    """A saved query as a Datasette canned query: its parameters matched by the plugin's SQL
    functions (datasette_plugins/claimtrace_live.py) as `claimtrace query --saved` matches them."""
    sql = sql.replace(":country", "claimtrace_country(:country)").replace(":actor", "claimtrace_actor(:actor)")
    return sql.replace(":basis", "lower(trim(:basis))")


def datasette_description(text: str) -> str:
    """'--param country=KZ' (the CLI's words) as Datasette asks for it: the form field below."""
    return re.sub(r"--param (\w+)=(\S+?)([,;]|$| )", r"the \1 field (e.g. \2)\3", text)


def write_metadata(db: Path, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(metadata(db.stem), indent=2, ensure_ascii=False), encoding="utf-8")
    return out


def command(db: Path, meta: Path, port: int) -> list[str]:
    exe = shutil.which("datasette", path=str(Path(sys.executable).parent)) or shutil.which("datasette")
    if exe is None:
        raise ClaimtraceError("Datasette is not installed; run `make browse` (it installs requirements-browse.txt)")
    if not db.is_file():
        raise ClaimtraceError(f"{db}: no database yet; run `claimtrace extract` first")
    # not --immutable: a decision made while it runs shows at the next request (Datasette reads, never writes)
    return [exe, "serve", str(db), "--metadata", str(meta), "--host", "127.0.0.1",
            "--port", str(port), "--setting", "default_page_size", "50", "--plugins-dir", str(PLUGINS)]
