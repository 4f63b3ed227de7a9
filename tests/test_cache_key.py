"""The parts of a document's cache key (pipeline/cache.py, issue 25): which files count as the
per-document stage's code, what their digest depends on, and where the entries live. The packages
here are made up in a temporary folder; every expected value is written out by hand."""


import pytest

from pipeline import cache


def _write(root, files: dict[str, str]):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# a made-up package `pipeline` with every form of import the pattern reads
PACKAGE = {
    "__init__.py": '__version__ = "0"\n',
    "root.py": (
        "from pipeline.alpha import thing\n"
        "from pipeline import beta, not_a_module\n"
        "from pipeline.pkg import (\n"
        "    sub,\n"
        "    other_name,\n"
        ")\n"
        "# from pipeline.commented import y\n"
        "\n"
        "def later():\n"
        "    from pipeline.lazy import x\n"
    ),
    "alpha.py": (
        "from pipeline.deep.leaf import y\n"  # followed on: imports of an import
        "from pipeline.deep import leaf\n"  # deep/ has no __init__.py: only its module is a file
        "# Переговоры: a comment in Russian, as the package's modules have\n"
    ),
    "beta.py": "",
    "pkg/__init__.py": "",
    "pkg/sub.py": "",
    "pkg/unused.py": "",
    "lazy.py": "",
    "deep/leaf.py": "from pipeline.alpha import thing\n",  # a cycle back
    "commented.py": "",
    "unrelated.py": "from pipeline.beta import z\n",
}


@pytest.fixture
def package(tmp_path, monkeypatch):
    root = tmp_path / "repo" / "pipeline"
    _write(root, PACKAGE)
    monkeypatch.setattr(cache, "PACKAGE_DIR", root)
    monkeypatch.setattr(cache, "STAGE_ROOTS", ("root",))
    return root


@pytest.fixture
def ascii_locale():
    """The locale of LC_ALL=C for the test's length: Python's default text encoding is then ASCII
    (not in UTF-8 mode, which PYTHONUTF8=1 or a C locale at startup turns on)."""
    import locale
    import sys

    if sys.flags.utf8_mode:
        pytest.skip("Python runs in UTF-8 mode: the default encoding is UTF-8 whatever the locale")
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        assert locale.getpreferredencoding(False) == "ANSI_X3.4-1968"
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def test_the_stage_is_the_closure_of_its_roots_imports(package):
    """Every `from pipeline... import` form, at any indent, followed through imports of imports
    (and around a cycle); a name that is not a module, a module named only in a comment, the
    package's own __init__.py and modules nothing imports are left out."""
    expected = ["alpha.py", "beta.py", "deep/leaf.py", "lazy.py", "pkg/__init__.py", "pkg/sub.py", "root.py"]
    assert cache.stage_files() == [package / name for name in expected]
    assert cache.stage_modules() == ["alpha", "beta", "lazy", "leaf", "pkg", "root", "sub"]


def test_one_modules_imports(package):
    assert cache._imports("root") == {"alpha", "beta", "pkg", "pkg.sub", "lazy"}
    assert cache._imports("alpha") == {"deep.leaf"}
    assert cache._imports("beta") == set()
    assert cache._imports("gone") == set()  # no such module


def test_a_root_that_is_not_there_is_skipped(package, monkeypatch):
    monkeypatch.setattr(cache, "STAGE_ROOTS", ("gone", "beta"))
    assert cache.stage_files() == [package / "beta.py"]


def test_a_module_name_gives_its_file_or_its_package(package):
    assert cache._file("pkg.sub") == package / "pkg" / "sub.py"
    assert cache._file("pkg") == package / "pkg" / "__init__.py"
    assert cache._file("") == package / "__init__.py"
    assert cache._file("pkg.gone") is None


def test_the_digest_names_package_files_from_the_package_and_others_by_name(tmp_path, monkeypatch):
    """The same files in another checkout (or annotations folder) give the same digest; a module
    moved to another folder of the package, or a file's bytes changed, give another."""
    files = {"records.py": "x = 1\n", "ingest/util.py": "y = 2\n"}
    digests = []
    for checkout in ("one", "two"):
        root = tmp_path / checkout / "pipeline"
        _write(root, files)
        monkeypatch.setattr(cache, "PACKAGE_DIR", root)
        digests.append(cache._digest([root / "records.py", root / "ingest" / "util.py"]))
    assert digests[0] == digests[1]

    root = tmp_path / "two" / "pipeline"
    _write(root, {"claims/util.py": "y = 2\n"})  # the same bytes in another folder of the package
    assert cache._digest([root / "records.py", root / "claims" / "util.py"]) != digests[1]
    (root / "records.py").write_text("x = 3\n", encoding="utf-8")
    assert cache._digest([root / "records.py", root / "ingest" / "util.py"]) != digests[1]

    notes = {}
    for folder in ("notes", "elsewhere/annotations"):
        _write(tmp_path / folder, {"gazetteer.toml": "# g\n", "sources.toml": "# s\n"})
        notes[folder] = cache.knowledge_version(tmp_path / folder)
    assert notes["notes"] == notes["elsewhere/annotations"]


def test_a_missing_file_and_an_empty_one_differ(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "PACKAGE_DIR", tmp_path / "pipeline")
    missing = cache._digest([tmp_path / "gazetteer.toml"])
    (tmp_path / "gazetteer.toml").write_bytes(b"")
    assert cache._digest([tmp_path / "gazetteer.toml"]) != missing


def test_the_knowledge_version_follows_the_rule_files_and_only_those(tmp_path, monkeypatch):
    rules = tmp_path / "knowledge"
    _write(rules, {"verbs.toml": "a = 1\n", "notes.txt": "not read\n"})
    monkeypatch.setattr(cache, "KNOWLEDGE_DIR", rules)
    notes = tmp_path / "notes"
    before = cache.knowledge_version(notes)
    (rules / "notes.txt").write_text("changed, still not read\n", encoding="utf-8")
    assert cache.knowledge_version(notes) == before
    (rules / "verbs.toml").write_text("a = 2\n", encoding="utf-8")
    assert cache.knowledge_version(notes) != before


def test_the_versions_without_the_language_stages_name_no_model(tmp_path):
    """extract stores these as stage_version, knowledge_version, model_version and says a model of
    "none" was a --no-nlp run."""
    versions = cache.stage_versions(tmp_path / "notes", "xx_model_one", False)
    assert sorted(versions) == ["knowledge", "model", "stage"]
    assert versions["model"] == "none"
    assert cache.stage_versions(tmp_path / "notes", "xx_model_one", True)["model"] == "xx_model_one"  # not installed


def test_an_installed_models_version_is_part_of_its_name():
    """A model is named as spaCy names it, with underscores (en_core_web_sm); its distribution may be
    named with dashes (en-core-web-sm). Any installed distribution named so stands for a model here."""
    installed = pytest.importorskip("charset_normalizer")  # the distribution is charset-normalizer

    assert cache.model_version("charset_normalizer") == f"charset_normalizer {installed.__version__}"


def test_the_entries_live_beside_the_database(tmp_path):
    """README: `<db folder>/cache/<db name>/`, one JSON file per key."""
    from pipeline.records import DocumentResult, DocumentSpec

    result = DocumentResult(DocumentSpec("d", "news", tmp_path / "d.txt"), "Text.", "ab" * 32, None, None, None,
                            None, (), (), (), ())
    db_cache = cache.DocumentCache(tmp_path / "data" / "claims.db")
    db_cache.put("k1", result)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "data/cache/claims.db/k1.json"]


def test_prune_removes_unused_entries_and_leftovers_and_counts_them(tmp_path):
    """Leftovers: a killed run's temporary file, an entry of the old pickle format."""
    from pipeline.records import DocumentResult, DocumentSpec

    assert cache.DocumentCache(tmp_path / "none.db").prune(set()) == 0  # no cache folder yet
    db_cache = cache.DocumentCache(tmp_path / "claims.db")
    result = DocumentResult(DocumentSpec("d", "news", tmp_path / "d.txt"), "Text.", "ab" * 32, None, None, None,
                            None, (), (), (), ())
    for key in ("keep", "old1", "old2"):
        db_cache.put(key, result)
    (db_cache.folder / ".k.12.tmp").write_bytes(b"partial")
    (db_cache.folder / "k.pickle").write_bytes(b"old format")
    assert db_cache.prune({"keep"}) == 4
    assert sorted(p.name for p in db_cache.folder.iterdir()) == ["keep.json"]


def test_prune_takes_an_entry_another_process_removed_meanwhile_in_its_stride(tmp_path, monkeypatch):
    """Two runs on one database (a warm process and a cold one) may prune at once: an entry listed
    by this one and removed by the other before this one gets to it is no error."""
    from pathlib import Path

    from pipeline.records import DocumentResult, DocumentSpec

    db_cache = cache.DocumentCache(tmp_path / "claims.db")
    db_cache.put("old", DocumentResult(DocumentSpec("d", "news", tmp_path / "d.txt"), "Text.", "ab" * 32, None, None,
                                       None, None, (), (), (), ()))
    listed = list(db_cache.folder.iterdir())
    (db_cache.folder / "old.json").unlink()  # the other run got there first
    real = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: iter(listed) if self == db_cache.folder else real(self))
    db_cache.prune(set())
    assert list(real(db_cache.folder)) == []


def _russian_result(tmp_path):
    from pipeline.records import DocumentResult, DocumentSpec

    return DocumentResult(DocumentSpec("d", "news", tmp_path / "d.txt"), "Переговоры продолжатся.", "ab" * 32, None,
                          None, None, None, (), (), (), ())


def test_an_entry_is_compact_json_in_utf_8(tmp_path):
    """Cyrillic stored as itself (two bytes a letter, not a six-byte \\u escape), no spaces after
    the separators: at a few thousand documents the cache is a third of the size."""
    db_cache = cache.DocumentCache(tmp_path / "claims.db")
    db_cache.put("k1", _russian_result(tmp_path))
    data = (db_cache.folder / "k1.json").read_bytes()
    assert data.startswith(b'{"format":"claimtrace-document-cache","version":1,"key":"k1","result":{')
    assert "Переговоры продолжатся.".encode("utf-8") in data and b"\\u" not in data


def test_an_entry_is_written_and_read_whatever_the_locale(tmp_path, ascii_locale):
    """Under LC_ALL=C (a bare container) Python's default text encoding is ASCII: an entry written
    in it could not hold a Russian document, and every such document would be parsed again."""
    db_cache = cache.DocumentCache(tmp_path / "claims.db")
    db_cache.put("k1", _russian_result(tmp_path))
    assert db_cache.get("k1") == _russian_result(tmp_path)


def test_a_warm_process_answers_from_memory(tmp_path):
    """Once held (keep_warm), an entry is the decoded result itself, not its file read again: the
    entry's file is not even opened."""
    db_cache = cache.DocumentCache(tmp_path / "claims.db")
    db_cache.put("k1", _russian_result(tmp_path))
    assert db_cache.keep_warm() == 1
    held = db_cache.warm_results()[0]
    (db_cache.folder / "k1.json").write_bytes(b"{not json")  # never read while held
    assert db_cache.get("k1") is held
    assert (db_cache.folder / "k1.json").read_bytes() == b"{not json"


def test_a_damaged_entry_another_process_removed_first_is_a_miss(tmp_path, monkeypatch):
    """A warm and a cold run may both find the same damaged entry: the one that removes it second
    gets a miss, not an error."""
    import json
    from types import SimpleNamespace

    db_cache = cache.DocumentCache(tmp_path / "claims.db")
    db_cache.put("k1", _russian_result(tmp_path))
    entry = db_cache.folder / "k1.json"

    def damaged_and_removed_meanwhile(data):
        entry.unlink()  # the other run's removal, between this run's read and its own
        raise json.JSONDecodeError("damaged", "", 0)

    monkeypatch.setattr(cache, "json", SimpleNamespace(loads=damaged_and_removed_meanwhile, dumps=json.dumps))
    assert db_cache.get("k1") is None


def test_the_stage_is_read_whatever_the_locale(package, ascii_locale):
    """The package's modules hold Russian (patterns, comments): under LC_ALL=C they are still read
    as UTF-8, not as ASCII (which would stop every extract)."""
    assert cache.stage_modules() == ["alpha", "beta", "lazy", "leaf", "pkg", "root", "sub"]
