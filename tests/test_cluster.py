"""The per-document stage on a Dask cluster (issue 16): a LocalCluster started by the test (two
worker processes on 127.0.0.1) gives the same database as a local run, and a worker killed while
documents are in flight loses none and counts none twice."""

import os
import shutil
import signal
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed") if not os.environ.get("CI") else __import__("distributed")
DATA = Path(__file__).parent / "data"
EXPORTS = ("claims", "mentions", "events", "documents")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c


def exports(run, db) -> dict:
    return {w: run("export", w, "--with-text", db=db).output for w in EXPORTS}


@pytest.mark.parametrize("name, documents, word", [
    ("pairs", 12, "Mirziyoyev"),
    ("ru", 6, "Токаев"),  # the Russian stage (natasha) loads in each worker as the English one does
])
def test_the_cluster_gives_the_local_database(cluster, run, tmp_path, name, documents, word):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / name, corpus)
    local, remote = tmp_path / "local.db", tmp_path / "remote.db"
    assert run("extract", "--processes", "1", corpus=corpus, db=local).exit_code == 0
    result = run("extract", "--scheduler", cluster.scheduler_address, corpus=corpus, db=remote)
    assert result.exit_code == 0, result.output
    assert f"{documents} documents (0 unchanged, {documents} re-parsed)" in result.output
    assert exports(run, remote) == exports(run, local)
    assert all(exports(run, remote).values()) and word in exports(run, remote)["claims"]


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, tmp_path):
    from distributed import Client

    from pipeline.config import Settings
    from pipeline.extract import run
    from pipeline.synthetic import write_corpus

    corpus = write_corpus(tmp_path / "corpus", 40)
    settings = Settings(corpus=corpus, db=tmp_path / "remote.db", annotations=tmp_path / "notes")
    seen, killed = [], []
    with Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)                                   # worker address -> process id

    def progress(n, total, doc_id, status):
        seen.append(doc_id)
        if n == 3 and not killed:                                      # others are in flight now
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    summary = run(settings, scheduler=cluster.scheduler_address, progress=progress)
    assert killed and not summary.failures
    assert summary.documents == 40 and sorted(seen) == sorted(set(seen)) and len(seen) == 40
    local = Settings(corpus=corpus, db=tmp_path / "local.db", annotations=tmp_path / "notes")
    run(local, processes=1)
    from click.testing import CliRunner

    from pipeline.cli import cli

    def export(db):
        return [CliRunner().invoke(cli, ["--db", str(db), "export", w]).output for w in EXPORTS]

    assert export(settings.db) == export(local.db)


def test_without_the_extra_or_the_scheduler_the_message_says_what_to_do(run, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "pairs", corpus)
    result = run("extract", "--scheduler", "tcp://127.0.0.1:9", corpus=corpus)  # nothing listens there
    assert result.exit_code == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
