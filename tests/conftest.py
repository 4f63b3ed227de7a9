import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture
def make_corpus(tmp_path):
    """Copy fixture files into a fresh corpus folder with the given manifest text."""

    def make(manifest: str, *files: Path, name: str = "corpus") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for f in files:
            shutil.copy(f, folder / f.name)
        (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
        return folder

    return make


@pytest.fixture
def run(tmp_path):
    """Invoke the CLI on an isolated database and an empty annotations folder."""
    runner = CliRunner()

    def invoke(*args, corpus: Path | None = None, db: Path | None = None, annotations: Path | None = None):
        opts = []
        if corpus is not None:
            opts += ["--corpus", str(corpus)]
        opts += ["--db", str(db or tmp_path / "claims.db")]
        opts += ["--annotations", str(annotations or tmp_path / "no-annotations")]
        return runner.invoke(cli, [*opts, *args], catch_exceptions=False)

    return invoke


PAIR_REVIEW = """Test review written for claimtrace in our own words (not a real publication).
Review period: February 21 - March 3, 2022

On February 25, a telephone conversation took place between the Presidents of Russia and Uzbekistan. According to the Kremlin, Mr. Mirziyoyev expressed understanding of the actions of the Russian side. It should be noted that there is no confirmation of this from the Uzbek side.
"""
PAIR_MANIFEST = """
[[document]]
id = "ru-readout-uz-0225"
path = "ru-readout-uz-0225.html"
url = "http://en.kremlin.ru/events/president/news/00000"
kind = "readout"

[[document]]
id = "uz-readout-ru-0225"
path = "uz-readout-ru-0225.html"
url = "https://president.uz/en/lists/view/0000"
kind = "readout"

[[document]]
id = "review"
path = "review.txt"
kind = "review"
"""


def extracted(tmp: Path, files: list[Path], texts: dict[str, str], db: str = "claims.db", annotations: str = "notes"):
    """A corpus in tmp/corpus (the files copied, the texts written: manifest.toml among them),
    extracted once; its Settings."""
    from pipeline.config import Settings
    from pipeline.extract import run

    corpus = tmp / "corpus"
    corpus.mkdir()
    for f in files:
        shutil.copy(f, corpus / f.name)
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus=corpus, db=tmp / db, annotations=tmp / annotations)
    run(settings, processes=1)
    return settings


@pytest.fixture(scope="session")
def pair_db(tmp_path_factory):
    """Two readouts of one call (Kremlin-like and Uzbek-like pages) and a review paragraph about it."""
    return extracted(tmp_path_factory.mktemp("pair"), sorted((DATA / "corpus_pair").glob("*.html")),
                     {"review.txt": PAIR_REVIEW, "manifest.toml": PAIR_MANIFEST}, db="pair.db", annotations="none").db


@pytest.fixture(autouse=True, scope="session")
def _no_warm_process_of_the_user(tmp_path_factory):
    """`claimtrace` run by a test never reaches a warm process the developer has running."""
    import os

    folder = tmp_path_factory.mktemp("runtime")
    folder.chmod(0o700)
    os.environ["CLAIMTRACE_RUNTIME_DIR"] = str(folder)
