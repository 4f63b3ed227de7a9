"""Speed as ratios against bare spaCy on the same text in the same run (never an absolute time)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.ingest.corpus import load_manifest
from pipeline.ingest.documents import process, read_bytes, source_of
from pipeline.ingest.fetch import Archive
from pipeline.ingest.sections import SectionTagger
from pipeline.knowledge import load_knowledge
from pipeline.language.nlp import load_model
from pipeline.language.russian import SEPARATOR, offsets


@dataclass
class BenchResult:
    documents: int
    paragraphs: int
    characters: int
    bare_spacy: float | None  # English paragraphs through bare spaCy (None: no English document)
    parse_only: float
    full: float  # English documents through the whole per-document stage
    ru_documents: int = 0
    ru_bare: float | None = None  # Russian paragraphs through natasha's own analysis
    ru_full: float | None = None  # Russian documents through the whole per-document stage
    ru_bare_batched: float | None = None  # natasha over each Russian document's paragraphs at once

    def lines(self) -> list[str]:
        out = [f"{self.documents} documents, {self.paragraphs} paragraphs, {self.characters} characters; "
               "best of the repeats"]
        if self.bare_spacy:
            out += [
                "English: bare spaCy (nlp.pipe over the same paragraphs): 1.00",
                f"parsing + sections only:  {self.parse_only / self.bare_spacy:.2f} x bare spaCy",
                f"full pipeline per document (parse, spaCy + gazetteer, linking, dates, claims): "
                f"{self.full / self.bare_spacy:.2f} x bare spaCy",
            ]
        if self.ru_bare:
            out += [
                f"Russian ({self.ru_documents} documents): natasha's own analysis of the same paragraphs "
                "(segment, morphology, syntax, NER, lemmas): 1.00",
                f"full pipeline per document (parse, natasha -> spaCy Doc + gazetteer, linking, dates, claims): "
                f"{self.ru_full / self.ru_bare:.2f} x bare natasha; throughput {self.ru_bare / self.ru_full:.2f} "
                "of natasha's (goal >= 0.85)",
                f"  (the stage gives natasha a document's paragraphs at once; natasha alone that way: "
                f"{self.ru_bare_batched / self.ru_bare:.2f} x, so against it the stage's throughput is "
                f"{self.ru_bare_batched / self.ru_full:.2f})",
            ]
        return out


def run(settings: Settings, repeat: int = 3) -> BenchResult:
    from pipeline.language.annotate import Annotator, Models

    knowledge = load_knowledge(settings.annotations)
    sections = SectionTagger(knowledge)
    archive = Archive(settings.corpus)
    specs = load_manifest(settings.manifest)
    raws = []
    for spec in specs:
        path, declared = source_of(spec, archive)
        raws.append((spec, read_bytes(spec, path), path, declared))
    results = [process(s, knowledge, sections, raw, path, declared) for s, raw, path, declared in raws]
    russian = [r.language is not None and r.language.value == "ru" for r in results]
    en_raws = [x for x, ru in zip(raws, russian) if not ru]
    ru_raws = [x for x, ru in zip(raws, russian) if ru]
    texts = [p.text for r, ru in zip(results, russian) if not ru for p in r.paragraphs]
    ru_texts = [p.text for r, ru in zip(results, russian) if ru for p in r.paragraphs]
    annotate = Annotator(Models(settings.model, knowledge))
    for r in results[:1] + [r for r, ru in zip(results, russian) if ru][:1]:
        annotate(r)  # warm up: the English pipeline, and the Russian one when there is Russian

    def best(fn) -> float:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    bare_t = parse_t = full_t = 0.0
    if en_raws:
        bare = load_model(settings.model)
        list(bare.pipe(texts))
        bare_t = best(lambda: list(bare.pipe(texts)))
        parse_t = best(lambda: [process(s, knowledge, sections, raw, p, d) for s, raw, p, d in en_raws])
        full_t = best(lambda: [annotate(process(s, knowledge, sections, raw, p, d)) for s, raw, p, d in en_raws])
    ru_bare = ru_full = ru_batched = None
    if ru_raws:
        natasha = annotate.nlp_for(next(r for r, ru in zip(results, russian) if ru))
        ru_bare = best(lambda: [natasha.analyse(t) for t in ru_texts])
        docs = [[p.text for p in r.paragraphs] for r, ru in zip(results, russian) if ru]
        ru_batched = best(lambda: [natasha.analyse(SEPARATOR.join(d), offsets(d)) for d in docs])
        ru_full = best(lambda: [annotate(process(s, knowledge, sections, raw, p, d)) for s, raw, p, d in ru_raws])
    return BenchResult(len(results), len(texts) + len(ru_texts), sum(map(len, texts + ru_texts)), bare_t or None,
                       parse_t, full_t, len(ru_raws), ru_bare, ru_full, ru_batched if ru_raws else None)


@dataclass
class Timed:
    seconds: float
    peak_kb: int  # the largest resident set of the command or a worker it waited for


@dataclass
class Warm:
    full: Timed  # --force again, in the warm process: no interpreter start, imports or model loading
    noop: Timed
    decision: Timed
    edit: Timed
    start_seconds: float  # `daemon start` until it answers
    peak_kb: int  # the warm process's own peak (its commands are forked copies sharing its pages)


@dataclass
class IncrementalResult:
    documents: int
    processes: int
    bare: float  # bare spaCy over the same paragraphs, in this process, model already loaded
    full: Timed
    noop: Timed
    decision: Timed  # `decide` and the `extract` after it
    edit: Timed
    warm: Warm | None = None  # the same steps handed to a warm process (`claimtrace daemon`)
    repeat: int = 1  # the full runs and bare spaCy: the best of this many turns

    def lines(self) -> list[str]:
        def row(label: str, t: Timed, target: str = "") -> str:
            return (f"{label:<34}{t.seconds:7.2f} s  {t.seconds / self.full.seconds:6.3f} of the full run  "
                    f"{self.bare / t.seconds:6.2f} bare/this  peak {t.peak_kb / 1024:4.0f} MB{target}")
        return [
            f"{self.documents} generated documents, extract --processes {self.processes}, each step a fresh "
            "`claimtrace` process (interpreter start, imports and model loading included)"
            + (f"; full runs and bare spaCy: best of {self.repeat} turns each" if self.repeat > 1 else ""),
            f"bare spaCy (nlp.pipe over the same paragraphs, model loaded): {self.bare:.2f} s = 1.00; the full "
            f"run is {self.full.seconds / self.bare:.2f} x that",
            row("full run (--force, empty cache):", self.full),
            row("nothing changed:", self.noop),
            row("one decision (decide + extract):", self.decision, "  (target <= 0.05)"),
            row("one edited document:", self.edit, "  (target <= 0.05)"),
        ] + self._warm_lines(row)

    def _warm_lines(self, row) -> list[str]:
        if self.warm is None:
            return []
        w = self.warm
        return [
            f"with a warm process (`claimtrace daemon start`: {w.start_seconds:.1f} s to ready, peak "
            f"{w.peak_kb / 1024:.0f} MB), each step a fresh `claimtrace` client:",
            f"  full run (--force):              {w.full.seconds:7.2f} s  {w.full.seconds / self.full.seconds:6.3f} of "
            f"the cold one  {self.bare / w.full.seconds:6.2f} bare/this",
            row("  nothing changed:", w.noop),
            row("  one decision (decide + extract):", w.decision, "  (target <= 0.05)"),
            row("  one edited document:", w.edit, "  (target <= 0.05)"),
        ]


def incremental(documents: int = 300, processes: int | None = None, folder: Path | None = None,
                repeat: int = 1) -> IncrementalResult:
    """Time `extract` through the command line after no change, one decision and one edited
    document, against a full run of the same generated corpus and against bare spaCy. The full run
    (cold and warm) and bare spaCy take turns `repeat` times, each the best of its turns: the least
    disturbed measure of each on a machine doing other work."""
    import shutil
    import tempfile

    from pipeline.synthetic import write_corpus

    tmp = Path(folder or tempfile.mkdtemp(prefix="claimtrace-bench-"))
    try:
        corpus = write_corpus(tmp / "corpus", documents)
        settings = Settings(corpus=corpus, db=tmp / "claims.db", annotations=tmp / "notes")
        processes = processes or 1
        run = lambda *args: _command(settings, *args)  # noqa: E731
        extract = ("extract", "--processes", str(processes))
        full, bare = run(*extract, "--force"), _bare(settings)
        for _ in range(repeat - 1):
            full, bare = _best(full, run(*extract, "--force")), min(bare, _bare(settings))
        noop = run(*extract)
        decided = run("decide", _first_claim(settings.db), "reject")
        after = run(*extract)
        decision = Timed(decided.seconds + after.seconds, max(decided.peak_kb, after.peak_kb))
        path = corpus / "doc-00001.txt"
        path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added for the timing run.\n",
                        encoding="utf-8")
        edit = run(*extract)
        warm = _warm_steps(settings, tmp, extract, repeat)
        return IncrementalResult(documents, processes, bare, full, noop, decision, edit, warm, repeat)
    finally:
        if folder is None:
            shutil.rmtree(tmp, ignore_errors=True)


def _best(a: Timed, b: Timed) -> Timed:
    return a if a.seconds <= b.seconds else b


def _warm_steps(settings: Settings, tmp: Path, extract: tuple[str, ...], repeat: int = 1) -> Warm:
    """No change, a decision and an edit again, through a warm process started for this corpus (in a
    runtime folder of the bench's own, so a warm process the user runs is left alone)."""
    import os
    import subprocess
    import sys

    runtime = tmp / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "CLAIMTRACE_RUNTIME_DIR": str(runtime)}
    env.pop("CLAIMTRACE_NO_DAEMON", None)
    started = time.perf_counter()
    daemon = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--corpus", str(settings.corpus), "--db",
                               str(settings.db), "--annotations", str(settings.annotations), "daemon", "start",
                               "--foreground"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        said = daemon.stderr.readline()
        if "ready" not in said:
            raise RuntimeError(f"the warm process did not start: {said}{daemon.stderr.read()[-500:]}")
        start_seconds = time.perf_counter() - started
        run = lambda *args: _command(settings, *args, module="pipeline.launch", env=env)  # noqa: E731
        full = run(*extract, "--force")
        for _ in range(repeat - 1):
            full = _best(full, run(*extract, "--force"))
        noop = run(*extract)
        decided = run("decide", _first_claim(settings.db, offset=1), "reject")
        after = run(*extract)
        path = settings.corpus / "doc-00002.txt"
        path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added for the timing run.\n",
                        encoding="utf-8")
        edit = run(*extract)
        peak = _peak_kb(daemon.pid)
    finally:
        daemon.terminate()
        daemon.wait(30)
    return Warm(full, noop, Timed(decided.seconds + after.seconds, max(decided.peak_kb, after.peak_kb)), edit,
                start_seconds, peak)


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _command(settings: Settings, *args: str, module: str = "pipeline.cli", env: dict | None = None) -> Timed:
    """One `claimtrace` command in a fresh interpreter: its wall time and peak memory."""
    import os
    import subprocess
    import sys
    import tempfile

    argv = [sys.executable, "-m", module, "--corpus", str(settings.corpus), "--db", str(settings.db),
            "--annotations", str(settings.annotations), *args]
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: 3,000 progress lines would fill a pipe
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): "
                               f"{errors.read().decode('utf-8', 'replace')[-500:]}")
    return Timed(seconds, usage.ru_maxrss)


def _first_claim(db: Path, offset: int = 0) -> str:
    from pipeline.store import open_existing

    conn = open_existing(db)
    try:
        return conn.execute("SELECT id FROM claims ORDER BY id LIMIT 1 OFFSET ?", (offset,)).fetchone()[0]
    finally:
        conn.close()


def _bare(settings: Settings) -> float:
    """Bare spaCy over every paragraph of the corpus, the model loaded beforehand, in a process of
    its own (spaCy loaded here would count in the peak memory of every command started after it)."""
    import subprocess
    import sys

    code = "import sys; from pipeline.bench import bare_seconds; print(bare_seconds(*sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, str(settings.manifest), str(settings.annotations),
                           settings.model], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bare spaCy failed: {done.stderr[-500:]}")
    return float(done.stdout.split()[-1])


def bare_seconds(manifest: str, annotations: str, model: str) -> float:
    """Bare spaCy's time over the paragraphs of a corpus (_bare's child process)."""
    knowledge = load_knowledge(Path(annotations))
    sections = SectionTagger(knowledge)
    texts = [p.text for s in load_manifest(Path(manifest))
             for p in process(s, knowledge, sections, s.path.read_bytes(), s.path).paragraphs]
    bare = load_model(model)
    list(bare.pipe(texts[:50]))
    started = time.perf_counter()
    list(bare.pipe(texts))
    return time.perf_counter() - started


@dataclass
class DaskResult:
    documents: int
    workers: int
    bare: float  # bare spaCy over the same paragraphs, one process
    local: float  # extract --processes N (same N as workers)
    dask: float  # extract --scheduler (LocalCluster), cluster already started
    client: float  # the client-side stage alone: cross-document stage and the write

    def lines(self) -> list[str]:
        per_worker = self.documents / max(self.dask - self.client, 1e-9) / self.workers
        client_per_doc = self.client / self.documents
        out = [
            f"Dask path on a LocalCluster ({self.workers} worker processes, 1 thread each), {self.documents} "
            f"generated documents; ratios to bare spaCy (one process, same paragraphs)",
            "bare spaCy: 1.00",
            f"extract --processes {self.workers}: {self.local / self.bare:.2f} x bare spaCy",
            f"extract --scheduler (LocalCluster): {self.dask / self.bare:.2f} x bare spaCy "
            f"(client-side stage {100 * self.client / self.dask:.0f}% of it)",
            f"measured: {per_worker:.1f} documents/s per worker; client-side stage {1000 * client_per_doc:.2f} ms "
            "per document",
            "predicted for 100,000 such pages (per-document stage / workers + client-side stage):",
        ]
        for w in (1, 8, 32):
            total = 100_000 / (per_worker * w) + 100_000 * client_per_doc
            out.append(f"  {w:>2} worker(s): {total / 60:6.1f} min")
        return out


def dask_path(documents: int = 100, workers: int = 2) -> DaskResult:
    import shutil
    import tempfile

    from distributed import LocalCluster

    from pipeline.extract import run as extract
    from pipeline.synthetic import write_corpus

    tmp = Path(tempfile.mkdtemp(prefix="claimtrace-dask-"))
    try:
        corpus = write_corpus(tmp / "corpus", documents)
        settings = Settings(corpus=corpus, db=tmp / "local.db", annotations=tmp / "notes")
        remote = Settings(corpus=corpus, db=tmp / "dask.db", annotations=tmp / "notes")
        bare_t = _bare(settings)
        t = time.perf_counter()
        extract(settings, processes=workers, force=True)
        local_t = time.perf_counter() - t
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            extract(remote, scheduler=cluster.scheduler_address, force=True)  # warm: workers load spaCy once
            (tmp / "dask.db").unlink()
            shutil.rmtree(tmp / "cache", ignore_errors=True)
            t = time.perf_counter()
            extract(remote, scheduler=cluster.scheduler_address)
            dask_t = time.perf_counter() - t
        (tmp / "dask.db").unlink()  # every document in the cache now: what is left is the client's part
        t = time.perf_counter()
        extract(remote, processes=1)
        client_t = time.perf_counter() - t
        return DaskResult(documents, workers, bare_t, local_t, dask_t, client_t)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
