"""claimtrace command line: parse options, call the stages, turn errors into messages."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import replace
from pathlib import Path

import click

from pipeline import __version__
from pipeline.config import PROJECT_FILE, Settings
from pipeline.errors import ClaimtraceError
from pipeline.limits import Limits

FORMAT = click.Choice(["jsonl", "csv", "tsv", "json", "xlsx", "w3c"])
EXPORT_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json",
                   ".xlsx": "xlsx", ".jsonld": "w3c"}
ROWS_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "jsonl"]), default="table",
                           show_default=True, help="table for a terminal; csv, json or jsonl for other tools.")


class Claimtrace(click.Group):
    """The command group; its options (--corpus, --db, --annotations) may also follow the subcommand."""

    GLOBAL = ("--corpus", "--db", "--annotations")

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        front, rest, i = [], [], 0
        command_seen = False
        while i < len(args):
            arg = args[i]
            if arg == "--":
                rest.extend(args[i:])
                break
            name = arg.split("=", 1)[0]
            if name in self.GLOBAL:
                takes_next = "=" not in arg and i + 1 < len(args)
                (front if command_seen else rest).extend(args[i:i + 1 + takes_next])
                i += 1 + takes_next
                continue
            if not arg.startswith("-"):
                command_seen = True
            rest.append(arg)
            i += 1
        return super().parse_args(ctx, front + rest)


@click.group(cls=Claimtrace, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimtrace")
@click.option("--corpus", type=click.Path(path_type=Path, file_okay=False), envvar="CLAIMTRACE_CORPUS",
              show_envvar=True, help="Folder holding manifest.toml and its documents. Default: ./corpus of the "
              "project folder (below).")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), envvar="CLAIMTRACE_DB", show_envvar=True,
              help="The SQLite database the pipeline (re)builds. Default: ./build/claims.db of the project folder.")
@click.option("--annotations", type=click.Path(path_type=Path, file_okay=False), envvar="CLAIMTRACE_ANNOTATIONS",
              show_envvar=True, help="Human curation: decisions and gazetteer additions (empty or missing: none). "
              "Default: ./annotations of the project folder.")
@click.pass_context
def cli(ctx: click.Context, corpus: Path | None, db: Path | None, annotations: Path | None) -> None:
    """Turn reviews and the official readouts they cite into a database of attributed claims.

    The project folder is the current folder, or the nearest above it, that holds
    corpus/manifest.toml or a claimtrace.toml (which may set corpus, db and annotations,
    relative to itself). Without one, the bundled corpus is used. An option or its environment
    variable overrides each path. The options may also follow the command
    (`claimtrace query --db my.db ...`).

    \b
    Examples:
      claimtrace extract
      claimtrace export claims --format csv -o claims.csv
      claimtrace --corpus my-corpus --db my.db --annotations my-notes extract
      CLAIMTRACE_DB=/data/claims.db claimtrace query --saved disputed
    """
    from pipeline.config import locate

    try:
        found = locate() if None in (corpus, db, annotations) else None
    except ClaimtraceError as exc:
        fail(str(exc))
    if found and corpus is None and found.bundled and found.root != Path.cwd().resolve() \
            and ctx.invoked_subcommand in ("extract", "fetch", "links"):
        click.echo(f"Note: no corpus/manifest.toml or {PROJECT_FILE} in this folder or above it; using the "
                   f"bundled corpus in {found.root} (give --corpus or CLAIMTRACE_CORPUS for another)", err=True)
    ctx.obj = Settings(corpus=corpus or found.corpus, db=db or found.db,
                       annotations=annotations or found.annotations)


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@cli.command()
@click.option("--processes", "-p", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the machine's cores).")
@click.option("--force", is_flag=True, help="Rebuild from scratch: even when no input has changed, and without the "
              "per-document cache.")
@click.option("--no-nlp", is_flag=True, help="Only parse documents into paragraphs (no spaCy).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run the per-document stage on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs claimtrace[dask]).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=Limits.max_bytes, show_default=True,
              help="A larger document fails (the others go on).")
@click.option("--time-budget", type=click.FloatRange(min=0), default=Limits.time_budget, show_default=True,
              help="Seconds one document may take before it is stopped and reported failed (0: no limit).")
@click.pass_obj
def extract(settings: Settings, processes: int | None, force: bool, no_nlp: bool, scheduler: str | None,
            max_bytes: int, time_budget: float) -> None:
    """(Re)build the database from the corpus and the annotations.

    The database is built in a temporary file and moved into place at the end, so an
    interrupted run leaves the previous one intact. When nothing the run reads has changed
    the database is left as it is (use --force to rebuild anyway). Exits 1 if any document
    failed, after processing all the others.

    \b
    Example:
      claimtrace extract --processes 2
      claimtrace extract --max-bytes 20000000 --time-budget 600
      claimtrace extract --scheduler tcp://10.0.0.5:8786
    """
    from pipeline.extract import run

    settings = replace(settings, limits=replace(settings.limits, max_bytes=max_bytes, time_budget=time_budget))

    progress = Progress()
    try:
        summary = run(settings, processes=processes, force=force, with_language=not no_nlp, progress=progress,
                      scheduler=scheduler)
    except KeyboardInterrupt:
        progress.close()
        click.echo(f"\ninterrupted after {progress.done} of {progress.total or '?'} documents: the database is as it "
                   "was before this run; the documents parsed so far are kept in the cache, so the next "
                   "`claimtrace extract` goes on from there", err=True)
        sys.exit(130)
    except ClaimtraceError as exc:
        progress.close()
        fail(str(exc))
    progress.close()
    state = "up to date, nothing changed" if summary.up_to_date else "built"
    if not summary.up_to_date and summary.rows_written is not None:
        state = f"updated in place: {summary.rows_written} row(s) written"
    if summary.up_to_date:
        reuse = ""
    elif summary.why_all:
        reuse = f" (all re-parsed: {summary.why_all})"
    else:
        reuse = f" ({summary.reused} unchanged, {summary.parsed} re-parsed)"
    click.echo(
        f"{summary.documents} documents{reuse}, {summary.paragraphs} paragraphs, {summary.mentions} mentions, "
        f"{summary.claims} claims, {summary.events} events, {summary.orphans} orphaned decisions\n"
        f"database: {summary.db} ({state})"
    )
    for problem in summary.problems:
        click.echo(f"Warning: {problem}", err=True)
    if summary.orphans:
        click.echo(f"{summary.orphans} decision(s) could not be re-anchored; list them with "
                   "`claimtrace review --orphans`", err=True)
    for doc_id, reason in summary.failures.items():
        click.echo(f"Error: {doc_id}: {reason}", err=True)
    if summary.problems:
        click.echo(f"{len(summary.problems)} line(s) of the annotations could not be used; they are kept as they "
                   "are and skipped: fix the lines named above", err=True)
    if summary.failures:
        click.echo(f"{len(summary.failures)} document(s) failed; the others are in the database.", err=True)
    if summary.failures or summary.problems:
        sys.exit(1)


def _review_filters(settings: Settings, doc: str | None, side: str | None) -> tuple[str | None, str | None]:
    """review's --doc and --side checked where they enter: a document of the database (else the
    closest ids), a side as decide takes it (any case; 'author')."""
    from pipeline import store
    from pipeline.curation import CurationError
    from pipeline.curation.decide import check_side

    if side is not None:
        try:
            side = check_side(side, "--side") if side.lower() != "author" else "author"
        except CurationError as exc:
            fail(str(exc))
    if doc is not None:
        store.require_document(settings.db, doc)  # no such document: the error names the closest ids
    return doc, side


class Progress:
    """extract's progress: a bar with counts, rate and time left on a terminal (tqdm), a line a
    document otherwise; documents read unchanged from the cache are counted, not listed, and what
    is worth reading about a document (a failure, a guessed encoding, mixed languages, a period
    line not understood) is always printed on a line of its own."""

    def __init__(self) -> None:
        self.done = self.total = self.unchanged = 0
        self.bar = None
        self.tty = sys.stderr.isatty()

    def __call__(self, n: int, total: int, doc_id: str, status: str) -> None:
        self.done, self.total = n, total
        unchanged = status.endswith("(unchanged)")
        self.unchanged += unchanged
        line = f"[{n}/{total}] {doc_id}: {status}"
        if self.tty:
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit="doc", desc="extract", file=sys.stderr, dynamic_ncols=True)
            self.bar.update(n - self.bar.n)
            self.bar.set_postfix_str(doc_id[:30], refresh=False)
            if "; " in status or status.startswith("failed"):
                self.bar.write(line, file=sys.stderr)
        elif not unchanged or "; " in status:
            click.echo(line, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self.unchanged:
            click.echo(f"{self.unchanged} document(s) unchanged since the last run: read from the cache", err=True)
            self.unchanged = 0


@cli.command(name="export")
@click.argument("what", type=click.Choice(["claims", "mentions", "events", "documents", "annotations"]))
@click.option("--format", "fmt", type=FORMAT, default=None,
              help="jsonl, csv, tsv, json or xlsx (default: from the -o file's extension, else jsonl); w3c for "
                   "annotations.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file instead of standard output (xlsx needs a file).")
@click.option("--with-text", is_flag=True,
              help="Add the text the offsets point into: paragraph_text (claims, mentions), text (documents).")
@click.option("--bom", is_flag=True, help="Start a csv or tsv file with a UTF-8 byte-order mark (for Excel).")
@click.option("--doc", "doc_id", help="Only this document's records (events: those it is an account of).")
@click.option("--side", help="Only this side's: claims reported_by, mentions' country, events' sides, documents' side.")
@click.option("--status", type=click.Choice(["proposed", "accepted", "edited", "rejected"]), help="Claims only.")
@click.option("--since", help="Claims and events dated, documents published, on or after YYYY-MM[-DD].")
@click.pass_obj
def export_cmd(settings: Settings, what: str, fmt: str | None, output: Path | None, with_text: bool,
               bom: bool, doc_id: str | None, side: str | None, status: str | None, since: str | None) -> None:
    """Export claims, mentions, events or documents as JSON Lines, CSV, TSV, JSON or an Excel
    workbook; the claims and every human decision as W3C Web Annotations (JSON-LD).

    \b
    Examples:
      claimtrace export claims --format csv -o claims.csv
      claimtrace export claims -o claims.xlsx         # the format from the extension
      claimtrace export claims -o claims.csv --bom    # for Excel: a byte-order mark first
      claimtrace export claims --side KZ --status accepted --since 2022-03
      claimtrace export events --doc kremlin-0225
      claimtrace export mentions --with-text          # with the paragraph the offsets point into
      claimtrace export documents --format json
      claimtrace export annotations --format w3c -o curation.jsonld
    """
    from pipeline.store import export

    if what == "annotations" and fmt not in (None, "w3c"):
        fail("annotations are exported as W3C Web Annotations: use --format w3c")
    if fmt == "w3c" and what != "annotations":
        fail(f"--format w3c is for `export annotations`; {what} go out as jsonl, csv, tsv, json or xlsx")
    if fmt is None and output is not None and output.suffix and what != "annotations":
        fmt = EXPORT_SUFFIXES.get(output.suffix.lower())
        if fmt is None or fmt == "w3c":
            fail(f"{output}: cannot tell the format from {output.suffix!r}; name the file .jsonl, .csv, .tsv, "
                 ".json or .xlsx, or give --format")
    if fmt is None:
        fmt = "w3c" if what == "annotations" else "jsonl"
    if fmt == "xlsx" and output is None:
        fail("--format xlsx writes a workbook file: give -o FILE.xlsx")
    if bom and fmt not in ("csv", "tsv"):
        fail("--bom is for csv and tsv files")
    wanted = _export_filters(what, doc_id, side, status, since)
    if fmt == "w3c":
        try:
            text = json.dumps(export.w3c_annotations(settings.db, settings.annotations), ensure_ascii=False, indent=1)
        except ClaimtraceError as exc:
            fail(str(exc))
        if output:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text + "\n", encoding="utf-8")
            click.echo(f"annotations written to {output}", err=True)
        else:
            click.echo(text)
        return
    try:
        rows = export.filtered(export.records(settings.db, what, with_text), what, wanted)
        names = export.columns(what, with_text)
        if output and fmt == "xlsx":
            output.parent.mkdir(parents=True, exist_ok=True)
            n = export.write_xlsx(rows, output, names, what)
            click.echo(f"{n} {what} written to {output}", err=True)
        elif output:
            output.parent.mkdir(parents=True, exist_ok=True)
            with output.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
                n = export.write(rows, fmt, fh, names)
            click.echo(f"{n} {what} written to {output}", err=True)
        else:
            if bom:
                sys.stdout.write("\ufeff")
            export.write(rows, fmt, sys.stdout, names)
    except ClaimtraceError as exc:
        fail(str(exc))


def _export_filters(what: str, doc_id, side, status, since) -> dict:
    """The export filters given, checked where they enter (a side as `decide` checks it, a real date)."""
    from pipeline.curation import CurationError
    from pipeline.curation.decide import check_date, check_side
    from pipeline.store.export import FILTERS

    given = {"doc": doc_id, "side": side, "status": status, "since": since}
    for name, value in given.items():
        if value is not None and what not in FILTERS[name]:
            fail(f"--{name} does not apply to {what}; it filters {', '.join(FILTERS[name])}")
    try:
        if side is not None:
            given["side"] = "author" if what == "claims" and side.lower() == "author" else check_side(side, "--side")
        if since is not None:
            given["since"] = check_date(since, "--since")
    except CurationError as exc:
        fail(str(exc))
    return given


def _query_help() -> str:
    from pipeline.store.queries import help_text

    return "\n".join([
        "Run read-only SQL, or a saved query; statements that would write are refused.",
        "", "\b", "Saved queries (--saved NAME, parameters with --param KEY=VALUE):", help_text(),
        "", "\b", "Examples:",
        '  claimtrace query "SELECT reported_by, count(*) FROM claims GROUP BY reported_by"',
        "  claimtrace query --saved disputed",
        "  claimtrace query --saved timeline --param country=KZ --format csv",
    ])


@cli.command(help=_query_help())
@click.argument("sql", required=False)
@click.option("--saved", help="Run a saved query by name (see above).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Parameter of a saved query.")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Stop the query after this many seconds (0: no limit). Ctrl-C stops it too.")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Keep at most this many rows (a note says when rows were left out).")
@ROWS_FORMAT
@click.pass_obj
def query(settings: Settings, sql: str | None, saved: str | None, params: tuple[str, ...], timeout: float,
          max_rows: int, fmt: str) -> None:
    import signal

    from pipeline.store.queries import resolve
    from pipeline.store.query import run_query

    interrupted: list[bool] = []
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))

    try:
        if bool(sql) == bool(saved):
            raise ClaimtraceError("give either SQL or --saved NAME (see `claimtrace query --help`)")
        values = {}
        for pair in params:
            if "=" not in pair:
                raise ClaimtraceError(f"--param {pair!r}: write KEY=VALUE, e.g. --param country=KZ")
            key, value = pair.split("=", 1)
            values[key] = value
        if saved:
            sql, values = resolve(saved, values, settings.db, settings.annotations)
        columns, rows = run_query(settings.db, sql, values, timeout=timeout, max_rows=max_rows + 1,
                                  stop=lambda: bool(interrupted))
    except ClaimtraceError as exc:
        fail(str(exc))
    finally:
        signal.signal(signal.SIGINT, previous)
    if len(rows) > max_rows:
        rows = rows[:max_rows]
        click.echo(f"Note: only the first {max_rows} rows are shown; use --max-rows or a LIMIT", err=True)
    emit_rows(columns, rows, fmt)


@cli.command()
@click.argument("table", required=False)
@ROWS_FORMAT
@click.pass_obj
def schema(settings: Settings, table: str | None, fmt: str) -> None:
    """List the database's tables and columns (or one table's), to write queries against.

    \b
    Examples:
      claimtrace schema
      claimtrace schema claims
      claimtrace query "SELECT * FROM pragma_table_info('claims')"
    """
    from pipeline.store.query import schema as read_schema

    try:
        columns, rows = read_schema(settings.db, table)
    except ClaimtraceError as exc:
        fail(str(exc))
    emit_rows(columns, rows, fmt)


@cli.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@ROWS_FORMAT
@click.pass_obj
def search(settings: Settings, text: str, limit: int, fmt: str) -> None:
    """Full-text search over claims and paragraphs, best matches first, matches in [brackets],
    with a relevance column (bm25: higher is better).

    Words side by side must all occur; "a phrase" in double quotes occurs as written; OR and NOT
    (in capitals) go between terms; word* matches any ending. A Russian word also finds its other
    case forms in claims.

    \b
    Examples:
      claimtrace search special military operation      # all three words
      claimtrace search '"special military operation"'  # the phrase
      claimtrace search 'Putin OR Tokayev'
      claimtrace search 'referendum* NOT Crimea'
      claimtrace search Tokayev --format json
    """
    from pipeline.store.search import SearchSyntaxError
    from pipeline.store.search import search as run_search

    try:
        columns, rows = run_search(settings.db, text, limit)
    except SearchSyntaxError as exc:
        fail(f"search {text!r}: {exc}")
    except ClaimtraceError as exc:
        fail(str(exc))
    emit_rows(columns, rows, fmt)


@cli.command()
@click.argument("claim_id")
@click.argument("action", type=click.Choice(["accept", "reject", "edit"]))
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="With edit only: speaker, reported_by, date, source, text, confirmation, stance (empty = null).")
@click.option("--evidence", metavar="WORDS",
              help="With edit only: move the claim's evidence to these exact words of its document (one paragraph).")
@click.option("--nth", type=click.IntRange(min=1), help="With --evidence: which occurrence, when the words recur.")
@click.option("--reviewer", envvar="CLAIMTRACE_REVIEWER", show_envvar=True,
              help="Who decides (recorded with each decision). Default: git config user.name, else the login name.")
@click.pass_obj
def decide(settings: Settings, claim_id: str, action: str, sets: tuple[str, ...], evidence: str | None,
           nth: int | None, reviewer: str | None) -> None:
    """Accept, reject or edit one claim; the decision is saved in the annotations folder at once.

    It survives every later `extract`: decisions are re-anchored to the same evidence.

    \b
    Examples:
      claimtrace decide c1a2b3c4d5e6f7a8 accept
      claimtrace decide c1a2b3c4d5e6f7a8 edit --set reported_by=UZ --set stance=neutral
      claimtrace decide c1a2b3c4d5e6f7a8 edit --set speaker=Tokayev --set date=2022-02-25
      claimtrace decide c1a2b3c4d5e6f7a8 edit --evidence "the words that say it"

    \b
    Values are checked: dates are real days or months (YYYY, YYYY-MM, YYYY-MM-DD), sides are
    ISO 3166-1 alpha-2 codes or 'author', speakers are any name form the gazetteer knows.
    Take a decision back with `claimtrace undo CLAIM_ID`.
    """
    from pipeline.curation.decide import decide as record
    from pipeline.curation.decide import parse_sets

    _saved(lambda: record(settings.db, settings.annotations, claim_id, action, parse_sets(list(sets)), reviewer,
                          evidence, nth),
           lambda d: f"{action} {claim_id}: saved in {settings.annotations / 'decisions' / (d.doc_id + '.jsonl')}")


def _saved(call, said) -> None:
    """Run one decision; print what `said` makes of it, a warning when it is saved but not yet in
    the database, or the error."""
    from pipeline.curation import SavedNotApplied

    try:
        result = call()
    except SavedNotApplied as exc:
        click.echo(f"Warning: {exc}", err=True)
        return
    except ClaimtraceError as exc:
        fail(str(exc))
    click.echo(said(result))


@cli.command()
@click.option("--doc", "doc_id", required=True, help="The document's id (as in the manifest).")
@click.option("--quote", required=True, help="The claim's exact words, as the document has them (one paragraph).")
@click.option("--nth", type=click.IntRange(min=1), help="Which occurrence, when the words occur more than once.")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="speaker, reported_by, date, source, text, confirmation, stance.")
@click.option("--reviewer", envvar="CLAIMTRACE_REVIEWER", show_envvar=True,
              help="Who decides (recorded with each decision). Default: git config user.name, else the login name.")
@click.pass_obj
def add(settings: Settings, doc_id: str, quote: str, nth: int | None, sets: tuple[str, ...],
        reviewer: str | None) -> None:
    """Add a claim the machine missed, with its exact words as evidence.

    Saved in the annotations folder like any decision: re-anchored on every `extract` (an inserted
    paragraph does not lose it), listed as an orphan if its words leave the document, taken back
    with `claimtrace undo CLAIM_ID`. The values are checked as `decide ... edit` checks them.

    \b
    Examples:
      claimtrace add --doc kremlin-0225 --quote "Mirziyoyev expressed understanding" \\
          --set speaker=Mirziyoyev --set reported_by=RU --set date=2022-02-25
      claimtrace add --doc akorda-0302 --quote "stressed the importance of talks" --nth 2
    """
    from pipeline.curation.decide import add_claim, parse_sets

    _saved(lambda: add_claim(settings.db, settings.annotations, doc_id, quote, parse_sets(list(sets)), nth, reviewer),
           lambda r: f"added {r[1]}: saved in {settings.annotations / 'decisions' / (r[0].doc_id + '.jsonl')}")


@cli.command()
@click.argument("claim_id", metavar="CLAIM_OR_MENTION_ID")
@click.option("--reviewer", envvar="CLAIMTRACE_REVIEWER", show_envvar=True,
              help="Who decides (recorded with each decision). Default: git config user.name, else the login name.")
@click.pass_obj
def undo(settings: Settings, claim_id: str, reviewer: str | None) -> None:
    """Take back the latest decision on a claim, or the latest link of a mention: a revert is
    appended (nothing is deleted).

    \b
    Examples:
      claimtrace undo c1a2b3c4d5e6f7a8
      claimtrace undo 9f2c0a1b2c3d4e5f:112-119      # a mention's link
    """
    from pipeline.curation.decide import undo as take_back
    from pipeline.curation.decide import undo_link

    def call():  # mention ids are PARAGRAPH:START-END
        if ":" in claim_id:
            return undo_link(settings.db, settings.annotations, claim_id, reviewer)
        return take_back(settings.db, settings.annotations, claim_id, reviewer)

    _saved(call, lambda d: f"undid {d.action} of {claim_id} (decided {d.decided_at}): revert saved in "
                           f"{settings.annotations / 'decisions' / (d.doc_id + '.jsonl')}")


@cli.command()
@click.option("--doc", help="Only claims of this document id.")
@click.option("--side", help="Only claims reported by this side (ISO code or 'author').")
@click.option("--status", default="proposed", show_default=True,
              type=click.Choice(["proposed", "accepted", "edited", "rejected"]))
@click.option("--orphans", is_flag=True, help="List decisions that could not be re-anchored, then exit.")
@click.option("--conflicts", is_flag=True, help="List claims two reviewers decided differently, then exit.")
@click.option("--reviewer", envvar="CLAIMTRACE_REVIEWER", show_envvar=True,
              help="Who decides (recorded with each decision). Default: git config user.name, else the login name.")
@click.pass_obj
def review(settings: Settings, doc: str | None, side: str | None, status: str, orphans: bool, conflicts: bool,
           reviewer: str | None) -> None:
    """Review proposed claims one at a time with single keys.

    a accept, r reject, e edit a field, n add a claim the machine missed, v move the evidence,
    s skip, u undo the last decision, q quit. Each decision is saved the moment it is made; the
    next run resumes after the last claim you saw.

    \b
    Examples:
      claimtrace review --side RU --reviewer "Ana Example"
      claimtrace review --orphans
      claimtrace review --conflicts
    """
    from pipeline.curation import review as loop

    try:
        if orphans:
            sys.exit(loop.list_orphans(settings.db))
        if conflicts:
            sys.exit(loop.list_conflicts(settings.annotations))
        doc, side = _review_filters(settings, doc, side)
        sys.exit(loop.run(settings.db, settings.annotations, doc=doc, side=side, status=status, reviewer=reviewer))
    except ClaimtraceError as exc:
        fail(str(exc))


@cli.command()
@click.argument("mention_id")
@click.argument("actor_id")
@click.pass_obj
def link(settings: Settings, mention_id: str, actor_id: str) -> None:
    """Correct the actor a mention is linked to; the fix stays across re-extractions.

    The actor is any name form `decide` takes: its id, name, an alias or a surname only one has.
    Take a link back with `claimtrace undo MENTION_ID`.

    \b
    Examples:
      claimtrace link 9f2c0a1b2c3d4e5f:112-119 kz-tokayev
      claimtrace link 9f2c0a1b2c3d4e5f:112-119 Tokayev
    """
    from pipeline.curation.decide import link_mention

    try:
        decision = link_mention(settings.db, settings.annotations, mention_id, actor_id)
    except ClaimtraceError as exc:
        fail(str(exc))
    click.echo(f"{mention_id} -> {decision.fields['actor']} ({decision.fields['actor_id']}): saved in "
               f"{settings.annotations / 'decisions' / (decision.doc_id + '.jsonl')}")


@cli.group()
def actor() -> None:
    """Manage the gazetteer additions in the annotations folder.

    \b
    Example:
      claimtrace actor add --id kz-rakhmetullin --name "Akan Rakhmetullin" --country KZ
    """


@actor.command(name="add")
@click.option("--id", "actor_id", required=True, help="Stable id, e.g. kz-rakhmetullin.")
@click.option("--name", required=True, help="Canonical name.")
@click.option("--type", "type_", default="person", show_default=True)
@click.option("--country", help="ISO 3166-1 alpha-2 code.")
@click.option("--alias", "aliases", multiple=True, help="Another name or spelling (repeatable).")
@click.option("--role", "roles", multiple=True, metavar="ROLE:FROM[:TO]", help="An office held (repeatable).")
@click.pass_obj
def actor_add(settings: Settings, actor_id, name, type_, country, aliases, roles) -> None:
    """Add an actor to <annotations>/gazetteer.toml; the next extract links mentions to it.

    \b
    Example:
      claimtrace actor add --id kz-rakhmetullin --name "Akan Rakhmetullin" --country KZ \\
        --role deputy_foreign_minister:2021-01-01
    """
    from pipeline.curation.decide import add_actor

    try:
        path = add_actor(settings.annotations, actor_id, name, type_, country, list(aliases), list(roles))
    except ClaimtraceError as exc:
        fail(str(exc))
    click.echo(f"{actor_id} added to {path}; run `claimtrace extract` to use it")


@cli.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder for index.html (default: build/report next to the database).")
@click.pass_obj
def report(settings: Settings, output: Path | None) -> None:
    """Write a static, self-contained HTML report (no network needed to view it).

    \b
    Examples:
      claimtrace report
      claimtrace report -o /tmp/report && xdg-open /tmp/report/index.html
    """
    from pipeline.web.report import write_report

    try:
        path = write_report(settings.db, output or settings.db.parent / "report")
    except ClaimtraceError as exc:
        fail(str(exc))
    click.echo(f"report: {path}")


@cli.command()
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--metadata-only", is_flag=True, help="Only write the Datasette metadata file and print its path.")
@click.pass_obj
def browse(settings: Settings, port: int, metadata_only: bool) -> None:
    """Serve the database read-only with Datasette on 127.0.0.1, saved queries included.

    \b
    Examples:
      claimtrace browse              # then open http://127.0.0.1:8001/
      claimtrace browse --port 8010
    """
    import os

    from pipeline.web.browse import command, write_metadata

    try:
        meta = write_metadata(settings.db, settings.db.parent / "datasette-metadata.json")
        if metadata_only:
            click.echo(str(meta))
            return
        argv = command(settings.db, meta, port)
    except ClaimtraceError as exc:
        fail(str(exc))
    click.echo(f"serving {settings.db} on http://127.0.0.1:{port}/ (Ctrl-C to stop)", err=True)
    os.execv(argv[0], argv)


ACCOUNTS = click.option("--accounts", "accounts_file", type=click.Path(path_type=Path, dir_okay=False),
                        envvar="CLAIMTRACE_ACCOUNTS", show_envvar=True,
                        help="The reviewer accounts file (scrypt-hashed passwords; kept outside the annotations "
                             "folder). Default: ~/.config/claimtrace/reviewers.json ($XDG_CONFIG_HOME if set).")


@cli.command()
@click.option("--port", default=8002, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 lets other machines review (and decide), "
                   "and reviewers then sign in (see `claimtrace reviewer add`).")
@click.option("--allowed-host", "allowed", multiple=True, metavar="NAME",
              help="Another name or address the server is opened by, as typed in the browser (repeatable). "
                   "Other Host headers are refused. Always allowed: the --host address; for 127.0.0.1 also "
                   "localhost; for 0.0.0.0 or :: also this machine's host name and the loopback names.")
@ACCOUNTS
@click.option("--reviewer", envvar="CLAIMTRACE_REVIEWER", show_envvar=True,
              help="The name decisions are recorded under on 127.0.0.1 (each page can change it); beyond "
                   "loopback the signed-in name is used. Default: git config user.name, else the login name.")
@click.pass_obj
def serve(settings: Settings, port: int, host: str, allowed: tuple[str, ...], accounts_file: Path | None,
          reviewer: str | None) -> None:
    """Review claims in the browser: the queue, the evidence highlighted in its paragraph, the other
    side's account beside it, the same keys as `review` (a, r, e, s, u), who decided what.

    On 127.0.0.1 no sign-in is needed. On any other address reviewers sign in with the accounts
    made by `claimtrace reviewer add`, and decisions carry the signed-in name.

    \b
    Examples:
      claimtrace serve                      # then open http://127.0.0.1:8002/
      claimtrace serve --reviewer "Ana Example" --port 8010
      claimtrace reviewer add "Ana Example" && claimtrace serve --host 0.0.0.0 --allowed-host review.lan
    """
    from pipeline.curation import reviewer_name
    from pipeline.store import open_existing
    from pipeline.web import accounts, hosts
    from pipeline.web.serve import check_port
    from pipeline.web.serve import serve as run_server

    who = reviewer_name(reviewer)
    login = None if hosts.is_loopback(host) else (accounts_file or accounts.default_path())
    try:
        open_existing(settings.db).close()  # no database: say so before announcing an address
        if login is not None:
            accounts.check_ready(login, settings.annotations)
        check_port(host, port)
    except ClaimtraceError as exc:
        fail(str(exc))
    names = ", ".join(hosts.allowed_hosts(host, allowed))
    said = f"reviewers sign in (accounts: {login})" if login else f"as {who}"
    click.echo(f"reviewing {settings.db} {said} on http://{host}:{port}/ (answering as {names}; Ctrl-C to stop)",
               err=True)
    try:
        run_server(settings.db, settings.annotations, who, host, port, allowed, login)
    except ClaimtraceError as exc:
        fail(str(exc))


@cli.group()
def reviewer() -> None:
    """Reviewer accounts for `claimtrace serve` beyond 127.0.0.1: a name and a password each,
    stored hashed (scrypt) in a file outside the annotations folder, readable by you only.

    \b
    Examples:
      claimtrace reviewer add "Ana Example"
      claimtrace reviewer remove "Ana Example" --accounts /srv/claimtrace/reviewers.json
    """


@reviewer.command(name="add")
@click.argument("name")
@ACCOUNTS
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts).")
@click.pass_obj
def reviewer_add(settings: Settings, name: str, accounts_file: Path | None, password_stdin: bool) -> None:
    """Give a reviewer an account: asks for the password twice (hidden).

    \b
    Examples:
      claimtrace reviewer add "Ana Example"
      printf '%s\\n' "$PASSWORD" | claimtrace reviewer add "Ben Example" --password-stdin
    """
    from pipeline.web import accounts

    path = accounts_file or accounts.default_path()
    try:
        accounts.check_outside(path, settings.annotations)
        name = accounts.check_name(name)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True, err=True)
        accounts.add(path, name, password)
    except ClaimtraceError as exc:
        fail(str(exc))
    click.echo(f"added reviewer {name!r} to {path}")


@reviewer.command(name="remove")
@click.argument("name")
@ACCOUNTS
@click.pass_obj
def reviewer_remove(settings: Settings, name: str, accounts_file: Path | None) -> None:
    """Remove a reviewer's account (a running server signs the reviewer out at the next request).

    \b
    Example:
      claimtrace reviewer remove "Ana Example"
    """
    from pipeline.web import accounts

    path = accounts_file or accounts.default_path()
    try:
        accounts.remove(path, name.strip())
    except ClaimtraceError as exc:
        fail(str(exc))
    click.echo(f"removed reviewer {name.strip()!r} from {path}")


@cli.command()
@click.option("--refresh", is_flag=True, help="Fetch every document with a url again (new versions are kept beside old ones).")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True, help="Seconds between requests to one host.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Read timeout in seconds.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True, help="Largest body accepted.")
@click.option("--allow-private", is_flag=True,
              help="Also fetch from private, loopback and link-local addresses (an intranet source); refused by default.")
@click.pass_obj
def fetch(settings: Settings, refresh: bool, delay: float, timeout: float, max_bytes: int, allow_private: bool) -> None:
    """Download manifest documents that have a url into <corpus>/archive, with provenance.

    Obeys robots.txt, waits between requests to one host, retries connection errors, 429 and
    5xx with backoff (honouring Retry-After), and accepts only HTML and plain text. Never reaches a
    private, loopback or link-local address (checked on every redirect) unless --allow-private. A
    failed document gets a one-line reason and the others go on; the exit code is 1 if any failed.

    \b
    Examples:
      claimtrace fetch
      claimtrace fetch --refresh --delay 2
    """
    from pipeline.ingest.corpus import load_manifest
    from pipeline.ingest.fetch import FetchOptions, fetch_all

    def progress(n: int, total: int, doc_id: str, status: str) -> None:
        click.echo(f"[{n}/{total}] {doc_id}: {status}", err=True)

    try:
        specs = load_manifest(settings.manifest)
    except ClaimtraceError as exc:
        fail(str(exc))
    options = FetchOptions(host_delay=delay, read_timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
    outcomes = fetch_all(specs, settings.corpus, refresh=refresh, options=options, progress=progress)
    failed = [o for o in outcomes if not o.ok]
    click.echo(f"{len(outcomes) - len(failed)} fetched, {len(failed)} failed, archive: {settings.corpus / 'archive'}")
    for o in failed:
        click.echo(f"Error: {o.doc_id}: {o.message}", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--add", is_flag=True, help="Append new links to manifest.toml as documents to fetch.")
@ROWS_FORMAT
@click.pass_obj
def links(settings: Settings, add: bool, fmt: str) -> None:
    """List the links in review documents (anchor text, href, paragraph); --add puts them in the manifest.

    Kind, publisher and side of added documents are guessed from the host registry.

    \b
    Examples:
      claimtrace links
      claimtrace links --add && claimtrace fetch
    """
    from pipeline.ingest.links import add_to_manifest, review_links
    from pipeline.knowledge import load_knowledge

    try:
        found = review_links(settings.db)
        if add:
            added = add_to_manifest(settings.manifest, found, load_knowledge(settings.annotations))
            click.echo(f"{len(added)} document(s) added to {settings.manifest}")
            return
    except ClaimtraceError as exc:
        fail(str(exc))
    columns = ["doc_id", "paragraph", "anchor", "href"]
    emit_rows(columns, [tuple(link[c] for c in columns) for link in found], fmt)


@cli.command()
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(min=1),
              help="Best of this many turns (with --incremental: the full runs, cold and warm, and bare spaCy "
                   "take turns).")
@click.option("--incremental", is_flag=True,
              help="Time extract through the command line (a fresh process each step) after no change, one "
                   "decision and one edited document, as shares of a full run over a generated corpus and "
                   "against bare spaCy, with each step's peak memory.")
@click.option("--documents", default=300, show_default=True, type=click.IntRange(min=3),
              help="With --incremental: how many documents to generate.")
@click.option("--processes", "-p", type=click.IntRange(min=1), default=None,
              help="With --incremental: worker processes (default 1).")
@click.option("--dask", "dask_path", is_flag=True,
              help="Time the Dask path on a LocalCluster of 2 workers against bare spaCy (needs claimtrace[dask]).")
@click.pass_obj
def bench(settings: Settings, repeat: int, incremental: bool, documents: int, processes: int | None,
          dask_path: bool) -> None:
    """Time the pipeline as ratios against bare spaCy on the same paragraphs, in one process.

    \b
    Examples:
      claimtrace bench --repeat 5
      claimtrace bench --incremental --documents 300
      claimtrace bench --incremental --documents 3000 --repeat 1
      claimtrace bench --dask --documents 100
    """
    from pipeline.bench import incremental as run_incremental
    from pipeline.bench import run as run_bench

    try:
        if dask_path:
            from pipeline.bench import dask_path as run_dask

            result = run_dask(documents if documents != 300 else 100)
        else:
            result = run_incremental(documents, processes, repeat=repeat) if incremental else run_bench(settings, repeat)
    except ClaimtraceError as exc:
        fail(str(exc))
    click.echo("\n".join(result.lines()))


def _register_groups() -> None:
    from pipeline.daemon.commands import daemon

    cli.add_command(daemon)


_register_groups()


def emit_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "table":
        from pipeline.store.table import render

        click.echo(render(columns, rows))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")  # ids read in a shell loop carry no \r
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        click.echo(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            click.echo(json.dumps(dict(zip(columns, r)), ensure_ascii=False))


def main() -> None:
    cli(prog_name="claimtrace")


if __name__ == "__main__":
    main()
