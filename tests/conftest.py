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
