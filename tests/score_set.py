"""Score hand-checked sets with the shared scorer: extract each corpus into a scratch database,
export claims, mentions and events, run tests/eval_score.py on its gold.json.

    python tests/score_set.py tests/data/news tests/data/pairs        # a table of the headline figures
    python tests/score_set.py tests/realpages/dev --verbose            # + every miss and false claim

Used by `make realpages` and by hand while developing; the tests score the sets themselves.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SCORER = Path(__file__).parent / "eval_score.py"
FIELDS = ("claims_precision", "claims_recall", "claims_f1", "side_accuracy_on_matched", "date_accuracy_on_matched",
          "speaker_accuracy_on_matched", "claims_full_f1")


def claimtrace() -> list[str]:
    exe = Path(sys.executable).parent / "claimtrace"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline.cli"]


def score(corpus: Path, verbose: bool = False) -> dict:
    """The scorer's metrics for one corpus folder holding manifest.toml and gold.json."""
    with tempfile.TemporaryDirectory() as tmp:
        base = [*claimtrace(), "--corpus", str(corpus), "--db", f"{tmp}/claims.db", "--annotations", f"{tmp}/none"]
        done = subprocess.run([*base, "extract", "--processes", "1"], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{corpus}: extract reported failures:\n{done.stderr}", file=sys.stderr)
        for what in EXPORTS:
            subprocess.run([*base, "export", what, "--format", "jsonl", "-o", f"{tmp}/{what}.jsonl"],
                           check=True, capture_output=True)
        return metrics(corpus, Path(tmp), verbose)


EXPORTS = ("claims", "mentions", "events")  # what the scorer reads


def metrics(corpus: Path, out: Path, verbose: bool = False) -> dict:
    """The shared scorer's metrics for `corpus` against its export in `out` (every miss and false
    claim printed to stderr when verbose)."""
    done = subprocess.run([sys.executable, str(SCORER), str(corpus / "gold.json"), str(corpus), str(out), "--json",
                           *(["--verbose"] if verbose else [])], capture_output=True, text=True, check=True)
    if verbose:
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout)


def extract_and_export(run, corpus: Path, out: Path) -> Path:
    """In a test: `corpus` extracted with conftest's in-process CLI invoker `run`, then exported as
    JSON lines into `out` (made here) for the scorers."""
    out.mkdir()
    assert run("extract", "--processes", "1", corpus=corpus).exit_code == 0
    for what in EXPORTS:
        result = run("export", what, "--format", "jsonl", "-o", str(out / f"{what}.jsonl"), corpus=corpus)
        assert result.exit_code == 0, result.output
    return out


def missing_texts(corpus: Path) -> str | None:
    """Why a set's third-party texts cannot be scored (missing or changed), or None when they can."""
    sums = corpus / "corpus.sha256"
    if not sums.exists():
        return None  # a set of our own texts, kept in the repository
    import hashlib

    missing, changed = [], []
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        path = corpus / name.lstrip("*")
        if not path.exists():
            missing.append(name)
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            changed.append(name)
    if missing:
        return (f"{corpus}: {len(missing)} of the page texts are not here (e.g. {missing[0]}); they are not in the "
                f"repository: rebuild them as {corpus}/SOURCES.md says, then run again")
    if changed:
        print(f"warning: {corpus}: {len(changed)} texts differ from corpus.sha256 (e.g. {changed[0]}); "
              "the figures may not match the README's", file=sys.stderr)
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="+", type=Path, help="folders holding manifest.toml and gold.json")
    ap.add_argument("--verbose", action="store_true", help="print every miss, wrong side or date and false claim")
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    args = ap.parse_args(argv)
    results = {}
    for corpus in args.corpora:
        if not (corpus / "gold.json").exists():
            print(f"Error: {corpus}/gold.json not found: a scored set needs its gold file", file=sys.stderr)
            return 1
        why = missing_texts(corpus)
        if why:
            print(f"Error: {why}", file=sys.stderr)
            return 1
        results[str(corpus)] = score(corpus, args.verbose)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"{'set':34} " + " ".join(f"{f.replace('claims_', '').replace('_accuracy_on_matched', ''):>9}" for f in FIELDS))
    for name, m in results.items():
        cells = " ".join(f"{m.get(f, float('nan')):>9.3f}" if isinstance(m.get(f), (int, float)) else f"{str(m.get(f)):>9}"
                         for f in FIELDS)
        print(f"{name[-34:]:34} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
