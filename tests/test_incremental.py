"""Incremental extraction (issue 14): the per-document stage comes from a cache keyed by what it
reads; decisions only re-run the cross-document stage; the result equals a build from scratch."""

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
EXPORTS = ("claims", "mentions", "events", "documents")


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(DATA / "pairs", folder)  # twelve readouts of six calls: events join across documents
    return folder


def exports(run, corpus, db, notes) -> dict[str, str]:
    out = {}
    for what in EXPORTS:
        result = run("export", what, "--with-text", corpus=corpus, db=db, annotations=notes)
        assert result.exit_code == 0, result.output
        out[what] = result.output
    return out


def test_incremental_extract_equals_a_build_from_scratch(run, corpus, tmp_path):
    notes, db = tmp_path / "notes", tmp_path / "claims.db"
    first = run("extract", "--processes", "1", corpus=corpus, db=db, annotations=notes)
    assert first.exit_code == 0 and "(0 unchanged, 12 re-parsed)" in first.output, first.output
    assert run("extract", corpus=corpus, db=db, annotations=notes).output.count("up to date") == 1

    # one edited document and one decision
    doc = sorted(corpus.glob("*.html"))[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace("</body>", "<p>A closing line added by the test.</p></body>"),
                   encoding="utf-8")
    claim = run("query", "SELECT id FROM claims ORDER BY id LIMIT 1", "--format", "csv", db=db).output.split()[-1]
    assert run("decide", claim, "edit", "--set", "stance=neutral", corpus=corpus, db=db, annotations=notes).exit_code == 0
    again = run("extract", "--processes", "1", corpus=corpus, db=db, annotations=notes)
    assert again.exit_code == 0 and "(11 unchanged, 1 re-parsed)" in again.output, again.output
    incremental = exports(run, corpus, db, notes)

    scratch = tmp_path / "scratch.db"
    assert run("extract", "--force", "--processes", "1", corpus=corpus, db=scratch, annotations=notes).exit_code == 0
    assert exports(run, corpus, scratch, notes) == incremental
    assert all(incremental[w].strip() for w in EXPORTS)

    # a decision alone re-parses nothing
    other = run("query", "SELECT id FROM claims ORDER BY id DESC LIMIT 1", "--format", "csv", db=db).output.split()[-1]
    assert run("decide", other, "reject", corpus=corpus, db=db, annotations=notes).exit_code == 0
    assert "(12 unchanged, 0 re-parsed)" in run("extract", corpus=corpus, db=db, annotations=notes).output


def test_a_gazetteer_addition_reparses_all_and_says_why(run, corpus, tmp_path):
    notes, db = tmp_path / "notes", tmp_path / "claims.db"
    assert run("extract", "--processes", "1", corpus=corpus, db=db, annotations=notes).exit_code == 0
    added = run("actor", "add", "--id", "kz-test-person", "--name", "Akan Testperson", "--country", "KZ",
                corpus=corpus, db=db, annotations=notes)
    assert added.exit_code == 0, added.output
    result = run("extract", "--processes", "1", corpus=corpus, db=db, annotations=notes)
    assert "(all re-parsed: the gazetteer or rules changed)" in result.output, result.output
    forced = run("extract", "--force", "--processes", "1", corpus=corpus, db=db, annotations=notes)
    assert "(all re-parsed: --force)" in forced.output


def _result():
    """A document's result with every kind of field: a path, nested records, tuples, None."""
    from pipeline.records import Claim, Dated, DocumentResult, DocumentSpec, Link, Mention, Paragraph

    spec = DocumentSpec("d1", "readout", Path("/tmp/d1.html"), "https://example.org/1", "Kremlin", "RU",
                        "2022-02-28", ("2022-02-21", "2022-03-03"), "ru")
    para = Paragraph("d1-p1", "d1", 1, "paragraph", 0, 12, "Text written.", None, (Link(0, 4, "Text", "https://x"),))
    mention = Mention("d1", "d1-p1", 0, 4, "Text", "PERSON", None, None, "RU", "ner")
    claim = Claim("c1", "d1", "d1-p1", 0, 12, "Text written.", "Text written.", "Putin", "ru-putin", "RU", "Kremlin",
                  "2022-02-28", participants=("RU", "UZ"), content=("call",))
    return DocumentResult(spec, "Text written.", "ab" * 32, "Title", Dated("RU", "manifest"), None,
                          ("2022-02-21", "2022-03-03"), (para,), (mention,), (), (claim,), language=Dated("ru", "manifest"))


def test_a_damaged_or_half_written_entry_is_never_used(tmp_path):
    from pipeline.cache import DocumentCache

    cache = DocumentCache(tmp_path / "claims.db")
    cache.put("k1", _result())
    assert cache.get("k1") == _result()  # every field back with its type (tuples stay tuples, the path a Path)
    entry = cache.folder / "k1.json"
    entry.write_bytes(entry.read_bytes()[:50])             # as if the disk filled mid-write
    assert cache.get("k1") is None and not entry.exists()  # a miss, and gone
    (cache.folder / ".k2.123.tmp").write_bytes(b"partial")  # what a killed run leaves
    assert cache.get("k2") is None
    cache.put("k3", _result())
    assert cache.prune({"k3"}) == 1 and cache.get("k3") == _result()


class _Planted:
    def __reduce__(self):
        import os

        return (os.mkdir, (os.environ["PLANTED_DIR"],))


def test_a_crafted_or_foreign_entry_runs_no_code_and_is_a_miss(tmp_path, monkeypatch):
    """Cache entries used to be pickles: one planted beside the database ran code on the next extract."""
    import json
    import pickle

    from pipeline.cache import FORMAT, FORMAT_VERSION, DocumentCache
    from pipeline.records_json import encode

    planted = tmp_path / "planted"
    monkeypatch.setenv("PLANTED_DIR", str(planted))
    cache = DocumentCache(tmp_path / "claims.db")
    cache.folder.mkdir(parents=True)
    for name in ("k1.json", "k1.pickle"):
        (cache.folder / name).write_bytes(pickle.dumps(_Planted()))
    assert cache.get("k1") is None and not planted.exists()

    good = encode(_result())
    wrong = [dict(good, claims=5), dict(good, paragraphs=[{"__record": "Claim"}]), dict(good, __record="Claim"),
             dict(good, spec=dict(good["spec"], path=["x"])), dict(good, text=None), dict(good, hacked=1), [good]]
    for n, result in enumerate(wrong):
        (cache.folder / f"w{n}.json").write_text(json.dumps(
            {"format": FORMAT, "version": FORMAT_VERSION, "key": f"w{n}", "result": result}))
        assert cache.get(f"w{n}") is None, result
    (cache.folder / "w9.json").write_text(json.dumps({"format": FORMAT, "version": FORMAT_VERSION + 1, "key": "w9",
                                                      "result": good}))
    assert cache.get("w9") is None  # another format version
    (cache.folder / "w8.json").write_text(json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "key": "k3",
                                                      "result": good}))
    assert cache.get("w8") is None  # an entry copied under another key


def test_the_key_follows_the_per_document_code():
    from pipeline.cache import stage_modules

    modules = stage_modules()
    assert {"parse", "extractor", "make", "stance", "actors", "dates", "documents", "annotate"} <= set(modules)
    assert not {"curation", "events", "store", "cli", "report"} & set(modules)  # cross-document and interface
    assert "__init__" not in modules  # a package's own module goes by the package's name: language/__init__.py
    assert modules.count("language") == 2  # ... that one, and ingest/language.py


def test_a_warm_process_holds_the_entries_on_disk_and_only_those(tmp_path):
    """keep_warm (claimtrace daemon): every readable entry held decoded, a removed one dropped, a
    damaged one not held; a cache with no folder yet holds nothing."""
    from pipeline.cache import DocumentCache

    assert DocumentCache(tmp_path / "none.db").keep_warm() == 0
    cache = DocumentCache(tmp_path / "claims.db")
    cache.put("k1", _result())
    cache.put("k2", _result())
    (cache.folder / "k3.json").write_text("{damaged", encoding="utf-8")
    assert cache.keep_warm() == 2 and cache.warm_results() == [_result(), _result()]
    (cache.folder / "k1.json").unlink()
    assert cache.keep_warm() == 1 and cache.warm_results() == [_result()]
    assert cache.get("k2") == _result()
    assert DocumentCache(tmp_path / "other.db").warm_results() == []  # another database's cache is its own


def test_reanchoring_looks_each_decision_up_once(monkeypatch):
    """Placing 200 decisions on a document of 200 claims normalises each target's text once."""
    from pipeline import curation
    from pipeline.curation import Target, TargetIndex, new_decision

    text = " ".join(f"Statement number {n} was made." for n in range(200))
    targets, pos = [], 0
    for n in range(200):
        sentence = f"Statement number {n} was made."
        targets.append(Target(f"c{n}", pos, pos + len(sentence)))
        pos += len(sentence) + 1
    calls = []
    real = curation.normalise
    monkeypatch.setattr(curation, "normalise", lambda s: calls.append(1) or real(s))
    index = TargetIndex(targets, text)
    for t in targets:
        d = new_decision("doc", "accept", "claim", t.key, text, t.start, t.end)
        assert index.locate(d)[0] == t
    assert len(calls) <= 3 * len(targets)  # was one normalisation per target per decision: 40,000


# every input of a document's cache key changes the key (issue 25); the values are made up for the test
def test_each_input_of_a_documents_key_changes_it(tmp_path):
    from dataclasses import replace

    from pipeline.cache import document_key, knowledge_version, stage_base
    from pipeline.limits import Limits
    from pipeline.records import DocumentSpec

    notes = tmp_path / "notes"
    notes.mkdir()
    versions = {"stage": "s1", "knowledge": knowledge_version(notes), "model": "m1"}
    base = stage_base(versions, Limits(), True)
    spec = DocumentSpec("d", "news", tmp_path / "d.html")
    key = document_key(base, spec, b"<p>text</p>", spec.path, None)
    changed = {
        "code": document_key(stage_base({**versions, "stage": "s2"}, Limits(), True), spec, b"<p>text</p>", spec.path, None),
        "model": document_key(stage_base({**versions, "model": "m2"}, Limits(), True), spec, b"<p>text</p>", spec.path, None),
        "limits": document_key(stage_base(versions, Limits(max_bytes=1000), True), spec, b"<p>text</p>", spec.path, None),
        "language": document_key(stage_base(versions, Limits(), False), spec, b"<p>text</p>", spec.path, None),
        "bytes": document_key(base, spec, b"<p>text.</p>", spec.path, None),
        "charset": document_key(base, spec, b"<p>text</p>", spec.path, "windows-1251"),
        "path": document_key(base, spec, b"<p>text</p>", tmp_path / "archive" / "x.html", None),
        "manifest": document_key(base, replace(spec, side="KZ"), b"<p>text</p>", spec.path, None),
    }
    assert {name for name, other in changed.items() if other == key} == set()
    before = knowledge_version(notes)
    (notes / "sources.toml").write_text('[[source]]\ndomain = "example.org"\nside = "KZ"\n', encoding="utf-8")
    after_sources = knowledge_version(notes)
    (notes / "gazetteer.toml").write_text("# an empty gazetteer of one's own\n", encoding="utf-8")
    assert len({before, after_sources, knowledge_version(notes)}) == 3


def test_another_model_changes_the_versions_only_when_the_language_stages_run(tmp_path):
    from pipeline.cache import stage_versions

    notes = tmp_path / "notes"  # the model names are made up: neither is installed
    assert stage_versions(notes, "xx_model_one", True) != stage_versions(notes, "xx_model_two", True)
    assert stage_versions(notes, "xx_model_one", False) == stage_versions(notes, "xx_model_two", False)


def test_the_runs_fingerprint_follows_the_fetch_archive(tmp_path):
    """A re-fetched page changes the archive's log: the run is not 'up to date' any more."""
    from pipeline.config import Settings
    from pipeline.extract import fingerprint

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.toml").write_text('[[document]]\nid = "a"\nkind = "news"\nurl = "https://example.org/a"\n',
                                          encoding="utf-8")
    settings = Settings(corpus=corpus, db=tmp_path / "c.db", annotations=tmp_path / "notes")
    first = fingerprint(settings, [])
    (corpus / "archive").mkdir()
    (corpus / "archive" / "provenance.jsonl").write_text('{"doc_id": "a", "sha256": "00"}\n', encoding="utf-8")
    assert fingerprint(settings, []) != first
