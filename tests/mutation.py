"""Mutation testing with mutmut: each module listed under [tool.claimtrace.mutation] in
pyproject.toml is mutated in its own folder, build/mutation/<module>/, and tried against the fast
tests that cover it; the figures go to build/mutation/summary.md (and are printed).

    python tests/mutation.py                  # every module (make mutation)
    python tests/mutation.py cache query      # some of them
    python tests/mutation.py --minutes 40     # each module's run stopped after 40 minutes
    python tests/mutation.py --sample 200 curation  # a random sample of 200 of its mutants
    python tests/mutation.py --again curation # run again the mutants not killed (survived, timed out,
                                              # no test) with the tests as they are now
    python tests/mutation.py --summary        # only rewrite the summary from the last runs
    mutmut results --all true                 # in build/mutation/<module>/: each mutant's status
    mutmut show <mutant>                      # ... and its diff

mutmut reads its settings from the pyproject.toml of the folder it runs in and keeps its results in
mutants/ there (a stopped run goes on from where it was); a module's folder gets the repository's
pyproject.toml with the [tool.mutmut] table narrowed to that module, and links to pipeline/, tests/
and the folders it also copies. A second run retries only mutants of functions that changed, so
tests written since never meet the mutants already run: --again names those mutants to mutmut.
Before each run the package's other files (the knowledge TOMLs) are copied again where they differ,
since mutmut copies them only once. A module with `sample_size` (and `seed`), or any module with
--sample N, runs a uniform random sample of that many of its mutants, drawn once the mutants are
made, and the summary gives the share killed in the sample with its 95% interval (Wilson) as the
module's estimate: for a package whose whole run would take days.
Used by `make mutation`; not part of the test suite or CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "build" / "mutation"
#: mutmut's exit codes, as its `results` command names them (mutmut/stats.py)
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 36: "timeout",
          -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", 37: "caught by type check",
          -11: "segfault", -9: "segfault", None: "not run"}


def modules() -> dict[str, dict]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["claimtrace"]["mutation"]


def toml_value(value) -> str:
    """A TOML literal for the plain values mutmut's table holds (JSON's strings and lists are TOML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def module_pyproject(module: dict) -> str:
    """The repository's pyproject.toml with [tool.mutmut] narrowed to one module's files and tests."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    settings = tomllib.loads(text)["tool"]["mutmut"]
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("["):
            skipping = line.startswith(("[tool.mutmut", "[tool.claimtrace.mutation"))
        if not skipping:
            kept.append(line)
    settings = {**settings, "only_mutate": module["mutate"], "pytest_add_cli_args_test_selection": module["tests"]}
    table = ["[tool.mutmut]"] + [f"{key} = {toml_value(value)}" for key, value in settings.items()]
    return "\n".join(kept).rstrip() + "\n\n" + "\n".join(table) + "\n"


def prepare(name: str, module: dict) -> Path:
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    for link in ("pipeline", "tests", *tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mutmut"]["also_copy"]):
        if not (folder / link).is_symlink():
            (folder / link).symlink_to(REPO / link)
    (folder / "pyproject.toml").write_text(module_pyproject(module), encoding="utf-8")
    return folder


def refresh(folder: Path) -> list[str]:
    """Copy again the package's files that are not Python (knowledge TOMLs, data) where mutants/ holds
    an older copy: mutmut copies them once and never again, so the mutated package would read the
    knowledge of its first run. Returns the files copied."""
    copied = []
    target = folder / "mutants" / "pipeline"
    if not target.is_dir():
        return copied
    for source in sorted((REPO / "pipeline").rglob("*")):
        if not source.is_file() or source.suffix in (".py", ".pyc") or "__pycache__" in source.parts:
            continue
        copy = target / source.relative_to(REPO / "pipeline")
        if not copy.exists() or copy.read_bytes() != source.read_bytes():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
            copied.append(str(source.relative_to(REPO)))
    return copied


def stale_mutants(folder: Path, module: dict) -> list[str]:
    """Remove the mutated copies of files that changed since the last run, so that mutmut makes them
    again (it keeps the results of functions whose text is unchanged). mutmut itself decides by
    modification times, which a checkout or a copy can leave older than the mutated file: a run once
    tried the mutants of an old review.py against tests written for the new one. The sources' hashes
    of the last run are kept in sources.json beside mutants/."""
    recorded = folder / "sources.json"
    old = json.loads(recorded.read_text(encoding="utf-8")) if recorded.exists() else {}
    now = source_hashes(module)
    removed = []
    for path, digest in now.items():
        copy = folder / "mutants" / path
        if copy.exists() and old.get(path) != digest:
            copy.unlink()
            removed.append(path)
    recorded.write_text(json.dumps(now, indent=1, sort_keys=True), encoding="utf-8")
    return removed


def stale_stats(folder: Path) -> bool:
    """Remove mutmut's record of which tests call which function when any Python file of the package
    or of the tests changed since it was made: mutmut collects it anew only for tests it has not seen,
    so a test that now reaches a function (the rule objects built per document stage, a fixture that
    loads the rules for each sentence) stayed unknown to it, and that function's mutants were tried
    against the few tests first recorded. True when it was removed (the run then collects it again)."""
    files = sorted([*(REPO / "pipeline").rglob("*.py"), *(REPO / "tests").rglob("*.py")])
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    recorded, now = folder / "stats_inputs.sha256", digest.hexdigest()
    stats = folder / "mutants" / "mutmut-stats.json"
    changed = not recorded.exists() or recorded.read_text(encoding="utf-8").strip() != now
    recorded.write_text(now + "\n", encoding="utf-8")
    if changed and stats.exists():
        stats.unlink()
        return True
    return False


def source_hashes(module: dict) -> dict[str, str]:
    paths = sorted({path for pattern in module["mutate"] for path in REPO.glob(pattern) if path.is_file()})
    return {str(path.relative_to(REPO)): hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


def unfinished(folder: Path) -> list[str]:
    """The mutants of the last run that survived, timed out or had no test reaching them (mutmut's
    names); those not run yet are run by a plain run, which goes on where the last one stopped."""
    return [key for key, status, _ in mutants(folder) if status in ("survived", "timeout", "no tests", "suspicious")]


def mutants(folder: Path):
    """(mutmut's name, status, seconds its tests took or None) of each mutant, from mutants/**/*.meta."""
    for meta in sorted((folder / "mutants").rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        took = data.get("durations_by_key", {})
        for key, code in data["exit_code_by_key"].items():
            yield key, STATUS.get(code, "suspicious"), took.get(key) if code is not None else None


def draw(folder: Path, size: int, seed: int) -> list[str]:
    """A uniform random sample of `size` of the folder's mutants (of all of them, sorted by name),
    drawn with `seed`, so that every run of the same code draws the same mutants; kept in sample.json
    for the summary."""
    names = sorted(key for key, _, _ in mutants(folder))
    sample = sorted(random.Random(seed).sample(names, min(size, len(names))))
    (folder / "sample.json").write_text(json.dumps({"size": size, "seed": seed, "names": sample}, indent=1),
                                        encoding="utf-8")
    return sample


def sample_record(folder: Path) -> dict | None:
    """sample.json as draw() wrote it (size, seed, names), or None if the last run was of the whole module."""
    recorded = folder / "sample.json"
    return json.loads(recorded.read_text(encoding="utf-8")) if recorded.exists() else None


def drawn(folder: Path) -> list[str] | None:
    """The sample the last run drew, or None if it ran the whole module."""
    record = sample_record(folder)
    return None if record is None else record["names"]


def wilson(killed: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% interval of the share killed, from `killed` of `n` sampled mutants (Wilson score)."""
    if n == 0:
        return 0.0, 1.0
    p = killed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


#: a mutant name no mutant has: mutmut then makes the mutants and collects its test statistics, and
#: stops before running any (it refuses a filter that matches nothing)
NOTHING = "no.mutant.matches.this"


def make_mutants(folder: Path, mutmut: Path, env: dict, module: dict) -> None:
    """Have mutmut make the mutants (and its statistics) without running them, so that a sample can be
    drawn from their names: also when a source's mutated copy is missing (stale_mutants removed it
    because the source changed), or the sample would be drawn from the last run's names (seed 30
    was: 250 of 5,743 names, of which 2 no longer existed and those of every changed function
    named other mutations, while the code had 5,618)."""
    copies = [folder / "mutants" / path for path in source_hashes(module)]
    if any((folder / "mutants").rglob("*.py.meta")) and all(copy.exists() for copy in copies):
        return
    print(f"== {folder.name}: making the mutants to draw the sample from", flush=True)
    subprocess.run([str(mutmut), "run", "--max-children", "1", NOTHING], cwd=folder, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not any((folder / "mutants").rglob("*.py.meta")):
        raise SystemExit(f"{folder.name}: mutmut made no mutants in {folder / 'mutants'}; run "
                         f"'mutmut run' there to see why")


def run(name: str, module: dict, minutes: float | None, again: bool = False, size: int | None = None,
        workers: int = 1, seed: int | None = None) -> None:
    folder = prepare(name, module)
    for path in refresh(folder):
        print(f"{name}: copied again {path} (changed since mutmut's copy)", flush=True)
    for path in stale_mutants(folder, module):
        print(f"{name}: {path} changed since the last run; its mutants are made again", flush=True)
    restale = stale_stats(folder)
    if restale:
        print(f"{name}: the package or its tests changed since mutmut recorded which tests call what; "
              "it records that again", flush=True)
    mutmut = Path(sys.executable).parent / "mutmut"
    env = {**os.environ, "CLAIMTRACE_NO_DAEMON": "1"}
    env.pop("PYTHONPATH", None)  # the mutated copy must be the `pipeline` the tests import
    for name_ in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):  # `make mutation ARGS=...` is not the
        env.pop(name_, None)                                             # tests' `make -n report ARGS=...`
    chosen: list[str] = []
    sample: list[str] | None = None
    size = size or module.get("sample_size")
    if size:
        make_mutants(folder, mutmut, env, module)
        status = {key: s for key, s, _ in mutants(folder)}
        record = sample_record(folder) if again and seed is None else None
        # --again goes on with the last run's sample; drawing again with the module's seed would
        # replace it with another sample whenever that run was given --seed
        sample = record["names"] if record else draw(folder, int(size), int(module.get("seed", 0) if seed is None else seed))
        # a result mutmut kept from an earlier run was reached with earlier tests (it keeps a result
        # while the function's text is unchanged, whatever the tests became): run it again
        chosen = [key for key in sample if status[key] == "not run" or restale]
        print(f"== {name}: a random sample of {len(sample)} of {len(status)} mutants, {len(chosen)} to run"
              + (" (all: the package or its tests changed)" if restale else ""),
              flush=True)
        if not chosen and not again:
            return
    elif not again:
        (folder / "sample.json").unlink(missing_ok=True)  # a whole run
    if again:
        chosen = unfinished(folder)
        earlier = drawn(folder)
        if earlier is not None:
            # with the sample's mutants whose results mutmut forgot (its list of tests changed)
            status = {key: s for key, s, _ in mutants(folder)}
            chosen = sorted((set(chosen) | {k for k in earlier if status.get(k) == "not run"}) & set(earlier))
        if not chosen:
            print(f"== {name}: no mutant survived or timed out; nothing to do again", flush=True)
            return
        print(f"== {name}: running again {len(chosen)} mutants that survived, timed out or had no test", flush=True)
    print(f"== {name}: mutmut in {folder.relative_to(REPO)}", flush=True)
    started = time.monotonic()
    code, stopped = call_mutmut(folder, mutmut, env, chosen, workers, minutes, name)
    if sample is not None and not stopped and not again:
        # mutmut forgets every result when the module's list of tests changed since its last run: the
        # sample's mutants that had a result when it was drawn were not named, and are not run yet
        status = {key: s for key, s, _ in mutants(folder)}
        forgotten = [key for key in sample if status.get(key) == "not run"]
        if forgotten:
            print(f"== {name}: {len(forgotten)} of the sample lost their results (the tests changed); running them",
                  flush=True)
            left = None if minutes is None else max(1.0, minutes - (time.monotonic() - started) / 60)
            code, _ = call_mutmut(folder, mutmut, env, forgotten, workers, left, name)
    seconds = time.monotonic() - started
    (folder / "run.json").write_text(json.dumps({"seconds": round(seconds), "exit": code,
                                                 "date": date.today().isoformat()}), encoding="utf-8")
    if code != 0:
        print(f"{name}: mutmut exited with {code} (output above); its figures may be partial", file=sys.stderr)


def call_mutmut(folder: Path, mutmut: Path, env: dict, names: list[str], workers: int, minutes: float | None,
                name: str) -> tuple[int, bool]:
    """One `mutmut run` over the named mutants (all when none are named); (exit code, stopped by --minutes)."""
    proc = subprocess.Popen([str(mutmut), "run", "--max-children", str(workers), *names], cwd=folder, env=env,
                            start_new_session=True)
    try:
        return proc.wait(timeout=minutes * 60 if minutes else None), False
    except subprocess.TimeoutExpired:
        print(f"\n{name}: stopped after {minutes:g} min (--minutes); the next run goes on from here", flush=True)
        os.killpg(proc.pid, signal.SIGINT)  # mutmut keeps every result it has
        try:
            return proc.wait(timeout=120), True
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait(), True


def results(rows, only: set[str] | None = None) -> tuple[Counter, list[float]]:
    """Each mutant's status and the seconds each run mutant took, from mutants()' rows (of the
    mutants named in `only`, when given: a module's sample)."""
    counts, seconds = Counter(), []
    for key, status, took in rows:
        if only is not None and key not in only:
            continue
        counts[status] += 1
        if took is not None:
            seconds.append(took)
    return counts, seconds


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


def summary(names: list[str]) -> str:
    rows = ["| module | mutants | killed | survived | timeout | no tests | not run | % killed | run took | s per mutant |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for name in names:
        folder = OUT / name
        if not (folder / "mutants").is_dir():
            continue
        every = list(mutants(folder))
        record = sample_record(folder)
        counts, seconds = results(every, None if record is None else set(record["names"]))
        total = sum(counts.values())
        checked = total - counts["not run"]
        killed = counts["killed"]
        took = json.loads((folder / "run.json").read_text())["seconds"] if (folder / "run.json").exists() else None
        per = sum(seconds) / len(seconds) if seconds else 0.0
        share = f"{100 * killed / checked:.0f}" if checked else "-"
        rows.append(f"| {name} | {total} | {killed} | {counts['survived']} | {counts['timeout']} | "
                    f"{counts['no tests']} | {counts['not run']} | {share} | {'-' if took is None else minutes(took)} | {per:.1f} |")
        others = {k: v for k, v in counts.items()
                  if k not in ("killed", "survived", "timeout", "no tests", "not run")}
        if others:
            notes.append(f"- {name}: also {', '.join(f'{v} {k}' for k, v in sorted(others.items()))}")
        if record is not None:
            low, high = wilson(killed, checked)
            everything = len(every)
            stopped = (f" (the run was stopped with {counts['not run']} of the sample not run: mutmut runs the "
                       f"fastest first, so the interval holds for those run, not yet for the module)"
                       if counts["not run"] else "")
            notes.append(f"- {name}: a uniform random sample of {total} of its {everything} mutants "
                         f"(seed {record.get('seed')}); {killed} "
                         f"of the {checked} run killed: the module's share killed is {100 * low:.0f}-"
                         f"{100 * high:.0f}% (95% interval){stopped}; all {everything} at {per:.1f} s each would "
                         f"take about {minutes(per * everything)}")
        elif counts["not run"]:
            notes.append(f"- {name}: the run was stopped ({checked} of {total}); all {total} at {per:.1f} s "
                         f"each would take about {minutes(per * total)}")
    text = [f"# Mutation testing ({date.today().isoformat()}, mutmut)", "", *rows, "",
            "% killed: of the mutants that were run, including those no selected test reaches (`no tests`); "
            "a timeout is not counted as killed. `s per mutant`: mean time of a mutant's tests.", *([""] + notes if notes else [])]
    return "\n".join(text) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="modules of [tool.claimtrace.mutation] (default: all)")
    parser.add_argument("--summary", action="store_true", help="only rewrite the summary from the last runs")
    parser.add_argument("--again", action="store_true",
                        help="run again only the mutants the last run did not kill (survived, timed out, no test) "
                             "(after tests were written from them)")
    parser.add_argument("--minutes", type=float, help="stop each module's run after this long (its results are kept)")
    parser.add_argument("--seed", type=int,
                        help="draw the sample with this seed instead of the module's (a fresh sample after tests "
                             "were written from the last one's survivors)")
    parser.add_argument("--workers", type=int, default=1,
                        help="mutants tried at once (default 1: the machine stays usable; each worker needs a core)")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="run a uniform random sample of N of each module's mutants (the figure is then an "
                             "estimate with its 95%% interval); a module's `sample_size` does the same")
    args = parser.parse_args()
    known = modules()
    unknown = [m for m in args.modules if m not in known]
    if unknown:
        parser.error(f"no module {', '.join(unknown)} under [tool.claimtrace.mutation] in pyproject.toml; "
                     f"known: {', '.join(known)}")
    names = args.modules or list(known)
    if not args.summary:
        for name in names:
            run(name, known[name], args.minutes, again=args.again, size=args.sample, workers=args.workers,
                seed=args.seed)
    text = summary(list(known))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "summary.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
